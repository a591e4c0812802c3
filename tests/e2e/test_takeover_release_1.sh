# A votes database, feeds directory, archive and state directory written by
# the release before indicator types (tests/data/release-1) are taken over
# without loss: the database is upgraded with every vote, the next run's
# domain deltas are against the old release's last published lists, the
# archive and history keep the old hours, versions keep growing, the old
# by-hash objects stay until they expire, and the IP and hash feeds start.
source "$(dirname "$0")/lib.sh"

tar -xzf "$SOURCE_DIR/tests/data/release-1/state.tar.gz"
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
old_votes=$(sqlite3 data/votes.db 'SELECT indicator, voter, verdict, cast_at FROM votes ORDER BY 1, 2')
assert_eq 1 "$(sqlite3 data/votes.db 'PRAGMA user_version')" "the fixture's schema version"
old_objects=$(grep -o '"by_hash": "[^"]*"' feeds/manifest.json | cut -d'"' -f4 | sort -u)
old_history=$(tail -n +2 feeds/archive/history.csv)
old_version=$(sed -n 's/^# Version: //p' feeds/malicious-domains.txt)
assert_eq "evil.example.com new-at-22.example.com phish.example.net" \
  "$(grep -v '^#' feeds/malicious-domains.txt | xargs)" "the old release's list"

# 22:30: phish.example.net is cleared, a new domain and an address voted.
for voter in n o p q r s t u v w x y; do
  "$CROWDFEED" -q vote --non-malicious phish.example.net --voter "$voter" --at 2026-11-27T22:30:00Z
done
for voter in a b c; do
  "$CROWDFEED" -q vote --malicious new-at-23.example.com --voter "$voter" --at 2026-11-27T22:30:00Z
  "$CROWDFEED" -q vote --malicious 45.33.32.156 --voter "$voter" --at 2026-11-27T22:30:00Z
done
assert_eq "$SCHEMA_VERSION" "$(sqlite3 data/votes.db 'PRAGMA user_version')" "the schema version after the first vote"
assert_eq "$old_votes" "$(sqlite3 data/votes.db "SELECT indicator, voter, verdict, cast_at FROM votes WHERE cast_at < strftime('%s', '2026-11-27T22:00:00') ORDER BY 1, 2")" "the old votes after the upgrade"

run_status "$CROWDFEED" publish --at 2026-11-27T23:00:00Z
assert_eq 0 "$STATUS" "the first run of this release: $ERR"
body() { grep -v '^#' "feeds/$1" | xargs; }
assert_eq "evil.example.com new-at-22.example.com new-at-23.example.com" "$(body malicious-domains.txt)" "malicious domains"
assert_eq "new-at-23.example.com" "$(body malicious-domains.added.txt)" "added since the old release's hour"
assert_eq "phish.example.net" "$(body malicious-domains.removed.txt)" "removed since the old release's hour"
grep -qx "# Delta: added since $old_version" feeds/malicious-domains.added.txt || fail "the delta does not start from the old version $old_version"
assert_eq "gone-tomorrow.example.org good.example.org phish.example.net" "$(body non-malicious-domains.txt)" "non-malicious domains"
assert_eq "phish.example.net" "$(body non-malicious-domains.added.txt)" "non-malicious added"
assert_eq "45.33.32.156" "$(body malicious-ips.txt)" "the new IP feed"
assert_eq "45.33.32.156" "$(body malicious-ips.added.txt)" "the new IP feed's delta"
grep -qx "# Delta: added since nothing (the first published version)" feeds/malicious-ips.added.txt || fail "a new feed's delta"
new_version=$(sed -n 's/^# Version: //p' feeds/malicious-domains.txt)
[ "$new_version" \> "$old_version" ] || fail "the version went from $old_version to $new_version"

# The archive and the history keep the old hours; the old by-hash objects
# stay (the previous manifest's consumers may still fetch them).
for hour in 21 22 23; do
  [ -f "feeds/archive/2026/11/27/$hour/malicious-domains.txt.gz" ] || fail "archive hour $hour is missing"
done
assert_eq "$old_history" "$(grep -E '^2026-11-27T2[12]:' feeds/archive/history.csv)" "the old history rows"
assert_eq 6 "$(grep -c '^2026-11-27T23:' feeds/archive/history.csv)" "history rows of the new hour"
for object in $old_objects; do
  [ -f "feeds/$object" ] || fail "the old manifest's $object was deleted"
done
echo ok
