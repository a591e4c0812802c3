# Votes on every indicator type produce all six default feeds, in every
# format of each: domains, IPs (IPv4 and IPv6 together) and hashes (MD5,
# SHA-1 and SHA-256 together), malicious and non-malicious. Whitelists of
# each type keep their own type out and nothing else; the canary guard
# knows the public resolvers; a rerun in the same hour writes the same
# bytes; explain, metrics and the run report speak of every feed.
source "$(dirname "$0")/lib.sh"

md5=$(printf 'dropper' | md5sum | cut -c1-32)
sha1=$(printf 'loader' | sha1sum | cut -c1-40)
sha256=$(printf 'stealer' | sha256sum | cut -c1-64)
good_sha256=$(printf 'installer' | sha256sum | cut -c1-64)
whitelisted_md5=$(printf 'signed tool' | md5sum | cut -c1-32)
{
  echo "indicator,vote,voter,cast_at"
  for voter in a b; do
    for value in evil.example.net 45.33.32.156 2A00:1450:4001:81D::200E "$md5" "$sha1" "$sha256" \
      11.22.33.44 www.example.com "$whitelisted_md5"; do
      echo "$value,malicious,$voter,2026-11-27T20:00:00Z"
    done
    for value in good.example.org 12.0.0.1 2a00:1450:4001::5 "$good_sha256"; do
      echo "$value,non-malicious,$voter,2026-11-27T20:00:00Z"
    done
  done
} >votes.csv
"$CROWDFEED" -q import-votes votes.csv
assert_eq "domain|6 ipv4|6 ipv6|4 md5|4 sha1|2 sha256|4" \
  "$(sqlite3 data/votes.db 'SELECT type, COUNT(*) FROM votes GROUP BY type ORDER BY type' | xargs)" "stored types"

# Whitelists of each type: an operator's domain list, a MISP cidr
# warninglist (an IP source by what it says) and a list of known-good hashes.
echo example.com >domains.txt
printf '{"name": "ranges", "type": "cidr", "list": ["11.22.0.0/16"]}\n' >ranges.json
echo "$whitelisted_md5" >hashes.txt
cat >crowdfeed.toml <<'TOML'
[[whitelist.sources]]
name = "ops-domains"
kind = "trusted"
location = "domains.txt"
[[whitelist.sources]]
name = "ops-ranges"
kind = "trusted"
location = "ranges.json"
[[whitelist.sources]]
name = "known-good-hashes"
kind = "trusted"
location = "hashes.txt"
type = "hash"
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
"$CROWDFEED" publish --at 2026-11-27T21:00:00Z 2>err.txt || fail "publish: $(cat err.txt)"
body() { grep -v '^#' "feeds/$1" | xargs; }
assert_eq "evil.example.net" "$(body malicious-domains.txt)" "malicious-domains.txt"
assert_eq "good.example.org" "$(body non-malicious-domains.txt)" "non-malicious-domains.txt"
assert_eq "2a00:1450:4001:81d::200e 45.33.32.156" "$(body malicious-ips.txt)" "malicious-ips.txt"
assert_eq "12.0.0.1 2a00:1450:4001::5" "$(body non-malicious-ips.txt)" "non-malicious-ips.txt"
assert_eq "$(printf '%s\n' "$md5" "$sha1" "$sha256" | sort | xargs)" "$(body malicious-hashes.txt)" "malicious-hashes.txt"
assert_eq "$good_sha256" "$(body non-malicious-hashes.txt)" "non-malicious-hashes.txt"
assert_eq "indicator,type,whitelist_entry,rule,malicious_votes,non_malicious_votes,last_vote_at
11.22.33.44,ipv4,11.22.0.0/16,trusted: ops-ranges,2,0,2026-11-27T20:00:00Z
$whitelisted_md5,md5,$whitelisted_md5,trusted: known-good-hashes,2,0,2026-11-27T20:00:00Z
www.example.com,domain,example.com,trusted: ops-domains,2,0,2026-11-27T20:00:00Z" "$(cat feeds/excluded-domains.csv)" "excluded-domains.csv"

# Every format of each feed, as the manifest lists it.
expected="malicious-domains.txt malicious-domains.hosts malicious-domains.adblock.txt malicious-domains.rpz
malicious-domains.unbound.conf malicious-domains.dnsmasq.conf malicious-domains.csv malicious-domains.json
malicious-domains.zeek.intel non-malicious-domains.txt non-malicious-domains.adblock.txt non-malicious-domains.rpz
non-malicious-domains.unbound.conf non-malicious-domains.dnsmasq.conf non-malicious-domains.csv
non-malicious-domains.json malicious-ips.txt malicious-ips.rpz malicious-ips.csv malicious-ips.json
malicious-ips.zeek.intel malicious-ips.ipset malicious-ips.nft non-malicious-ips.txt non-malicious-ips.rpz
non-malicious-ips.csv non-malicious-ips.json non-malicious-ips.ipset non-malicious-ips.nft malicious-hashes.txt
malicious-hashes.csv malicious-hashes.json malicious-hashes.zeek.intel malicious-hashes.hsb non-malicious-hashes.txt
non-malicious-hashes.csv non-malicious-hashes.json non-malicious-hashes.sfp"
for file in $expected; do
  [ -s "feeds/$file" ] || fail "$file is missing"
  [ -s "feeds/$file.gz" ] || fail "$file.gz is missing"
  grep -q "\"name\": \"$file\"" feeds/manifest.json || fail "the manifest does not list $file"
  # Every file states its licence in its own comment syntax.
  grep -q "License.*(Apache-2.0)" "feeds/$file" || fail "$file has no licence header"
done
listed=$(grep -o '"name": "[^"]*"' feeds/manifest.json | cut -d'"' -f4 | grep -vE '\.gz$|\.(added|removed)\.txt$|^excluded-domains\.csv$' | sort | xargs)
assert_eq "$(echo $expected | tr ' ' '\n' | sort | xargs)" "$listed" "the feed files the manifest lists"
# Each syntax's own lines.
grep -qx "45.33.32.156	Intel::ADDR	crowdfeed	voted malicious by 2 of 2 voters" feeds/malicious-ips.zeek.intel || fail "Zeek Intel::ADDR line"
grep -qx "$sha256	Intel::FILE_HASH	crowdfeed	voted malicious by 2 of 2 voters" feeds/malicious-hashes.zeek.intel || fail "Zeek Intel::FILE_HASH line"
grep -q "^ip,verdict,malicious_votes" feeds/malicious-ips.csv || fail "IP CSV header"
grep -q "^hash,verdict,malicious_votes" feeds/malicious-hashes.csv || fail "hash CSV header"
python3 - <<'PY' || fail "the IP and hash JSON feeds"
import json
ips = json.load(open("feeds/malicious-ips.json"))["entries"]
assert [(e["ip"], e["type"]) for e in ips] == [("2a00:1450:4001:81d::200e", "ipv6"), ("45.33.32.156", "ipv4")], ips
hashes = json.load(open("feeds/malicious-hashes.json"))["entries"]
assert sorted(e["type"] for e in hashes) == ["md5", "sha1", "sha256"], hashes
PY
grep -qx "$good_sha256:\*:crowdfeed.non-malicious-hashes:73" feeds/non-malicious-hashes.sfp || fail "ClamAV allow-list line"
grep -qx "32.156.32.33.45.rpz-ip CNAME ." feeds/malicious-ips.rpz || fail "RPZ IP trigger"
grep -qx "32.1.0.0.12.rpz-ip CNAME rpz-passthru." feeds/non-malicious-ips.rpz || fail "RPZ IP passthru"

# Metrics and the run report name all six feeds.
for feed in malicious-domains non-malicious-domains malicious-ips non-malicious-ips malicious-hashes non-malicious-hashes; do
  grep -q "crowdfeed_feed_entries{feed=\"$feed\"}" state/crowdfeed.prom || fail "no metrics for $feed"
  grep -q "$feed" feeds/archive/history.csv || fail "no history for $feed"
done
assert_contains "$(cat err.txt)" "malicious-ips 2 entries (+2 -0); non-malicious-ips 2 entries (+2 -0); malicious-hashes 3 entries (+3 -0)" "summary"

# explain takes every type.
out=$("$CROWDFEED" explain 11.22.33.44 --at 2026-11-27T21:05:00Z)
assert_contains "$out" "type:       ipv4" "explain IPv4 type"
assert_contains "$out" "whitelist:  entry 11.22.0.0/16, trusted: ops-ranges" "explain IPv4 whitelist"
out=$("$CROWDFEED" explain "$sha256" --at 2026-11-27T21:05:00Z)
assert_contains "$out" "feed:       malicious-hashes" "explain hash"

# A rerun in the same hour writes the same bytes, every new file included
# (the manifest and the index page say when the run was).
published() { (cd feeds && find . -maxdepth 1 -type f ! -name manifest.json ! -name index.html -exec sha256sum {} + | sort); }
before=$(published)
"$CROWDFEED" -q publish --at 2026-11-27T21:30:00Z
assert_eq "$before" "$(published)" "a rerun in the same hour"

# An IP whitelist of bare addresses is read as such (not as a hosts file).
printf '# ops addresses\n2a00:1450:4001::5\n45.33.32.156\n' >addresses.txt
printf '[[whitelist.sources]]\nname = "ops-addresses"\nkind = "trusted"\nlocation = "addresses.txt"\n' >>crowdfeed.toml
"$CROWDFEED" -q publish --at 2026-11-27T21:45:00Z
assert_eq "2a00:1450:4001:81d::200e" "$(body malicious-ips.txt)" "malicious-ips.txt with the address whitelist"
grep -q "^45.33.32.156,ipv4,45.33.32.156,trusted: ops-addresses," feeds/excluded-domains.csv || fail "the address whitelist's exclusion"

# The canary guard knows the public resolvers.
for voter in a b; do "$CROWDFEED" -q vote --malicious 1.1.1.1 --voter $voter --at 2026-11-27T21:10:00Z; done
run_status "$CROWDFEED" publish --at 2026-11-27T22:00:00Z
assert_eq 3 "$STATUS" "a public resolver voted malicious"
assert_contains "$ERR" "guard: the canary ipv4 1.1.1.1 would be in malicious-ips" "canary guard"
echo ok
