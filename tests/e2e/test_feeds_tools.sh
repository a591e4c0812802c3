# The security tools read what crowdfeed publishes for them, across two
# hours: a real Squid refuses a listed domain and its subdomains and lets
# the rest through; Suricata 7 accepts crowdfeed.rules and its lists
# (suricata -T), alerts on replayed captures of a DNS query for a listed
# domain, traffic with a listed address and downloads of files with a
# listed MD5, SHA-1 or SHA-256, and on nothing else; suricata-update takes
# the archive as a source; MISP's JSON schema accepts the events, and a
# fetcher that follows MISP's feed algorithm
# finds exactly the hour's added, changed and deleted attributes; Check
# Point's CSV has its seven fields on every line.
source "$(dirname "$0")/lib.sh"

PYTHON=/usr/bin/python3 # Debian's, with scapy
command -v suricata >/dev/null || fail "suricata is needed (deploy/install-build-deps.sh installs it from bookworm-backports)"

# Captures first: the files they download are what is voted on.
"$PYTHON" "$SOURCE_DIR/tests/e2e/suricata_pcaps.py" pcaps evil.example.net good.example.org 45.33.32.156 \
  45.33.32.157 >bodies.txt
read -r _ md5 _ _ <<<"$(grep -m 1 '^http-md5 ' bodies.txt)"
read -r _ _ sha1 _ <<<"$(grep -m 1 '^http-sha1 ' bodies.txt)"
read -r _ _ _ sha256 <<<"$(grep -m 1 '^http-sha256 ' bodies.txt)"
read -r _ big_md5 _ _ <<<"$(grep -m 1 '^http-big ' bodies.txt)"

votes() { # VALUE VERDICT TIME: two voters agree
  for voter in a b; do echo "$1,$2,$voter,$3"; done
}
{
  echo "indicator,vote,voter,cast_at"
  for value in evil.example.net sub.evil.example.net other.example.org gone.example.org 45.33.32.156 \
    2a00:1450:4001:81d::200e "$md5" "$sha1" "$sha256" "$big_md5"; do
    votes "$value" malicious 2026-11-27T20:00:00Z
  done
  votes good.example.org non-malicious 2026-11-27T20:00:00Z
} >votes.csv
"$CROWDFEED" -q import-votes votes.csv
cat >crowdfeed.toml <<'TOML'
[feeds]
public_url = "https://feeds.example.net/"
formats = ["txt", "stix", "squid", "checkpoint", "misp", "suricata"]
ip_formats = ["txt", "stix", "mikrotik", "checkpoint", "misp", "suricata", "iprep"]
hash_formats = ["txt", "stix", "checkpoint", "misp", "filemd5", "filesha1", "filesha256"]
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
"$CROWDFEED" -q publish --at 2026-11-27T21:00:00Z 2>err.txt || fail "publish: $(cat err.txt)"

# Squid: the file keeps the parent, whose leading dot covers the subdomain.
assert_eq ".evil.example.net .gone.example.org .other.example.org" \
  "$(grep -v '^#' feeds/malicious-domains.squid | xargs)" "the Squid ACL"
origin_port=$(free_port)
mkdir origin && echo "from the origin" >origin/index.html
python3 -m http.server --bind 127.0.0.1 --directory origin "$origin_port" >origin.log 2>&1 &
SERVER_PIDS+=($!)
start_squid "$WORK/feeds/malicious-domains.squid" evil.example.net sub.evil.example.net deep.sub.evil.example.net \
  good.example.org other.example.org
for _ in $(seq 100); do curl -sf --noproxy '*' -o /dev/null "http://127.0.0.1:$origin_port/" && break; sleep 0.05; done
for name in evil.example.net sub.evil.example.net deep.sub.evil.example.net EVIL.example.net other.example.org; do
  assert_eq 403 "$(via_squid "http://$name:$origin_port/")" "Squid for $name"
done
assert_eq 200 "$(via_squid "http://good.example.org:$origin_port/")" "Squid for an unlisted domain"

# Suricata: the rules and lists as published, offline.
suricata_run() { # OUTDIR [SURICATA ARGS...]
  local out=$1
  shift
  mkdir -p "$out"
  local feeds=$WORK/${SURICATA_FEEDS:-feeds}
  suricata -c "$SOURCE_DIR/tests/data/suricata/offline.yaml" -S "$feeds/crowdfeed.rules" -l "$out" \
    --set "default-rule-path=$feeds" --set "reputation-categories-file=$feeds/crowdfeed-iprep-categories.txt" \
    --set "default-reputation-path=$feeds" --set "reputation-files.0=malicious-ips.iprep" "$@" \
    >"$out/stdout" 2>&1 || fail "suricata $*: $(cat "$out/stdout")"
  # Loading errors that Suricata survives (a bad reputation line) are
  # failures here.
  local complaints
  complaints=$(grep -E '^(E|W): ' "$out/stdout" || true)
  [ -z "$complaints" ] || fail "suricata $* complains: $complaints"
}
suricata_run suricata-test -T
alerts_of() { # CAPTURE: the sids Suricata raises on it, sorted
  local out=suricata-${SURICATA_FEEDS:-feeds}-$1
  suricata_run "$out" --init-errors-fatal -k none -r "pcaps/$1.pcap"
  jq -r 'select(.event_type == "alert") | .alert.signature_id' "$out/eve.json" | sort | xargs
}
# Sids: 9100000 + 10 x the feed's number (domains 1, IPs 3, hashes 5) + the rule.
assert_eq "9100011" "$(alerts_of dns-listed)" "a DNS query for a listed domain"
assert_eq "9100011" "$(alerts_of dns-listed-upper)" "a DNS query for a listed domain in capitals"
assert_eq "" "$(alerts_of dns-unlisted)" "a DNS query for an unlisted domain"
assert_eq "9100031 9100033" "$(alerts_of tcp-to-listed)" "a connection to a listed address"
assert_eq "9100032 9100033" "$(alerts_of tcp-from-listed)" "a connection from a listed address"
assert_eq "" "$(alerts_of tcp-unlisted)" "a connection to an unlisted address"
assert_eq "9100054" "$(alerts_of http-md5)" "a download listed by MD5"
assert_eq "9100054" "$(alerts_of http-big)" "a large download listed by MD5"
assert_eq "9100055" "$(alerts_of http-sha1)" "a download listed by SHA-1"
assert_eq "9100056" "$(alerts_of http-sha256)" "a download listed by SHA-256"
assert_eq "" "$(alerts_of http-unlisted)" "an unlisted download"

# suricata-update takes the archive as a source (a file:// URL needs no
# network), copies the datasets and hash lists, and tests the result
# with Suricata itself; the iprep rule comes disabled.
suricata-update -D update-data -o update-rules --no-reload --url "file://$WORK/feeds/crowdfeed-suricata.tar.gz" \
  >update.log 2>&1 || fail "suricata-update: $(tail -n 5 update.log)"
rules=$(grep -h 'sid:91000' update-rules/*.rules)
assert_contains "$rules" "sid:9100011" "suricata-update's rules"
assert_contains "$rules" "# alert ip any any -> any any (msg:\"crowdfeed traffic with an address of malicious-ips\"" \
  "suricata-update's iprep rule, disabled"
[ -e update-rules/malicious-hashes.md5 ] || fail "suricata-update did not copy the MD5 list"

# MISP: the first hour adds every attribute.
misp_fetch() { # LABEL NOW
  "$PYTHON" "$SOURCE_DIR/tests/e2e/misp_fetch.py" feeds/misp misp-state --now "$2" >"misp-$1.json" ||
    fail "the MISP fetch of $1: $(cat "misp-$1.json")"
}
# Each event validates against MISP's JSON schema of events.
misp_schema() {
  /usr/bin/python3 - "$SOURCE_DIR/tests/data/misp/schema.json" feeds/misp/*-*.json <<'PY' || fail "MISP's schema"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
validator = jsonschema.Draft4Validator(schema)
for path in sys.argv[2:]:
    errors = list(validator.iter_errors(json.load(open(path))))
    assert not errors, (path, [f"{list(e.path)}: {e.message}" for e in errors][:5])
PY
}
misp_schema
misp_fetch first 1795813300
summary() { # LABEL INFO: what the fetch did to that event
  jq -r --arg info "$2" '.events[] | select(.info == $info) |
    "\(.action) added=\(.summary.added) updated=\(.summary.updated) removed=\(.summary.removed) unchanged=\(.summary.unchanged)"' \
    "misp-$1.json"
}
assert_eq "add added=5 updated=0 removed=0 unchanged=0" "$(summary first "crowdfeed malicious domains")" \
  "the first fetch of the domains"
assert_eq "true" "$(jq '.hashes_csv.ok' misp-first.json)" "hashes.csv in the first hour"

# The second hour: a domain leaves the feed, one gets a vote against, one
# is new; the addresses do not change.
{
  echo "indicator,vote,voter,cast_at"
  echo "gone.example.org,non-malicious,c,2026-11-27T21:30:00Z"
  echo "gone.example.org,non-malicious,d,2026-11-27T21:30:00Z"
  echo "other.example.org,malicious,e,2026-11-27T21:30:00Z"
  votes new.example.org malicious 2026-11-27T21:30:00Z
} >votes2.csv
"$CROWDFEED" -q import-votes votes2.csv
"$CROWDFEED" -q publish --at 2026-11-27T22:00:00Z 2>err.txt || fail "publish: $(cat err.txt)"
misp_schema
misp_fetch second 1795816900
assert_eq "edit added=1 updated=1 removed=1 unchanged=3" "$(summary second "crowdfeed malicious domains")" \
  "the second fetch of the domains"
assert_eq "gone.example.org" "$(jq -r '.events[] | select(.info == "crowdfeed malicious domains") |
  .attributes.removed[].attribute | split("=")[1]' misp-second.json)" "the deleted attribute"
assert_eq "skip (local copy not older than manifest)" "$(jq -r '.events[] | select(.info == "crowdfeed malicious IPs") | .action' misp-second.json)" \
  "the unchanged IPs"
assert_eq "true" "$(jq '.hashes_csv.ok' misp-second.json)" "hashes.csv in the second hour"
# A fetch again finds nothing new.
misp_fetch again 1795817000
assert_eq "0" "$(jq '[.events[] | select(.action != "skip (local copy not older than manifest)")] | length' misp-again.json)" \
  "a fetch of an unchanged feed"

# MISP's feed definitions name the MISP feed and each plain list.
assert_eq "misp https://feeds.example.net/misp" "$(jq -r '.[0].Feed | "\(.source_format) \(.url)"' feeds/misp-feeds.json)" \
  "the MISP feed's definition"
assert_eq "csv https://feeds.example.net/malicious-domains.txt" \
  "$(jq -r '.[1].Feed | "\(.source_format) \(.url)"' feeds/misp-feeds.json)" "a plain list's definition"

# Check Point: seven fields on every line, comments included.
python3 - "$WORK/feeds/malicious-hashes.checkpoint.csv" <<'PY' || fail "the Check Point CSV"
import csv, sys
with open(sys.argv[1], newline="") as file:
    rows = list(csv.reader(file))
assert all(len(row) == 7 for row in rows), [row for row in rows if len(row) != 7]
records = [row for row in rows if not row[0].startswith("#")]
assert sorted(row[2] for row in records) == ["MD5", "MD5", "SHA1", "SHA256"], records
assert all(row[5] == "AV" for row in records), records
PY

# A title with what would end a rule's msg and add options of its own
# stays text: the rules still load and alert.
cat >hostile.toml <<'TOML'
[paths]
feeds_dir = "hostile-feeds"
state_dir = "hostile-state"
[feeds]
title = 'Acme; Labs \ "x"; noalert; metadata:x'
formats = ["txt", "suricata"]
ip_formats = ["txt", "suricata", "iprep"]
hash_formats = ["txt", "filemd5"]
TOML
CROWDFEED_CONFIG=$WORK/hostile.toml "$CROWDFEED" -q publish --at 2026-11-27T22:00:00Z 2>err.txt ||
  fail "publish with a hostile title: $(cat err.txt)"
SURICATA_FEEDS=hostile-feeds
suricata_run suricata-hostile -T
assert_eq "9100011" "$(alerts_of dns-listed)" "a DNS query for a listed domain, under a hostile title"
assert_eq "9100031 9100033" "$(alerts_of tcp-to-listed)" "a connection to a listed address, under a hostile title"
