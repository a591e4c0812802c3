# crowdfeed cluster on inputs written by anyone, in the shapes real
# exchanges produce: report names that spreadsheets would run as formulas
# are neutralised in every CSV output; a U+FFFE in a name leaves every XML
# output valid; MISP's STIX 2.1 export (groupings, AND patterns, observed
# data), MISP's /attributes/restSearch answer and malware samples, STIX
# hash names in every case, are read; a URL's host passes the same rules
# as a bare indicator (no libcurl rewriting of 0x7f.1) and a path-only URL
# is said to have no host; nested or huge junk costs bounded memory; a
# file that yields no report is named.
source "$(dirname "$0")/lib.sh"

printf '[cluster]\nmax_reports = 10\nmax_record_mib = 16\n' >crowdfeed.toml
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml

# --- formula injection and XML-forbidden characters ---------------------------
{
  echo 'report,indicator'
  printf '%s,shared-one.example\n' '"=HYPERLINK(""http://evil.example"",""x"")"' '+1+1' '-2+3' '@SUM(1)'
  printf '"\t=1+1",shared-one.example\n'
  printf 'plain\xef\xbf\xbename,shared-one.example\n'
} >formulas.csv
run_status "$CROWDFEED" cluster -o out formulas.csv
assert_eq 0 "$STATUS" "cluster: $ERR"
python3 - <<'PY' || fail "a CSV field a spreadsheet would run as a formula"
import csv
for name in ("clusters.csv", "overlaps.csv", "maltego.csv", "communities.csv"):
    with open(f"out/{name}", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    cells = [cell for row in rows for cell in row]
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
    if name in ("overlaps.csv", "maltego.csv"):
        assert any(cell.startswith("'=HYPERLINK") for cell in cells), (name, cells)
PY
python3 - <<'PY' || fail "an XML output is not well-formed"
import xml.etree.ElementTree as tree
import networkx
for name in ("graph.graphml", "graph.gexf", "graph.svg"):
    tree.parse(f"out/{name}")
graph = networkx.read_graphml("out/graph.graphml")
labels = [data.get("label", "") for _, data in graph.nodes(data=True)]
assert any("plain\\ufffename" in label for label in labels), labels
PY

# --- MISP's STIX 2.1 export, MISP's attribute search, hash names ----------------
cat >misp-stix.json <<'JSON'
{"type": "bundle", "id": "bundle--7d1e5f3c-7a4f-4c56-9a0e-1f4b2f5d7c01", "objects": [
 {"type": "identity", "spec_version": "2.1", "id": "identity--a0c22599-9e58-4da4-96ac-7051603fa951", "name": "MISP"},
 {"type": "grouping", "spec_version": "2.1", "id": "grouping--d402185f-c129-4f65-8678-43edb2cee1cf",
  "name": "Unpublished event", "context": "suspicious-activity",
  "object_refs": ["observed-data--4bb235a7-0000-4000-8000-000000000001", "file--34cb1a7c-0000-4000-8000-000000000002",
                  "indicator--34cb1a7c-0000-4000-8000-000000000003", "indicator--34cb1a7c-0000-4000-8000-000000000004"]},
 {"type": "observed-data", "spec_version": "2.1", "id": "observed-data--4bb235a7-0000-4000-8000-000000000001",
  "object_refs": ["file--34cb1a7c-0000-4000-8000-000000000002"]},
 {"type": "file", "spec_version": "2.1", "id": "file--34cb1a7c-0000-4000-8000-000000000002",
  "hashes": {"MD5": "b2a5abfeef9e36964281a31e17b57c97"}, "name": "filename1"},
 {"type": "indicator", "spec_version": "2.1", "id": "indicator--34cb1a7c-0000-4000-8000-000000000003",
  "pattern": "[file:name = 'filename1' AND file:hashes.MD5 = 'b2a5abfeef9e36964281a31e17b57c97']",
  "pattern_type": "stix", "pattern_version": "2.1", "valid_from": "2020-10-25T16:22:00Z"},
 {"type": "indicator", "spec_version": "2.1", "id": "indicator--34cb1a7c-0000-4000-8000-000000000004",
  "pattern": "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '5.6.7.8']",
  "pattern_type": "stix", "pattern_version": "2.1", "valid_from": "2020-10-25T16:22:00Z"},
 {"type": "report", "spec_version": "2.1", "id": "report--aaaaaaaa-0000-4000-8000-000000000005", "name": "APT1 style",
  "published": "2020-10-25T16:22:00Z", "object_refs": ["indicator--34cb1a7c-0000-4000-8000-000000000006",
  "file--34cb1a7c-0000-4000-8000-000000000007"]},
 {"type": "indicator", "spec_version": "2.1", "id": "indicator--34cb1a7c-0000-4000-8000-000000000006",
  "pattern": "[file:hashes.md5 = 'B2A5ABFEEF9E36964281A31E17B57C97']", "pattern_type": "stix", "valid_from": "2020-10-25T16:22:00Z"},
 {"type": "file", "spec_version": "2.1", "id": "file--34cb1a7c-0000-4000-8000-000000000007",
  "hashes": {"sha256": "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"}}
]}
JSON
cat >misp-search.json <<'JSON'
{"response": {"Attribute": [
 {"id": "69583", "event_id": "145", "category": "Payload delivery", "type": "md5", "to_ids": true,
  "value": "b2a5abfeef9e36964281a31e17b57c97",
  "Event": {"id": "145", "info": "DDoS service", "uuid": "56d76936-0d34-44ff-a8c5-5280c0a8ab16"}},
 {"id": "69584", "event_id": "145", "type": "ip-dst", "value": "5.6.7.8",
  "Event": {"id": "145", "info": "DDoS service", "uuid": "56d76936-0d34-44ff-a8c5-5280c0a8ab16"}},
 {"id": "69585", "event_id": "146", "type": "malware-sample",
  "value": "oui|8764605c6f388c89096b534d33565802", "Event": {"id": "146", "info": "Sample", "uuid": "5e5c1b8c-0000-4000-8000-000000000146"}},
 {"id": "69586", "event_id": "147", "type": "sha256",
  "value": "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", "event_uuid": "5e5c1b8c-0000-4000-8000-000000000147"}
]}}
JSON
cat >otx.json <<'JSON'
{"results": [
 {"id": "p-sample", "name": "Sample seen", "indicators": [{"type": "FileHash-MD5", "indicator": "8764605c6f388c89096b534d33565802"}]},
 {"id": "p-urls", "name": "Odd URLs", "indicators": [
   {"type": "URL", "indicator": "/woolen/"},
   {"type": "URL", "indicator": "http://0x7f.1/gate"},
   {"type": "URL", "indicator": "http://010.8.8.8/x"},
   {"type": "URL", "indicator": "https://user@107.183.86:8443/y"},
   {"type": "URL", "indicator": "http://[2001:db8::1]/z"}]}
]}
JSON
run_status "$CROWDFEED" cluster -o out2 misp-stix.json misp-search.json otx.json
assert_eq 0 "$STATUS" "cluster of MISP's exports: $ERR"
assert_contains "$OUT" "reports                           7" "every report, grouping and event read"
python3 - <<'PY' || fail "the clusters of MISP's exports"
import csv
rows = list(csv.DictReader(open("out2/clusters.csv")))
clusters = sorted(sorted(row["reports"].split(";")) for row in rows)
assert clusters == [
    ["56d76936-0d34-44ff-a8c5-5280c0a8ab16", "5e5c1b8c-0000-4000-8000-000000000147",
     "grouping--d402185f-c129-4f65-8678-43edb2cee1cf", "report--aaaaaaaa-0000-4000-8000-000000000005"],
    ["5e5c1b8c-0000-4000-8000-000000000146", "p-sample"],
], clusters
PY
assert_contains "$ERR" '"/woolen/" is a URL with no host' "a path-only URL"
assert_contains "$ERR" '"http://0x7f.1/gate": its host "0x7f.1"' "a hex address in a URL, quoted as written"
assert_contains "$ERR" '"http://010.8.8.8/x": its host "010.8.8.8"' "a zero-padded address in a URL"
assert_contains "$ERR" '"https://REDACTED@107.183.86:8443/y": its host "107.183.86"' "a shortened address in a URL (its user redacted)"
assert_contains "$OUT" "refused by the normalisers        5" "the refused URLs counted (the documentation address too)"

# --- junk that would cost memory, a file with no report -------------------------
python3 - <<'PY'
with open("deep.json", "w") as f:
    f.write('{"results": [{"id": "deep", "indicators": [], "junk": ' + "[" * 2_000_000 + "]" * 2_000_000 + "},")
    f.write('{"id": "wide", "indicators": [], "junk": [' + ",".join(["1"] * 3_000_000) + "]},")
    f.write('{"id": "empty", "indicators": [], "junk": [' + ",".join(["{}"] * 1_000_000) + "]},")
    f.write('{"id": "fine", "name": "fine", "indicators": [{"type": "domain", "indicator": "shared-one.example"}]}]}')
PY
cat >memory.py <<'PY'
import resource, subprocess, sys
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{result.returncode} {peak_mib:.0f}")
sys.stderr.write(result.stderr)
PY
read -r status peak <<<"$(python3 memory.py "$CROWDFEED" cluster -o out3 deep.json formulas.csv 2>deep.err)"
assert_eq 0 "$status" "cluster of junk: $(cat deep.err)"
# AddressSanitizer's shadow memory and quarantine triple a peak.
limit=200
[ -z "${ASAN_OPTIONS:-}" ] || limit=600
[ "$peak" -lt "$limit" ] || fail "reading 10 MB of junk took $peak MiB (limit $limit)"
assert_contains "$(cat deep.err)" "deep.json: pulse 0: nested deeper than 32 levels; skipped" "the deep record"
assert_contains "$(cat deep.err)" "deep.json: pulse 1: larger than 16 MiB once read (cluster.max_record_mib); skipped" \
  "the wide record"
assert_contains "$(cat deep.err)" "deep.json: pulse 2: larger than 16 MiB once read" "a record of empty objects"
# A large real-sized event (20,000 attributes, 6 MB) is read whole at the default limit.
python3 - <<'PY'
import json
attributes = [{"id": str(i), "type": "domain", "category": "Network activity", "to_ids": True,
               "uuid": f"00000000-0000-4000-8000-{i:012d}", "value": f"host{i}.big-event.example",
               "comment": "x" * 100} for i in range(20000)]
attributes.append({"id": "x", "type": "domain", "value": "shared-one.example"})
json.dump({"Event": {"uuid": "big-event", "info": "a big event", "Attribute": attributes}}, open("big.json", "w"))
PY
sed -i 's/^max_record_mib = 16$//' crowdfeed.toml
run_status "$CROWDFEED" cluster -o out5 big.json formulas.csv
assert_eq 0 "$STATUS" "a big MISP event: $ERR"
[[ $ERR == *skipped* ]] && fail "the big event was skipped: $ERR"
grep -q 'big-event' out5/clusters.csv || fail "the big event is not clustered: $(cat out5/clusters.csv)"
grep -q '^1,7,' out3/clusters.csv || fail "the good pulse after the junk is not clustered: $(cat out3/clusters.csv)"
echo '{"type": "something else", "items": []}' >nothing.json
run_status "$CROWDFEED" cluster -o out4 nothing.json formulas.csv
assert_eq 0 "$STATUS" "a file without reports beside a good one"
assert_contains "$ERR" "nothing.json: no report read; expected OTX pulses" "the file without reports named"
echo ok
