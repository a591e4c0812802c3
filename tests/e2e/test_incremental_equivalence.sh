# The kept tallies and the unchanged-hour shortcut publish exactly what a
# run from scratch publishes, whatever happens between runs: see
# incremental_steps.py.
source "$(dirname "$0")/lib.sh"

python3 "$SOURCE_DIR/tests/e2e/incremental_steps.py" "$CROWDFEED" "${INCREMENTAL_RUNS:-300}" 1

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
echo "ok: check and --recount"
