# crowdfeed cluster on hand-made OTX pulses and a CSV of report,indicator
# rows with known clusters: a shared malicious domain (one pulse names it
# in a URL, another in upper case with a trailing dot) links two pulses; a
# popular domain and a public resolver do not, once whitelisted; a CDN name
# in more reports than cluster.max_reports links none; an excluded hash
# links none; a CSV report links to a pulse; a pulse without an id, an
# e-mail address and a CIDR range are reported, not dropped silently. The
# GraphML is read back with networkx (Debian's python3-networkx), whose
# connected components must equal clusters.csv.
source "$(dirname "$0")/lib.sh"

data=$SOURCE_DIR/tests/data/cluster
cp "$data"/* .
cat >crowdfeed.toml <<'TOML'
[whitelist]
files = ["whitelist.txt"]
[cluster]
max_reports = 2
exclude = ["exclude.txt"]
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml

run_status "$CROWDFEED" cluster -o out pulses.json reports.csv
assert_eq 0 "$STATUS" "cluster: $ERR"
assert_contains "$OUT" "reports                           7" "reports counted"
assert_contains "$OUT" "bad records skipped               1" "the pulse without an id"
assert_contains "$ERR" "pulses.json: pulse 4: the pulse has no \"id\"" "the bad record's position"
assert_contains "$OUT" "ignored, kind CIDR                1" "a CIDR range counted"
assert_contains "$OUT" "ignored, kind email               1" "an e-mail address counted"
assert_contains "$OUT" "refused by the normalisers        1" "a bad value counted"
assert_contains "$ERR" "reports.csv:5: \"not a domain\" contains a space" "the refused value's position"
assert_contains "$OUT" "whitelisted                       2 (e.g. 8.8.8.8, www.google.com)" "whitelisted"
assert_contains "$OUT" "in more than 2 reports            1 (e.g. cdn-everywhere.example)" "over-correlating"
assert_contains "$OUT" "excluded by the analyst           1" "excluded"

expected_clusters='cluster,size,reports,indicators
1,3,64a1f0c2e4b0a1b2c3d4e504;spam-wave-1;spam-wave-2,loader-drop.example;mailer.spam-wave.example
2,2,64a1f0c2e4b0a1b2c3d4e501;64a1f0c2e4b0a1b2c3d4e502,evil-c2.example'
assert_eq "$expected_clusters" "$(cat out/clusters.csv)" "clusters.csv"
expected_overlaps='report_a,report_b,shared,indicators
64a1f0c2e4b0a1b2c3d4e501,64a1f0c2e4b0a1b2c3d4e502,1,evil-c2.example
64a1f0c2e4b0a1b2c3d4e504,spam-wave-1,1,loader-drop.example
spam-wave-1,spam-wave-2,1,mailer.spam-wave.example'
assert_eq "$expected_overlaps" "$(cat out/overlaps.csv)" "overlaps.csv"

# Read back by an independent tool: networkx's GraphML reader.
/usr/bin/python3 - <<'PY' || fail "networkx's reading of graph.graphml"
import csv, networkx
graph = networkx.read_graphml("out/graph.graphml")
reports = {n for n, d in graph.nodes(data=True) if d["kind"] == "report"}
assert len(reports) == 7, reports
overlaps = graph.edge_subgraph([(a, b) for a, b, d in graph.edges(data=True) if d["relation"] == "overlap"])
found = sorted(sorted(graph.nodes[n]["report"] for n in component)
               for component in networkx.connected_components(overlaps))
with open("out/clusters.csv") as clusters:
    expected = sorted(sorted(row["reports"].split(";")) for row in csv.DictReader(clusters))
assert found == expected, (found, expected)
# GEXF, Gephi's format, holds the same graph.
gexf = networkx.read_gexf("out/graph.gexf")
assert gexf.number_of_nodes() == graph.number_of_nodes() and gexf.number_of_edges() == graph.number_of_edges()
gexf_overlaps = gexf.edge_subgraph([(a, b) for a, b, d in gexf.edges(data=True) if d["relation"] == "overlap"])
assert sorted(sorted(gexf.nodes[n]["report"] for n in c) for c in networkx.connected_components(gexf_overlaps)) \
    == expected
# Maltego's table import: one row a link from a clustered report to a linking indicator.
with open("out/maltego.csv") as table:
    rows = list(csv.DictReader(table))
assert len(rows) == sum(1 for a, b, d in graph.edges(data=True) if d["relation"] == "names"), rows
assert {r["indicator_entity"] for r in rows} == {"maltego.Domain"}, rows
names = {graph.nodes[n]["label"] for n in reports}
assert 'Commodity RAT with "quotes" & <angle> brackets' in names, names
kinds = {d["label"]: d["kind"] for n, d in graph.nodes(data=True) if d["kind"] != "report"}
assert kinds == {"evil-c2.example": "domain", "loader-drop.example": "domain",
                 "mailer.spam-wave.example": "domain"}, kinds
PY

# Graphviz draws the DOT file; every clustered report and linking indicator is on it.
command -v dot >/dev/null || fail "Graphviz's dot is needed (apt-get install graphviz)"
dot -Tsvg out/graph.dot -o graph.svg || fail "dot refused graph.dot"
/usr/bin/python3 - <<'PY' || fail "the drawing lacks a report or an indicator"
import xml.etree.ElementTree as tree
texts = {t.text for t in tree.parse("graph.svg").iter("{http://www.w3.org/2000/svg}text")}
for label in ["Banking trojan campaign targets EU banks", 'Commodity RAT with "quotes" & <angle> brackets',
              "evil-c2.example", "loader-drop.example", "mailer.spam-wave.example", "spam-wave-2"]:
    assert label in texts, (label, texts)
assert "Unrelated phishing kit" not in texts, "a lone report is drawn"
PY

# The program's own drawing (through dot) and the one-page report, opened
# in headless Chromium with every host name unresolvable: no script, no
# console error, the cluster table and the drawing loaded.
[ "$(head -c 8 out/graph.png | od -An -tx1 | tr -d ' ')" == 89504e470d0a1a0a ] || fail "graph.png is not a PNG"
grep -q '<svg' out/graph.svg || fail "graph.svg is not an SVG"
grep -qiE '<script|<iframe|@import' out/report.html && fail "the report loads or runs something"
chromium=$(command -v chromium || true)
[ -n "$chromium" ] || fail "chromium is needed (deploy/install-build-deps.sh --tests installs it)"
run_status timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --disable-extensions \
  --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$WORK/profile" --enable-logging=stderr --v=0 \
  --dump-dom "file://$WORK/out/report.html"
assert_eq 0 "$STATUS" "chromium --dump-dom: $(echo "$ERR" | tail -n 3)"
echo "$ERR" | grep -E 'CONSOLE|net::ERR_' && fail "chromium reported a console message or a failed request"
/usr/bin/python3 - "$OUT" <<'PY' || fail "the report Chromium parsed lacks the cluster table or the drawing"
import html.parser, sys
class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.table, self.rows, self.images, self.text = None, 0, [], []
    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        if tag == "table": self.table = attributes.get("id")
        if tag == "tr" and self.table == "clusters": self.rows += 1
        if tag == "img": self.images.append(attributes["src"])
    def handle_data(self, data): self.text.append(data)
page = Page()
page.feed(sys.argv[1])
assert page.rows == 3, page.rows  # the header row and two clusters
assert page.images == ["graph.svg"], page.images
assert 'Commodity RAT with "quotes" & <angle> brackets' in "".join(page.text)
PY

# The same exchange as MISP events (restSearch's {"response": [...]}) and as
# a STIX 2.1 bundle, each told from its keys by --format auto: the same
# clusters. MISP: a composite "domain|ip" and "ip-dst|port" in objects, an
# attribute whose value is a number, an event without an id. STIX: reports
# before the indicators they refer to, an OR of two comparisons, a pattern
# with AND and one on an e-mail address left unread, a Sigma pattern, an
# observable named directly, a reference to an object the bundle lacks.
run_status "$CROWDFEED" cluster -o out-misp events.json reports.csv
assert_eq 0 "$STATUS" "cluster of MISP events: $ERR"
assert_eq "$expected_clusters" "$(cat out-misp/clusters.csv)" "clusters.csv from MISP events"
assert_eq "$expected_overlaps" "$(cat out-misp/overlaps.csv)" "overlaps.csv from MISP events"
assert_contains "$ERR" 'events.json: event 4: the event has no "uuid" or "id"' "the MISP event without an id"
assert_contains "$ERR" 'events.json: event 3 (event "64a1f0c2e4b0a1b2c3d4e504", attribute 2): an attribute has' \
  "the MISP attribute whose value is a number"
assert_contains "$OUT" "ignored, kind email-src           1" "the e-mail address counted"
assert_contains "$OUT" "bad records skipped               2" "the MISP bad records counted"

run_status "$CROWDFEED" cluster -o out-stix bundle.json reports.csv
assert_eq 0 "$STATUS" "cluster of a STIX bundle: $ERR"
expected_stix='cluster,size,reports,indicators
1,3,report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bc04;spam-wave-1;spam-wave-2,loader-drop.example;mailer.spam-wave.example
2,2,report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bc01;report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bc02,evil-c2.example'
assert_eq "$expected_stix" "$(cat out-stix/clusters.csv)" "clusters.csv from a STIX bundle"
assert_contains "$OUT" "ignored, kind STIX pattern not read 1" "the e-mail pattern counted, not read (AND patterns are read)"
assert_contains "$OUT" "ignored, kind sigma pattern       1" "the Sigma pattern counted"
assert_contains "$OUT" "whitelisted                       2 (e.g. 8.8.8.8, www.google.com)" "STIX: whitelisted"
assert_contains "$ERR" 'bundle.json: object 14 ("report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bc04"): refers to "indicator--0a000000-0000-4000-8000-000000000099", which the bundle does not hold' \
  "the missing reference named"
assert_contains "$ERR" 'bundle.json: object 15: the object has no "type" or "id"' "the report without an id"
# Told by name (for every file), a format reads the same as detected; the
# wrong one finds no report.
"$CROWDFEED" -q cluster -o out-misp-auto events.json >/dev/null 2>&1
"$CROWDFEED" -q cluster --format misp -o out-misp-named events.json >/dev/null 2>&1
cmp -s out-misp-auto/clusters.csv out-misp-named/clusters.csv || fail "--format misp differs from auto"
grep -q '^1,2,' out-misp-named/clusters.csv || fail "--format misp: $(cat out-misp-named/clusters.csv)"
run_status "$CROWDFEED" cluster --format stix -o out-wrong events.json
assert_eq 0 "$STATUS" "MISP read as STIX: $ERR"
assert_contains "$OUT" "reports                           0" "MISP events read as STIX hold no report"

# The same pulses as JSON Lines and as a bare array give the same clusters;
# a second run writes the same bytes.
/usr/bin/python3 -c '
import json
pulses = json.load(open("pulses.json"))["results"]
open("pulses.jsonl", "w").write("".join(json.dumps(p) + "\n" for p in pulses))
json.dump(pulses, open("array.json", "w"))'
"$CROWDFEED" -q cluster -o out-lines pulses.jsonl reports.csv >/dev/null 2>&1
"$CROWDFEED" -q cluster -o out-array array.json reports.csv >/dev/null 2>&1
"$CROWDFEED" -q cluster -o out-again reports.csv pulses.json >/dev/null 2>&1
for other in out-lines out-array out-again; do
  cmp -s out/clusters.csv $other/clusters.csv || fail "$other/clusters.csv differs: $(cat $other/clusters.csv)"
  cmp -s out/report.html $other/report.html || fail "$other/report.html differs"
done
cmp -s out/graph.graphml out-lines/graph.graphml || fail "the GraphML differs between the JSON forms"

# Without the whitelist and the limits, the benign infrastructure links
# everything: what the noise removal is for.
printf '[cluster]\nmax_reports = 100\n' >open.toml
"$CROWDFEED" -q -c open.toml cluster -o out-open pulses.json reports.csv >/dev/null 2>&1
assert_eq 1 "$(grep -c '^[0-9]' out-open/clusters.csv)" "clusters without noise removal"
grep -q '^1,6,' out-open/clusters.csv || fail "google.com and 8.8.8.8 did not link the pulses: $(cat out-open/clusters.csv)"

# A giant cluster (a chain of 500 reports) is too large to draw: the
# drawing holds the clusters that fit, and the run does not wait hours for
# Graphviz to lay out the giant.
/usr/bin/python3 -c '
rows = ["report,indicator,type"]
for i in range(500):
    rows.append(f"chain-{i:03},link-{i}.example,domain")
    rows.append(f"chain-{i:03},link-{i + 1}.example,domain")
rows += ["pair-a,pair.example,domain", "pair-b,pair.example,domain"]
open("giant.csv", "w").write("\n".join(rows) + "\n")'
timeout 300 "$CROWDFEED" -q -c open.toml cluster -o out-giant giant.csv >/dev/null || fail "cluster of a giant component"
assert_eq "1,500" "$(head -n 2 out-giant/clusters.csv | tail -n 1 | cut -d, -f1,2)" "the giant cluster"
grep -q 'subgraph cluster_2 ' out-giant/graph.dot || fail "the small cluster is not drawn"
grep -q 'subgraph cluster_1 ' out-giant/graph.dot && fail "the giant cluster is drawn"
grep -q 'The 1 largest clusters that fit one drawing' out-giant/report.html || fail "the report does not say what is drawn"

# With cluster.output configured, cluster writes there and explain names
# the clustered reports an indicator links; an indicator that links none,
# and a folder without the outputs, are said so.
cat >explain.toml <<'TOML'
[paths]
database = "votes.db"
state_dir = "state"
[whitelist]
files = ["whitelist.txt"]
[cluster]
max_reports = 2
exclude = ["exclude.txt"]
output = "clustered"
TOML
"$CROWDFEED" -q -c explain.toml cluster pulses.json reports.csv >/dev/null || fail "cluster into cluster.output"
cmp -s out/clusters.csv clustered/clusters.csv || fail "cluster.output holds other clusters"
"$CROWDFEED" -q -c explain.toml vote --malicious evil-c2.example || fail "a vote for explain"
run_status "$CROWDFEED" -c explain.toml explain EVIL-C2.example.
assert_eq 0 "$STATUS" "explain: $ERR"
assert_contains "$OUT" "reports:    named by 2 clustered threat reports in clustered (cluster 2):" "explain's reports"
assert_contains "$OUT" '64a1f0c2e4b0a1b2c3d4e502 "Commodity RAT with \"quotes\" & <angle> brackets" (cluster 2)' \
  "explain names the report"
run_status "$CROWDFEED" -c explain.toml explain cdn-everywhere.example
assert_contains "$OUT" "reports:    it links no clustered threat report in clustered" "an over-correlating indicator"
rm clustered/maltego.csv
run_status "$CROWDFEED" -c explain.toml explain evil-c2.example
assert_eq 0 "$STATUS" "explain without the cluster outputs"
assert_contains "$OUT" "reports:    unknown: cannot read clustered/maltego.csv" "the missing outputs said"

# Broken input: a file that is not JSON is an error naming it; nothing is written.
printf '{"results": [ {"id": "x", "indicators": [' >broken.json
run_status "$CROWDFEED" cluster -o out-broken broken.json
assert_eq 1 "$STATUS" "a broken JSON file"
assert_contains "$ERR" "broken.json: not valid JSON at byte" "the broken file named"
[ ! -e out-broken ] || fail "a broken input wrote outputs"
# Beside files that read whole, a broken one is reported and the others
# are clustered; the run still fails.
run_status "$CROWDFEED" cluster -o out-partial broken.json pulses.json reports.csv
assert_eq 1 "$STATUS" "a broken file among good ones"
assert_contains "$ERR" "broken.json: not valid JSON at byte" "the broken file named"
assert_contains "$ERR" "1 of 3 input files could not be read whole: broken.json" "the summary names it"
assert_eq "$expected_clusters" "$(cat out-partial/clusters.csv)" "the good files clustered beside a broken one"
echo ok
