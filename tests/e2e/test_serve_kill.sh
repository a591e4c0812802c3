# crowdfeed serve killed with SIGKILL in the middle of a load (wrk, 20
# keep-alive connections, every request a vote): no acknowledged vote is
# lost, the database is intact, and a restarted server goes on. A vote is
# acknowledged only after its group committed.
source "$(dirname "$0")/lib.sh"

command -v wrk >/dev/null || fail "wrk is needed (deploy/install-build-deps.sh --tests installs it)"
port=$(free_port)
cat >crowdfeed.toml <<TOML
[paths]
database = "votes.db"
state_dir = "state"
[serve]
listen = "127.0.0.1:$port"
voter_rate = 1000000
voter_burst = 1000000
address_rate = 1000000
address_burst = 1000000
daily_cap = 100000000
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
token=$("$CROWDFEED" -q voters add loader)
start_serve "$port" server.log
trap 'kill -9 $server 2>/dev/null || true; cleanup' EXIT

wrk -t 2 -c 20 -d 4s -s "$SOURCE_DIR/tests/bench/serve_load.lua" "http://127.0.0.1:$port" -- "$token" >wrk.txt 2>&1 &
load=$!
sleep 2
kill -9 $server
wait $server 2>/dev/null || true
wait $load || true

cat acknowledged-*.txt | sort >acknowledged.txt
sqlite3 votes.db "SELECT indicator FROM votes WHERE voter = 'loader'" | sort >stored.txt
[ "$(wc -l <acknowledged.txt)" -gt 100 ] || fail "too few votes acknowledged before the kill: $(cat wrk.txt)"
missing=$(comm -23 acknowledged.txt stored.txt | wc -l)
assert_eq 0 "$missing" "acknowledged votes lost to SIGKILL ($(wc -l <acknowledged.txt) acknowledged)"
assert_eq ok "$(sqlite3 votes.db 'PRAGMA integrity_check')" "the database after SIGKILL"
"$CROWDFEED" check >/dev/null || fail "the kept tallies after SIGKILL differ from a recount"

start_serve "$port" server2.log
answer=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/vote.php?vote=1&value=after-kill.example")
assert_contains "$answer" '"stored":1' "a vote after the restart"
kill -TERM $server
wait $server
echo ok
