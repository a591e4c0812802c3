# Defects 14-16 of the hardening issue: times must be plausible Unix
# seconds or ISO 8601, never ahead of the wall clock by more than
# clock.max_skew_seconds; a run never publishes an hour earlier than the
# last published one (unless --force, and then versions still grow and the
# removed entries are listed as removed); pruning never runs ahead of the
# wall clock.
source "$(dirname "$0")/lib.sh"

printf '[history]\nretention_days = 1\n' >crowdfeed.toml
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
"$CROWDFEED" -q import-votes "$SOURCE_DIR/deploy/sample-votes.csv"
"$CROWDFEED" -q publish --at 2026-11-27T21:00:00Z
"$CROWDFEED" -q publish --at 2026-11-27T22:00:00Z
published=$(snapshot feeds)
stored=$(sqlite3 data/votes.db 'SELECT * FROM votes ORDER BY 1, 2' | sha256sum)
check_nothing_changed() {
  assert_eq "$published" "$(snapshot feeds)" "published feeds after: $1"
  assert_eq "$stored" "$(sqlite3 data/votes.db 'SELECT * FROM votes ORDER BY 1, 2' | sha256sum)" "votes after: $1"
}

# 14. Milliseconds, microseconds and times past 9999 are refused, by name.
for at in 1795880000000 1795880000000000 9223372036854775807 99999999999 10000-01-01T00:00:00Z; do
  run_status "$CROWDFEED" publish --at "$at"
  assert_eq 2 "$STATUS" "exit code for publish --at $at"
  assert_contains "$ERR" "--at \"$at\"" "publish --at $at named"
  run_status "$CROWDFEED" vote --malicious ms.example.com --voter v --at "$at"
  assert_eq 2 "$STATUS" "exit code for vote --at $at"
done
run_status "$CROWDFEED" publish --at 1795880000000
assert_contains "$ERR" "looks like Unix milliseconds (13 digits), not seconds" "milliseconds named"
run_status "$CROWDFEED" vote --malicious ms.example.com --voter v --at 1795880000000000
assert_contains "$ERR" "looks like Unix microseconds (16 digits), not seconds" "microseconds named"
printf 'indicator,vote,voter,cast_at\nms.example.com,0,v,1795880000000\n' >ms.csv
run_status "$CROWDFEED" import-votes ms.csv
assert_eq 1 "$STATUS" "exit code for a vote file with milliseconds"
assert_contains "$ERR" 'ms.csv:2: cast_at "1795880000000" looks like Unix milliseconds' "milliseconds in a file"
check_nothing_changed "times in milliseconds"

# 15. Times ahead of the wall clock are refused: publish --at, vote --at
# and a vote file's cast_at; a vote of the year 2100 would shadow the
# voter's later votes until then.
ahead=$(date -u -d '+1 month' +%Y-%m-%dT%H:00:00Z)
run_status "$CROWDFEED" publish --at "$ahead"
assert_eq 2 "$STATUS" "exit code for publish --at a month ahead"
assert_contains "$ERR" "more than the allowed skew of 300 s; a run is never for an hour that has not come" "future run"
run_status "$CROWDFEED" vote --malicious future.example.com --voter v --at 2100-01-01T00:00:00Z
assert_eq 2 "$STATUS" "exit code for vote --at 2100"
assert_contains "$ERR" "ahead of this machine's clock" "future vote"
printf 'indicator,vote,voter,cast_at\nfuture.example.com,0,v,2100-01-01T00:00:00Z\n' >future.csv
run_status "$CROWDFEED" import-votes future.csv
assert_eq 1 "$STATUS" "exit code for a vote file from the future"
assert_contains "$ERR" "future.csv:2: cast_at \"2100-01-01T00:00:00Z\" is" "future vote in a file"
check_nothing_changed "times ahead of the clock"
# Within the skew is fine, and the skew is configurable.
printf '[clock]\nmax_skew_seconds = 7200\n' >skew.toml
soon=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
run_status "$CROWDFEED" -c skew.toml --database data/votes.db vote --malicious soon.example.com --voter v --at "$soon"
assert_eq 0 "$STATUS" "a vote within clock.max_skew_seconds: $ERR"
stored=$(sqlite3 data/votes.db 'SELECT * FROM votes ORDER BY 1, 2' | sha256sum)

# A last success later than now (a clock that went back) is not OK.
python3 - <<'PY'
import json
report = json.load(open("state/last-run.json"))
report["last_success"] = "2100-01-01T00:00:00Z"
json.dump(report, open("state/last-run.json", "w"))
PY
run_status "$CROWDFEED" status
assert_eq 2 "$STATUS" "status with a last success in the future"
assert_contains "$OUT" "CROWDFEED CRITICAL: the last successful run, 2100-01-01T00:00:00Z, is later than now" "status"

# 16. An hour earlier than the one published: refused, nothing changes.
"$CROWDFEED" -q vote --non-malicious secure-login-paypa1.example --voter x --at 2026-11-27T20:00:00Z
for voter in y z w; do "$CROWDFEED" -q vote --non-malicious secure-login-paypa1.example --voter $voter --at 2026-11-27T20:00:00Z; done
stored=$(sqlite3 data/votes.db 'SELECT * FROM votes ORDER BY 1, 2' | sha256sum)
run_status "$CROWDFEED" publish --at 2026-11-27T21:00:00Z
assert_eq 2 "$STATUS" "exit code for an earlier hour"
assert_contains "$ERR" "refusing to publish the hour 2026112721: $WORK/feeds already holds the later hour 2026112722" "rollback refused"
check_nothing_changed "a refused rollback"
grep -qx secure-login-paypa1.example feeds/malicious-domains.txt || fail "the test needs secure-login-paypa1.example listed"
serial=$(sed -n 's/.*SOA .*(\([0-9]*\) .*/\1/p' feeds/malicious-domains.rpz)
# With --force it publishes, and consumers still see a newer version that
# removes what it drops.
run_status "$CROWDFEED" publish --force --at 2026-11-27T21:00:00Z
assert_eq 0 "$STATUS" "a forced rollback: $ERR"
grep -qx secure-login-paypa1.example feeds/malicious-domains.txt && fail "the new votes were not counted"
grep -qx secure-login-paypa1.example feeds/malicious-domains.removed.txt || fail "removed.txt does not list the dropped entry"
# The list it replaces last changed at 21:00, so the delta starts there.
grep -qx '# Delta: removed since 202611272100' feeds/malicious-domains.removed.txt || fail "the delta's base"
new_serial=$(sed -n 's/.*SOA .*(\([0-9]*\) .*/\1/p' feeds/malicious-domains.rpz)
[ "$new_serial" -gt "$serial" ] || fail "the RPZ serial went from $serial to $new_serial"
grep -qx '# Version: 202611272201' feeds/malicious-domains.txt || fail "the version did not grow"
grep -q '"version": "202611272201"' feeds/manifest.json || fail "the manifest's version did not grow"
# Without its manifest (lost, damaged) the feeds directory still remembers,
# through its archive, what it published: no rollback, no older version.
rm feeds/manifest.json
run_status "$CROWDFEED" publish --at 2026-11-27T20:00:00Z
assert_eq 2 "$STATUS" "exit code for an earlier hour without a manifest"
assert_contains "$ERR" "already holds the later hour 2026112722" "rollback refused through the archive"
"$CROWDFEED" -q vote --malicious another.example --voter x --at 2026-11-27T20:00:00Z
"$CROWDFEED" -q vote --malicious another.example --voter y --at 2026-11-27T20:00:00Z
run_status "$CROWDFEED" publish --at 2026-11-27T22:00:00Z
assert_eq 0 "$STATUS" "a run after the manifest was lost: $ERR"
grep -qx '# Version: 202611272202' feeds/malicious-domains.txt || fail "the version went back without the manifest"
# A manifest dated far ahead of the clock is not this job's: it is ignored,
# and cannot hold the versions there.
sed -i 's/"hour": "2026-11-27T22:00:00Z"/"hour": "9999-12-31T23:00:00Z"/' feeds/manifest.json
"$CROWDFEED" -q vote --malicious third.example --voter x --at 2026-11-27T20:00:00Z
"$CROWDFEED" -q vote --malicious third.example --voter y --at 2026-11-27T20:00:00Z
run_status "$CROWDFEED" publish --at 2026-11-27T22:00:00Z
assert_eq 0 "$STATUS" "a run after a manifest from the future: $ERR"
assert_contains "$ERR" "ignoring the unreadable previous manifest" "future manifest reported"
grep -qx '# Version: 202611272203' feeds/malicious-domains.txt || fail "the version after a manifest from the future"

# Pruning never runs ahead of the wall clock: the archive keeps every hour.
assert_eq "2026/11/27/21 2026/11/27/22" \
  "$(cd feeds/archive && find . -mindepth 4 -maxdepth 4 -type d -printf '%P\n' | sort | tr '\n' ' ' | sed 's/ $//')" \
  "archived hours"
echo ok
