# The votes store on PostgreSQL (CTest runs this with
# CROWDFEED_TEST_BACKEND=postgresql only; lib.sh starts a server of
# Debian's package for it):
# - the stores' shared unit cases against the real server;
# - the same votes give byte-identical feeds from SQLite and PostgreSQL;
# - migrate-store copies a SQLite store into an empty database, checked by
#   counting and by the feeds, and refuses a database with votes;
# - two hosts' runs at once (two state directories): exactly one publishes;
# - faults: the server stopped during a publish and during an import, the
#   run's connection terminated, a statement timeout, a read-only standby:
#   each one clear error, a non-zero exit, nothing half-published, and the
#   next run publishes.
source "$(dirname "$0")/lib.sh"
[ "$BACKEND" = postgresql ] || fail "run with CROWDFEED_TEST_BACKEND=postgresql (CTest does)"

# The unit cases of every store, on this server.
CROWDFEED_TEST_POSTGRESQL=1 "$UNIT_TESTS" "[backends]" >unit.log 2>&1 || {
  cat unit.log
  fail "the stores' unit cases on PostgreSQL"
}
pg_sql 'DROP SCHEMA public CASCADE; CREATE SCHEMA public' 2>/dev/null

# Same votes, same feeds. The generator's votes lie in the week before
# --now; the run is the hour after.
now=1795000000
at=2026-11-18T10:00:00Z
"$GEN_VOTES" --votes 30000 --domains 4000 --typed 0.3 --now "$now" --days 7 --csv votes.csv --whitelist whitelist.txt
cat >crowdfeed.toml <<TOML
[whitelist]
files = ["$WORK/whitelist.txt"]
[guards]
max_growth = 1000.0
TOML
# Each folder holds its configuration, so its feeds, state and SQLite
# database are its own.
mkdir lite server-run copy
for folder in lite server-run copy; do cp crowdfeed.toml $folder/; done
(cd lite && CROWDFEED_STORE= "$CROWDFEED" -q -c crowdfeed.toml import-votes ../votes.csv &&
  CROWDFEED_STORE= "$CROWDFEED" -q -c crowdfeed.toml publish --at "$at")
(cd server-run && "$CROWDFEED" -q -c crowdfeed.toml import-votes ../votes.csv &&
  "$CROWDFEED" -q -c crowdfeed.toml publish --at "$at")
diff -r lite/feeds server-run/feeds >feeds.diff || fail "the feeds from SQLite and PostgreSQL differ: $(head -20 feeds.diff)"
entries=$(grep -vc '^#' server-run/feeds/malicious-domains.txt)
((entries > 100)) || fail "too few entries to compare: $entries"
(cd server-run && "$CROWDFEED" -c crowdfeed.toml check >/dev/null) || fail "check on PostgreSQL"

# migrate-store: a SQLite store into an empty database.
pg_sql 'CREATE DATABASE copied' >/dev/null
CROWDFEED_STORE= "$CROWDFEED" --database lite/data/votes.db -q voters add bob >bob.token
run_status "$CROWDFEED" migrate-store --from sqlite:lite/data/votes.db --to postgresql:dbname=copied
assert_eq 0 "$STATUS" "migrate-store: $ERR"
assert_eq "$(sqlite3 lite/data/votes.db 'SELECT COUNT(*) FROM votes')" \
  "$(PGDATABASE=copied pg_sql 'SELECT COUNT(*) FROM votes')" "the votes in the copy"
assert_eq "bob|voter" "$(PGDATABASE=copied pg_sql 'SELECT name, role FROM voters')" "the voters in the copy"
(cd copy && "$CROWDFEED" -q -c crowdfeed.toml --store postgresql:dbname=copied publish --at "$at")
diff -r lite/feeds copy/feeds >copy.diff || fail "the feeds from the copy differ: $(head -20 copy.diff)"
run_status "$CROWDFEED" migrate-store --from sqlite:lite/data/votes.db --to postgresql:dbname=copied
assert_eq 1 "$STATUS" "migrate-store into a database with votes"
assert_contains "$ERR" "copies into an empty store only" "the refusal"

# Two hosts (two state directories) publish at once from one database:
# host a's run holds the lock while its whitelist download stalls; host b
# is refused and publishes nothing; a then publishes.
start_server list_server.py server "stall 4"
url="http://127.0.0.1:$(cat server/port)/list.txt"
printf '[whitelist]\ndownload_timeout_seconds = 20\n[[whitelist.sources]]\nname = "slow"\nkind = "trusted"\nlocation = "%s"\n[guards]\nmax_growth = 1000.0\n' \
  "$url" >slow.toml
mkdir host-a host-b
cp slow.toml host-a/ && cp slow.toml host-b/
(cd host-a && "$CROWDFEED" -q -c slow.toml publish --at "$at" 2>err.txt) &
host_a=$!
for _ in $(seq 100); do
  [ "$(pg_sql "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242420002")" == 1 ] && break
  sleep 0.05
done
(cd host-b && run_status "$CROWDFEED" -c slow.toml publish --at "$at" && echo "$STATUS" >status && echo "$ERR" >err.txt)
wait $host_a || fail "host a's run: $(cat host-a/err.txt)"
assert_eq 1 "$(cat host-b/status)" "host b's exit while host a publishes"
assert_contains "$(cat host-b/err.txt)" "another crowdfeed run publishes from the votes database" "host b's error"
[ -e host-a/feeds/malicious-domains.txt ] || fail "host a published nothing"
[ -e host-b/feeds ] && fail "host b wrote feeds"

# Faults. Each leaves the published feeds as they were, and the next run
# publishes. break_during_run COMMAND...: a run at the next hour whose
# stalled download gives COMMAND 4 seconds to break something while the run
# holds the lock.
cd host-a
published=$(snapshot feeds)
echo "stall 4" >../server/mode
next=2026-11-18T11:00:00Z
break_during_run() {
  "$CROWDFEED" -c slow.toml publish --at "$next" >out.txt 2>err.txt &
  run=$!
  for _ in $(seq 100); do
    [ "$(pg_sql "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242420002")" == 1 ] && break
    sleep 0.05
  done
  "$@"
  set +e
  wait $run
  STATUS=$?
  set -e
  ERR=$(cat err.txt)
}

# The server stopped during a publish.
break_during_run pg_ctl_ stop -m fast
assert_eq 1 "$STATUS" "a run whose server stopped"
assert_contains "$ERR" "PostgreSQL" "the error names the store"
assert_eq "$published" "$(snapshot feeds)" "the feeds after the server stopped"
pg_ctl_ start

# The run's connection terminated (an operator's pg_terminate_backend).
break_during_run pg_sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'crowdfeed'" >/dev/null
assert_eq 1 "$STATUS" "a run whose connection was terminated"
assert_contains "$ERR" "lost the publishing lock" "the terminated connection"
assert_eq "$published" "$(snapshot feeds)" "the feeds after the connection was terminated"

# A statement that waits longer than votes.statement_timeout_seconds: a
# transaction holds the tally state's row while the run starts.
printf '[votes]\nstatement_timeout_seconds = 1\n' >>slow.toml
echo "list list.txt" >../server/mode
printf 'popular.example\n' >../server/list.txt
psql -qX -c 'BEGIN; SELECT * FROM tally_state FOR UPDATE; SELECT pg_sleep(6); COMMIT' >/dev/null &
holder=$!
sleep 0.5
run_status "$CROWDFEED" -c slow.toml publish --at "$next"
wait $holder
assert_eq 1 "$STATUS" "a run past the statement timeout"
assert_contains "$ERR" "ran longer than votes.statement_timeout_seconds" "the timeout named"
assert_eq "$published" "$(snapshot feeds)" "the feeds after a timeout"

# The next run publishes.
"$CROWDFEED" -q -c slow.toml publish --at "$next" || fail "the run after the faults"
[ "$published" != "$(snapshot feeds)" ] || fail "the run after the faults published nothing new"
cd ..

# The server stopped during an import: none of it is stored.
before=$(pg_sql 'SELECT COUNT(*) FROM votes')
"$GEN_VOTES" --votes 400000 --domains 50000 --now "$now" --days 7 --csv big.csv
(cd server-run && "$CROWDFEED" -c crowdfeed.toml import-votes ../big.csv >../import.out 2>../import.err) &
import=$!
for _ in $(seq 200); do
  [ "$(pg_sql "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'crowdfeed' AND query LIKE 'COPY%'")" -ge 1 ] && break
  sleep 0.05
done
pg_ctl_ stop -m fast
set +e
wait $import
status=$?
set -e
pg_ctl_ start
assert_eq 1 "$status" "an import whose server stopped: $(cat import.err)"
assert_contains "$(cat import.err)" "PostgreSQL" "the import's error"
assert_eq "$before" "$(pg_sql 'SELECT COUNT(*) FROM votes')" "the votes after a broken import"
(cd server-run && "$CROWDFEED" -q -c crowdfeed.toml check) || fail "the kept tallies after a broken import"
(cd server-run && "$CROWDFEED" -q -c crowdfeed.toml import-votes ../big.csv) || fail "the import again"

# A read-only standby of the server, given by mistake.
as_postgres "$PG_BIN/pg_basebackup" -h "$PG_DIR" -p "$PG_PORT" -U crowdfeed -D "$PG_DIR/standby" -R -X stream --checkpoint=fast >/dev/null
mkdir -p "$PG_DIR/standby-socket"
chown postgres "$PG_DIR/standby-socket"
as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/standby" -l "$PG_DIR/standby.log" -w \
  -o "-k $PG_DIR/standby-socket -c listen_addresses='' -p $PG_PORT" start >/dev/null
standby="postgresql:host=$PG_DIR/standby-socket port=$PG_PORT"
run_status "$CROWDFEED" --store "$standby" vote --malicious standby.example --voter x
assert_eq 1 "$STATUS" "a vote into a standby"
assert_contains "$ERR" "is a read-only standby; give votes.url the primary" "the standby named"
(cd server-run && run_status "$CROWDFEED" -c crowdfeed.toml --store "$standby" publish --at 2026-11-18T12:00:00Z &&
  echo "$STATUS $ERR" >standby.txt)
as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/standby" -m immediate stop >/dev/null
assert_contains "$(cat server-run/standby.txt)" "1 " "a publish from a standby"
assert_contains "$(cat server-run/standby.txt)" "read-only" "a publish from a standby, named"
echo ok
