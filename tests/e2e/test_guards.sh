# The guards: a run that would shrink a feed too much, empty it or list a
# canary domain publishes nothing, exits 3 and says why; --force overrides
# it for one run.
source "$(dirname "$0")/lib.sh"

"$GEN_VOTES" --votes 6000 --domains 1500 --csv votes.csv
"$CROWDFEED" -q import-votes votes.csv
"$CROWDFEED" -q publish --at 2026-11-27T21:00:00Z
published=$(snapshot feeds)
before=$(domains_of feeds/malicious-domains.txt | wc -l)

# An emptied database: every feed would lose all its entries.
if [ "$BACKEND" = sqlite ]; then
  mv data data.kept
  emptied=()
else
  pg_sql 'CREATE DATABASE emptied' >/dev/null
  emptied=(--store postgresql:dbname=emptied)
fi
"$CROWDFEED" -q "${emptied[@]}" vote --malicious lonely.example --voter a --at 2026-11-27T21:30:00Z
run_status "$CROWDFEED" "${emptied[@]}" publish --at 2026-11-27T22:00:00Z
assert_eq 3 "$STATUS" "exit code when a guard trips"
assert_contains "$ERR" "guard: malicious-domains would become empty (it has $before entries)" "the reason"
assert_contains "$ERR" "refusing to publish" "the refusal"
assert_eq "$published" "$(snapshot feeds)" "published files after a tripped guard"
[ "$BACKEND" = postgresql ] || { rm -rf data && mv data.kept data; }

# A canary domain voted malicious.
for voter in a b c; do "$CROWDFEED" -q vote --malicious www.google.com --voter $voter --at 2026-11-27T21:40:00Z; done
for voter in a b c; do "$CROWDFEED" -q vote --malicious Google.com --voter $voter --at 2026-11-27T21:40:00Z; done
run_status "$CROWDFEED" publish --at 2026-11-27T22:00:00Z
assert_eq 3 "$STATUS" "exit code for a canary"
assert_contains "$ERR" "guard: the canary domain google.com would be in malicious-domains" "canary named"
assert_eq "$published" "$(snapshot feeds)" "published files after a canary"
# Both refusals are in the run report and the metrics.
grep -q '"result": "guard-tripped"' state/last-run.json || fail "the run report of a tripped guard"
grep -q 'the canary domain google.com would be in malicious-domains' state/last-run.json || fail "the trip's reason"
grep -qx 'crowdfeed_guard_trips_total 2' state/crowdfeed.prom || fail "the guard trips counter"
grep -qx 'crowdfeed_last_run_result{result="guard-tripped"} 1' state/crowdfeed.prom || fail "the result metric"

# --force publishes this run anyway, and says what it overrode.
run_status "$CROWDFEED" publish --force --at 2026-11-27T22:00:00Z
assert_eq 0 "$STATUS" "exit code with --force"
assert_contains "$ERR" "guard overridden by --force: the canary domain google.com" "override logged"
grep -qx google.com feeds/malicious-domains.txt || fail "--force did not publish"
echo ok
