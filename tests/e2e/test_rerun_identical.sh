# A run whose entries and settings did not change leaves every feed file
# byte-for-byte identical: same content, same Last-Modified, same inode and
# mtime, so consumers' conditional downloads get 304.
source "$(dirname "$0")/lib.sh"

"$GEN_VOTES" --votes 5000 --domains 800 --csv votes.csv
"$CROWDFEED" import-votes votes.csv
"$CROWDFEED" publish --at 2026-11-27T21:00:00Z
# The feed files; the delta files (NAME.added.txt, NAME.removed.txt) say
# which hour they start from, so every hour rewrites them.
feed_files() {
  find feeds -maxdepth 1 -type f -printf '%f\n' | grep -vE '\.(added|removed)\.txt$|^(manifest\.json|SHA256SUMS|index\.html)$' | sort
}
fingerprint() {
  local files
  files=$(feed_files)
  (cd feeds && stat -c '%n %i %Y %s' $files && cat $files | sha256sum)
}
before=$(fingerprint)
sleep 1.1  # so that a rewrite would show in the mtime
"$CROWDFEED" publish --at 2026-11-27T22:00:00Z 2>err.txt
# Only the twelve delta files (two for each of the six feeds) and
# SHA256SUMS, which lists their hashes.
assert_contains "$(cat err.txt)" "13 files changed" "summary of the rerun"
after=$(fingerprint)
assert_eq "$before" "$after" "feed files after an unchanged rerun"
grep -q '^# Last modified: 2026-11-27T21:00:00Z$' feeds/malicious-domains.txt || fail "Last-Modified moved"
grep -q '"generated": "2026-11-27T22:00:00Z"' feeds/manifest.json || fail "the manifest records the new run"

# Importing the same votes again changes nothing either.
"$CROWDFEED" import-votes votes.csv
"$CROWDFEED" publish --at 2026-11-27T23:00:00Z
assert_eq "$before" "$(fingerprint)" \
  "feed files after re-importing the same votes"

# A new vote that changes one feed rewrites that feed alone.
non_malicious_before=$(stat -c '%i %Y' feeds/non-malicious-domains.txt)
"$CROWDFEED" vote --malicious brand-new.example.com --voter x --at 2026-11-27T23:10:00Z
"$CROWDFEED" vote --malicious brand-new.example.com --voter y --at 2026-11-27T23:10:00Z
"$CROWDFEED" publish --at 2026-11-28T00:00:00Z
grep -qx 'brand-new.example.com' feeds/malicious-domains.txt || fail "new entry missing"
grep -q '^# Last modified: 2026-11-28T00:00:00Z$' feeds/malicious-domains.txt || fail "Last-Modified not updated"
assert_eq "$non_malicious_before" "$(stat -c '%i %Y' feeds/non-malicious-domains.txt)" "untouched feed"
echo ok
