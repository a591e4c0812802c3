# The kept tallies and the unchanged-hour shortcut publish exactly what a
# run from scratch publishes, whatever happens between runs: see
# incremental_steps.py.
source "$(dirname "$0")/lib.sh"

python3 "$SOURCE_DIR/tests/e2e/incremental_steps.py" "$CROWDFEED" "${INCREMENTAL_RUNS:-$([ -n "${CROWDFEED_FULL_SWEEP:-}" ] && echo 300 || echo 60)}" 1

# A site writing with REPLACE without recursive triggers double-counts;
# check finds it and names the indicator, publish --recount repairs it.
printf '[policy]\nmin_votes = 1\n' >crowdfeed.toml
rm -rf data feeds state
"$CROWDFEED" -q -c crowdfeed.toml vote --malicious replaced.example.com --voter a --at 2026-09-01T00:00:00Z
"$CROWDFEED" -c crowdfeed.toml check >out.txt || fail "check on fresh tallies: $(cat out.txt)"
sqlite3 data/votes.db "INSERT OR REPLACE INTO votes (indicator, voter, verdict, cast_at) VALUES ('replaced.example.com', 'a', 1, strftime('%s', '2026-09-01T00:30:00Z'))"
run_status "$CROWDFEED" -c crowdfeed.toml check
assert_eq 1 "$STATUS" "check after an unseen REPLACE"
assert_contains "$OUT" "replaced.example.com: kept domain 1 malicious, 1 non-malicious" "the difference named"
assert_contains "$OUT" "publish --recount" "the repair named"
"$CROWDFEED" -q -c crowdfeed.toml publish --recount --at 2026-09-01T01:00:00Z
"$CROWDFEED" -c crowdfeed.toml check >out.txt || fail "check after --recount: $(cat out.txt)"
assert_eq "replaced.example.com" "$(grep -v '^#' feeds/non-malicious-domains.txt)" "the feed after --recount"
[ -s feeds/malicious-domains.txt ] && [ -z "$(grep -v '^#' feeds/malicious-domains.txt)" ] || fail "the replaced vote still counts as malicious"

# The whitelist's compiled copy in the state directory: a damaged one is
# not believed (the list is parsed again) and the next run replaces it.
printf 'replaced.example.com\n' >whitelist.txt
printf '[policy]\nmin_votes = 1\n[whitelist]\nfiles = ["whitelist.txt"]\n' >crowdfeed.toml
"$CROWDFEED" -q -c crowdfeed.toml vote --malicious replaced.example.com --voter b --at 2026-09-01T01:30:00Z
for voter in c d; do
  "$CROWDFEED" -q -c crowdfeed.toml vote --malicious replaced.example.com --voter "$voter" --at 2026-09-01T01:30:00Z
done
# Voted malicious now, and whitelisted: both of its feeds are emptied.
"$CROWDFEED" -q -c crowdfeed.toml publish --force --at 2026-09-01T02:00:00Z
grep -q '^replaced.example.com,' feeds/excluded-domains.csv || fail "the whitelist did not exclude replaced.example.com"
# A run whose guards were overridden is not taken for one to repeat: the
# rerun checks the guards again, and they trip again.
run_status "$CROWDFEED" -c crowdfeed.toml publish --at 2026-09-01T02:00:00Z
assert_eq 3 "$STATUS" "the rerun after --force"
[[ "$ERR" == *"nothing changed since the last run"* ]] && fail "the run after an overridden guard took the shortcut"
compiled=$(ls state/whitelist/compiled/*.list)
[ "$(head -n 1 "$compiled")" == "crowdfeed-compiled-list 1" ] || fail "no compiled whitelist after a run"
assert_eq "d replaced.example.com" "$(tail -n 1 "$compiled")" "the compiled entry"
printf 'crowdfeed-compiled-list 1\n5 0 0\nd other.example\n' >"$compiled"
run_status "$CROWDFEED" -c crowdfeed.toml explain replaced.example.com --at 2026-09-01T02:00:00Z
assert_contains "$OUT" "whitelist:  entry replaced.example.com" "explain beside a damaged compiled list"
"$CROWDFEED" -q -c crowdfeed.toml vote --malicious another.example.com --voter a --at 2026-09-01T02:30:00Z
"$CROWDFEED" -q -c crowdfeed.toml publish --at 2026-09-01T03:00:00Z
assert_eq "d replaced.example.com" "$(tail -n 1 "$compiled")" "the compiled entry after a run"
assert_eq "another.example.com" "$(grep -v '^#' feeds/malicious-domains.txt)" "the whitelisted domain stays out"

# The unchanged-hour shortcut is not taken when what it trusts changed.
# 1. A plain rerun takes it, and still reports what the whitelist excludes.
grep -q '"excluded": 1' state/last-run.json || fail "last-run.json does not count the exclusion"
run_status "$CROWDFEED" -c crowdfeed.toml publish --at 2026-09-01T03:00:00Z
assert_eq 0 "$STATUS" "a rerun: $ERR"
assert_contains "$ERR" "nothing changed since the last run" "a plain rerun"
grep -q '"excluded": 1' state/last-run.json || fail "an unchanged run lost the exclusion count"
# 2. A feed file edited in place, keeping its size, is rewritten.
sed -i 's/^another.example.com$/anotheX.example.com/' feeds/malicious-domains.txt
run_status "$CROWDFEED" -c crowdfeed.toml publish --at 2026-09-01T03:00:00Z
[[ "$ERR" == *"nothing changed since the last run"* ]] && fail "an edited feed file was trusted"
assert_eq "another.example.com" "$(grep -v '^#' feeds/malicious-domains.txt)" "the edited feed file after a run"
# 3. Another votes database (restored, re-created) with lower generations.
mv data/votes.db data/old.db && rm -f data/votes.db-wal data/votes.db-shm
"$CROWDFEED" -q -c crowdfeed.toml vote --malicious restored.example.com --voter a --at 2026-09-01T02:30:00Z
run_status "$CROWDFEED" -c crowdfeed.toml publish --at 2026-09-01T03:00:00Z
assert_eq 0 "$STATUS" "a run on another database: $ERR"
assert_eq "restored.example.com" "$(grep -v '^#' feeds/malicious-domains.txt)" "the feed from another database"
# 4. A site's own trigger on the votes table keeps firing through an import.
sqlite3 data/votes.db "CREATE TABLE site_log (indicator TEXT);
  CREATE TRIGGER site_logs AFTER INSERT ON votes BEGIN INSERT INTO site_log VALUES (NEW.indicator); END;"
printf 'indicator,vote,voter,cast_at\nimported.example.com,0,z,2026-09-01T02:40:00Z\n' >more.csv
"$CROWDFEED" -q -c crowdfeed.toml import-votes more.csv
assert_eq "imported.example.com" "$(sqlite3 data/votes.db 'SELECT indicator FROM site_log')" "the site's trigger"
"$CROWDFEED" -c crowdfeed.toml check >/dev/null || fail "check after an import beside a site trigger"
echo "ok: check, --recount, the compiled whitelist and the shortcut's limits"
