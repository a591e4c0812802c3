# Votes in, feed files out: the whole path through the built binary,
# checked line by line.
source "$(dirname "$0")/lib.sh"

cat >votes.csv <<'CSV'
indicator,vote,voter,cast_at
evil.example.com,malicious,alice,2026-11-20T10:00:00Z
EVIL.example.com.,0,bob,1795000000
phish.example.net,malicious,alice,2026-11-21T10:00:00Z
phish.example.net,malicious,bob,2026-11-21T11:00:00Z
phish.example.net,non-malicious,carol,2026-11-21T12:00:00Z
phish.example.net,malicious,dave,2026-11-21T13:00:00Z
cdn.popular.example,malicious,alice,2026-11-21T10:00:00Z
cdn.popular.example,malicious,bob,2026-11-21T10:00:00Z
contested.example.org,malicious,alice,2026-11-21T10:00:00Z
contested.example.org,non-malicious,bob,2026-11-21T10:00:00Z
contested.example.org,malicious,carol,2026-11-21T10:00:00Z
contested.example.org,non-malicious,dave,2026-11-21T10:00:00Z
CSV
cat >votes.jsonl <<'JSON'
{"indicator": "bücher.example", "vote": 1, "voter": "alice", "cast_at": "2026-11-22T09:00:00Z"}
{"indicator": "xn--bcher-kva.example", "vote": "non-malicious", "voter": "bob", "cast_at": 1795400000}
JSON
cat >whitelist.txt <<'TXT'
# well-known good domains
popular.example
TXT
cat >crowdfeed.toml <<'TOML'
[paths]
database = "data/votes.db"
state_dir = "state"
feeds_dir = "public"
[policy]
max_age_days = 365
[whitelist]
files = ["whitelist.txt"]
[feeds]
homepage = "https://feeds.example.net/"
TOML

"$CROWDFEED" -c crowdfeed.toml import-votes votes.csv
"$CROWDFEED" -c crowdfeed.toml import-votes votes.jsonl
"$CROWDFEED" -c crowdfeed.toml vote --malicious single.example.com --voter dave --at 2026-11-25T00:00:00Z
"$CROWDFEED" -c crowdfeed.toml vote --non-malicious single.example.com --voter dave --at 2026-11-26T00:00:00Z
"$CROWDFEED" -c crowdfeed.toml vote --non-malicious single.example.com --voter erin --at 2026-11-26T00:00:00Z
# An older vote by the same voter changes nothing, and says which stands.
run_status "$CROWDFEED" -c crowdfeed.toml vote --malicious single.example.com --voter erin --at 2026-11-25T12:00:00Z
assert_contains "$ERR" "kept erin's vote on domain single.example.com: it is not older than this malicious vote cast at 2026-11-25T12:00:00Z" "an older vote"
run_status "$CROWDFEED" -c crowdfeed.toml publish --at 2026-11-27T21:05:00Z
assert_eq 0 "$STATUS" "publish exit code"
assert_contains "$ERR" "published: malicious-domains 2 entries (+2 -0); non-malicious-domains 2 entries (+2 -0); malicious-ips 0 entries (+0 -0); non-malicious-ips 0 entries (+0 -0); malicious-hashes 0 entries (+0 -0); non-malicious-hashes 0 entries (+0 -0); 1 excluded by the whitelist" "summary"

expected_header() {  # TITLE VERDICT EXTRA ENTRIES
  cat <<TXT
# Title: crowdfeed $1 domains
# Description: Domains that community voters voted $2 (at least 2 votes and 75% of all votes for the verdict, votes of the last 365 days).$3
# Homepage: https://feeds.example.net/
# License: https://www.apache.org/licenses/LICENSE-2.0 (Apache-2.0)
# Terms: Provided "as is", without warranty of any kind; verify before you block. Entries are community votes, not a guarantee.
# False positives: report at https://feeds.example.net/
# Expires: 1 hour
# Last modified: 2026-11-27T21:00:00Z
# Version: 202611272100
# Syntax: one indicator per line
# Number of entries: $4
TXT
}
expected=$(expected_header malicious malicious " Well-known good domains are kept out by a whitelist." 2; printf 'evil.example.com\nphish.example.net')
assert_eq "$expected" "$(cat public/malicious-domains.txt)" "malicious feed"
expected=$(expected_header non-malicious non-malicious "" 2; printf 'single.example.com\nxn--bcher-kva.example')
assert_eq "$expected" "$(cat public/non-malicious-domains.txt)" "non-malicious feed"

(cd public && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match the files"
# The manifest lists every file published, and nothing else.
assert_eq "$(ls public | grep -vxE 'manifest.json|SHA256SUMS|by-hash|archive|index.html' | LC_ALL=C sort)" \
  "$(python3 -c 'import json; print("\n".join(sorted(f["name"] for f in json.load(open("public/manifest.json"))["files"])))' | LC_ALL=C sort)" \
  "files in the manifest"
assert_by_hash_consistent public "the feeds directory"

# explain: the whitelisted domain names its entry and source.
out=$("$CROWDFEED" -c crowdfeed.toml explain CDN.Popular.Example --at 2026-11-27T21:05:00Z)
assert_contains "$out" "indicator:  cdn.popular.example" "explain domain"
assert_contains "$out" "votes:      2 malicious, 0 non-malicious" "explain votes"
assert_contains "$out" "whitelist:  entry popular.example, trusted: whitelist.txt" "explain whitelist"
assert_contains "$out" "feed:       none (voted malicious, kept out by the whitelist)" "explain feed"
out=$("$CROWDFEED" -c crowdfeed.toml explain contested.example.org --at 2026-11-27T21:05:00Z)
assert_contains "$out" "below min_share 75%" "explain threshold"
run_status "$CROWDFEED" -c crowdfeed.toml explain "http://evil.example.com/login"
assert_eq 2 "$STATUS" "explain of a URL"
assert_contains "$ERR" "crowdfeed: error: \"http://evil.example.com/login\" is a URL; use its host part 'evil.example.com'" "explain of a URL"

# A dry run prints the changes and writes nothing.
"$CROWDFEED" -c crowdfeed.toml vote --malicious new.example.com --voter alice --at 2026-11-27T21:30:00Z
"$CROWDFEED" -c crowdfeed.toml vote --malicious new.example.com --voter bob --at 2026-11-27T21:30:00Z
before=$(snapshot public)
run_status "$CROWDFEED" -c crowdfeed.toml publish --dry-run --at 2026-11-27T22:00:00Z
assert_eq 0 "$STATUS" "dry run exit code"
assert_eq "malicious-domains +new.example.com" "$(echo "$OUT" | grep -v '^would write ')" "dry run changes"
assert_contains "$OUT" "would write malicious-domains.txt" "dry run files"
echo "$OUT" | grep -q '^would write non-malicious-domains.txt' && fail "a dry run would rewrite the unchanged feed"
assert_eq "$before" "$(snapshot public)" "files after a dry run"

# Votes cast after the run time are ignored, and said so.
"$CROWDFEED" -c crowdfeed.toml publish --at 2026-11-27T21:10:00Z 2>err.txt
assert_contains "$(cat err.txt)" "ignored 2 votes cast after the run time" "future votes"
assert_eq "evil.example.com
phish.example.net" "$(domains_of public/malicious-domains.txt)" "feed without future votes"

# Votes older than max_age_days no longer count.
wall_clock "2027-11-25 00:10:00" "$CROWDFEED" -c crowdfeed.toml publish --at 2027-11-25T00:00:00Z
assert_eq "new.example.com" "$(domains_of public/malicious-domains.txt)" "feed a year later"
echo "ok"
