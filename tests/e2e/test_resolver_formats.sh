# Every feed format is loaded by the real tool that imports it: BIND's
# named-checkzone, unbound-checkconf, dnsmasq --test, Pi-hole's gravity
# rules, a CSV reader and a JSON parser; and a running Unbound answers
# NXDOMAIN for a malicious domain and its subdomains and not for others.
source "$(dirname "$0")/lib.sh"

for tool in named-checkzone unbound unbound-checkconf dnsmasq dig; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || fail "$tool is needed (deploy/install-build-deps.sh installs it)"
done
export PATH=$PATH:/usr/sbin

"$GEN_VOTES" --votes 6000 --domains 1500 --csv votes.csv
"$CROWDFEED" -q import-votes votes.csv
# A domain with a hyphen, a punycode label and a deep subdomain, voted in;
# and two that an RPZ zone cannot hold: its own test entry's name (a CNAME
# beside the test entry's data keeps BIND from loading the zone) and a
# name of 200 characters (with "*." and a zone name it passes DNS's 253).
long_name=$(python3 -c 'print(".".join(["z" * 62] * 3) + ".example.com")')
for domain in bad-actor.example.net bücher-phish.example www.deep.sub.malware.example \
  malicious-domains.rpz-test.example.org "$long_name"; do
  for voter in a b c; do "$CROWDFEED" -q vote --malicious "$domain" --voter "$voter" --at 2026-11-27T20:00:00Z; done
done
"$CROWDFEED" publish --at 2026-11-27T21:00:00Z 2>/dev/null
cd feeds
entries() { grep -c . <(grep -v '^#' "$1.txt"); }
m=malicious-domains
n=non-malicious-domains
[ "$(entries $m)" -gt 500 ] && [ "$(entries $n)" -gt 300 ] || fail "too few entries to mean anything"

# BIND accepts both response-policy zones, with the serial from Last-Modified,
# under a zone name of the longest length the zone is made for (63).
zone=$(python3 -c 'print("r" * 49 + ".crowdfeed.rpz")')
for feed in $m $n; do
  out=$(named-checkzone -i full "$zone" $feed.rpz) || fail "named-checkzone rejected $feed.rpz: $out"
  assert_contains "$out" "loaded serial $(date -d 2026-11-27T21:00:00Z +%s)" "RPZ serial of $feed"
done
grep -qx "; skipped malicious-domains.rpz-test.example.org: it is the zone's test entry" $m.rpz ||
  fail "the zone's test entry's name voted in was not skipped"
grep -q "^; skipped $long_name: 200 characters" $m.rpz || fail "the long name was not skipped"
grep -qx "$long_name" $m.txt || fail "the long name is missing from the plain list"

# Unbound accepts a configuration that includes each file.
for feed in $m $n; do
  printf 'server:\n  chroot: ""\n  username: ""\n  directory: "%s"\ninclude: "%s/%s.unbound.conf"\n' "$PWD" "$PWD" "$feed" >unbound-$feed.conf
  out=$(unbound-checkconf unbound-$feed.conf 2>&1) || fail "unbound-checkconf rejected $feed.unbound.conf: $out"
done

# dnsmasq accepts a configuration that includes each file.
for feed in $m $n; do
  printf 'port=0\nno-resolv\nconf-file=%s/%s.dnsmasq.conf\n' "$PWD" "$feed" >dnsmasq-$feed.conf
  out=$(dnsmasq --test --conf-file=dnsmasq-$feed.conf 2>&1) || fail "dnsmasq rejected $feed.dnsmasq.conf: $out"
  assert_contains "$out" "syntax check OK" "dnsmasq on $feed"
done
printf 'port=0\nno-resolv\nlocal=/example.com/\n' >probe.conf
dnsmasq --test --conf-file=probe.conf >/dev/null 2>&1 || fail "dnsmasq --test accepts nothing: the check above proves nothing"

# AdGuard's own parser (@adguard/agtree, with @adguard/tsurlfilter building
# each rule as the browser extension does) finds every rule valid and reads
# the header's metadata: the keys list tools know, Expires in hours.
adguard=$SOURCE_DIR/tests/adguard
[ -d "$adguard/node_modules/@adguard/agtree" ] || fail "AdGuard's parser is needed (deploy/install-build-deps.sh --tests)"
for feed in $m $n; do
  out=$(node "$adguard/check_adblock.mjs" $feed.adblock.txt) || fail "AdGuard's parser refused $feed.adblock.txt: $out"
  python3 - "$out" "$feed" "$(entries $feed)" <<'PY' || fail "AdGuard's reading of $feed.adblock.txt: $out"
import json, sys
result, feed, entries = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3])
metadata = result["metadata"]
assert result["rules"] == entries, (result["rules"], entries)
verdict = "non-malicious" if feed.startswith("non-") else "malicious"
assert metadata["Title"] == f"crowdfeed {verdict} domains", metadata
for key in ("Description", "Homepage", "License", "Version"):
    assert metadata.get(key), (key, metadata)
assert metadata["Expires"] == "1 hour", metadata
assert metadata["Last modified"] == "2026-11-27T21:00:00Z", metadata
PY
done
printf '! Title: broken\n||ok.example^\n||bad.example^$no-such-modifier\n' >broken.adblock.txt
node "$adguard/check_adblock.mjs" broken.adblock.txt >/dev/null && fail "AdGuard's parser accepts anything: the check above proves nothing"

# Pi-hole's gravity finds no invalid line and the header's count of entries.
python3 "$SOURCE_DIR/tests/e2e/check_gravity.py" $m.hosts "$(entries $m)" || fail "gravity rules on $m.hosts"
python3 "$SOURCE_DIR/tests/e2e/check_gravity.py" $m.adblock.txt "$(entries $m)" || fail "gravity rules on $m.adblock.txt"
python3 "$SOURCE_DIR/tests/e2e/check_gravity.py" $n.adblock.txt "$(entries $n)" || fail "gravity rules on $n.adblock.txt"
printf '0.0.0.0 ok.example\n0.0.0.0 bad domain.example\n' >broken.hosts
python3 "$SOURCE_DIR/tests/e2e/check_gravity.py" broken.hosts 2 >/dev/null && fail "the gravity check accepts a broken hosts file"

# CSV and JSON give the same entries as the .txt, through standard parsers.
for feed in $m $n; do
  python3 - "$feed" <<'PY' || fail "CSV or JSON of $feed differs from its .txt"
import csv, json, sys
feed = sys.argv[1]
txt = [line.strip() for line in open(f"{feed}.txt") if not line.startswith("#")]
rows = list(csv.DictReader(line for line in open(f"{feed}.csv") if not line.startswith("#")))
document = json.load(open(f"{feed}.json"))
assert [row["domain"] for row in rows] == txt, "csv"
assert [entry["domain"] for entry in document["entries"]] == txt, "json"
assert document["metadata"]["Number of entries"] == len(txt), "json entry count"
assert all(int(row["malicious_votes"]) >= 0 for row in rows)
assert [row["malicious_votes"] for row in rows] == [str(e["malicious_votes"]) for e in document["entries"]]
PY
done
# Every file carries its header as comments; the .gz copies hold the same bytes.
for file in $m.txt $m.hosts $m.adblock.txt $m.rpz $m.unbound.conf $m.dnsmasq.conf $m.csv $m.zeek.intel; do
  grep -q "License: https://www.apache.org/licenses/LICENSE-2.0 (Apache-2.0)" $file || fail "$file has no licence line"
  grep -q "Last modified: 2026-11-27T21:00:00Z" $file || fail "$file has no Last modified line"
  grep -q "Expires: 1 hour" $file || fail "$file has no Expires line"
  grep -q "Number of entries: $(entries $m)" $file || fail "$file has no entry count"
  cmp -s $file <(zcat $file.gz) || fail "$file.gz is not $file"
done
assert_eq "#fields	indicator	indicator_type	meta.source	meta.desc" "$(grep '^#fields' $m.zeek.intel)" "Zeek fields line"
[ "$(grep -vc '^#' $m.zeek.intel)" -eq "$(entries $m)" ] || fail "Zeek entries"
grep -v '^#' $m.zeek.intel | awk -F'\t' 'NF != 4 || $2 != "Intel::DOMAIN" { exit 1 }' || fail "a Zeek line is not 4 tab-separated fields"

# A real Unbound on a loopback port, with the malicious feed included.
start_unbound "$PWD/$m.unbound.conf" not-in-feed.example
trap 'kill $unbound_pid 2>/dev/null || true; cleanup' EXIT
query() { dns_query "$1"; }
malicious=$(grep -m 1 -v '^#' $m.txt)  # grep | head could die of SIGPIPE under pipefail
assert_eq NXDOMAIN "$(query "$malicious")" "Unbound's answer for $malicious"
assert_eq NXDOMAIN "$(query "www.$malicious")" "Unbound's answer for a subdomain of $malicious"
assert_eq NXDOMAIN "$(query xn--bcher-phish-1eb.example)" "Unbound's answer for an IDN in the feed"
assert_eq NOERROR "$(query not-in-feed.example)" "Unbound's answer for a domain not in the feed"
echo ok
