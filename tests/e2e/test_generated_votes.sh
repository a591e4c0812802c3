# Synthetic votes with bad rows and whitelisted domains, checked against an
# independent computation of the thresholds in plain SQL by the sqlite3 shell.
source "$(dirname "$0")/lib.sh"

"$GEN_VOTES" --votes 40000 --domains 4000 --bad 0.02 --whitelisted 0.05 --csv votes.csv --whitelist whitelist.txt
run_status "$CROWDFEED" import-votes votes.csv
assert_eq 1 "$STATUS" "importing a file with bad rows"
# The first 20 bad rows one by one, then how many more; all with --all-errors.
assert_eq 20 "$(echo "$ERR" | grep -c '^crowdfeed: error: votes.csv:[0-9]*: ' || true)" "bad rows listed"
assert_contains "$ERR" "more invalid rows not shown (--all-errors shows every one)" "the rest counted"
run_status "$CROWDFEED" import-votes --all-errors votes.csv
bad_rows=$(echo "$ERR" | grep -c '^crowdfeed: error: votes.csv:[0-9]*: ' || true)
[ "$bad_rows" -gt 500 ] || fail "expected the ~800 bad rows to be listed, got $bad_rows"
"$CROWDFEED" -q import-votes --skip-invalid votes.csv
printf '[policy]\nmax_age_days = 365\n[whitelist]\nfiles = ["whitelist.txt"]\n[paths]\ndatabase = "data/votes.db"\nfeeds_dir = "feeds"\nstate_dir = "state"\n' >crowdfeed.toml
"$CROWDFEED" -c crowdfeed.toml publish --at 2026-11-27T21:00:00Z 2>err.txt

# The thresholds, written independently: 2 votes, 75 %, the last 365 days
# (max_age_days = 365 in crowdfeed.toml above).
oracle() {  # VERDICT: 0 malicious, 1 non-malicious
  sqlite3 data/votes.db "
    SELECT indicator FROM votes
    WHERE cast_at BETWEEN strftime('%s', '2026-11-27T21:00:00Z') - 365 * 86400 AND strftime('%s', '2026-11-27T21:00:00Z')
    GROUP BY indicator
    HAVING SUM(verdict = $1) >= 2 AND SUM(verdict = $1) * 4 >= COUNT(*) * 3
    ORDER BY indicator"
}
grep -v '^#' whitelist.txt | sort >whitelisted.txt
oracle 0 | sort >voted-malicious.txt
comm -23 voted-malicious.txt whitelisted.txt >expected-malicious.txt
domains_of feeds/malicious-domains.txt >published-malicious.txt
[ "$(wc -l <expected-malicious.txt)" -gt 1000 ] || fail "the sample is too small to mean anything"
diff expected-malicious.txt published-malicious.txt || fail "malicious feed differs from the SQL computation"
oracle 1 >expected-non-malicious.txt
diff expected-non-malicious.txt <(domains_of feeds/non-malicious-domains.txt) || fail "non-malicious feed differs"
excluded=$(comm -12 voted-malicious.txt whitelisted.txt | wc -l)
[ "$excluded" -gt 10 ] || fail "too few whitelisted domains were voted malicious to test the whitelist"
assert_contains "$(cat err.txt)" "$excluded excluded by the whitelist" "exclusions in the summary"
[ -z "$(comm -12 published-malicious.txt <(domains_of feeds/non-malicious-domains.txt))" ] || fail "a domain is in both feeds"
# Every published line is a normalised domain: nothing else can reach a feed.
grep -v '^#' feeds/*.txt | cut -d: -f2 | grep -vqE '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$' && fail "a feed line is not a clean domain"
echo ok
