# Running on the hour: each run is for its UTC hour slot, counts the votes
# cast before it, and carries the hour as its Version; a second run in the
# same hour publishes the same bytes; a run after downtime publishes once.
# Each hour leaves delta files, an archived copy and a history row; old
# hours are pruned. Every run leaves state/last-run.json and a metrics file
# that promtool accepts, and `crowdfeed status` turns them into a check.
source "$(dirname "$0")/lib.sh"

command -v promtool >/dev/null || fail "promtool is needed (deploy/install-build-deps.sh --tests installs prometheus)"
cat >crowdfeed.toml <<TOML
[feeds]
formats = ["txt", "rpz"]
[history]
retention_days = 1
[metrics]
textfile = "node-exporter/crowdfeed.prom"
TOML
mkdir node-exporter
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
"$CROWDFEED" -q import-votes "$SOURCE_DIR/deploy/sample-votes.csv"
vote() { for voter in a b; do "$CROWDFEED" -q vote "--$1" "$2" --voter "$voter" --at "$3"; done; }

# 21:00, the first hour: everything is added.
"$CROWDFEED" -q publish --at 2026-11-27T21:00:00Z
entries=$(domains_of feeds/malicious-domains.txt | wc -l)
assert_eq "$entries" "$(domains_of feeds/malicious-domains.added.txt | wc -l)" "first hour: all added"
assert_eq "" "$(domains_of feeds/malicious-domains.removed.txt)" "first hour: nothing removed"
grep -qx '# Delta: added since nothing (the first published version)' feeds/malicious-domains.added.txt ||
  fail "the first delta's base"
grep -qx '# Version: 202611272100' feeds/malicious-domains.txt || fail "Version of the 21:00 hour"

# 22:05: one domain more (voted at 21:30), one vote of 22:02 waits for 23:00.
vote malicious fresh.example 2026-11-27T21:30:00Z
vote malicious later.example 2026-11-27T22:02:00Z
run_status "$CROWDFEED" publish --at 2026-11-27T22:05:00Z
assert_eq 0 "$STATUS" "the 22:00 run: $ERR"
assert_contains "$ERR" "2 votes cast since 2026-11-27T22:00:00Z wait for the next hour's run" "votes of this hour"
grep -qx later.example feeds/malicious-domains.txt && fail "a vote cast in this hour was counted"
assert_eq "fresh.example" "$(domains_of feeds/malicious-domains.added.txt)" "added since 21:00"
grep -qx '# Delta: added since 202611272100' feeds/malicious-domains.added.txt || fail "the delta's base"
grep -qx '# Version: 202611272200' feeds/malicious-domains.added.txt || fail "the delta's version"
grep -qx '# Last modified: 2026-11-27T22:00:00Z' feeds/malicious-domains.txt || fail "Last-Modified is the hour"
grep -qx '# Version: 202611272100' feeds/non-malicious-domains.txt || fail "an unchanged feed keeps its version"

# 22:40, the same hour again, with more votes meanwhile: the same bytes.
vote malicious even-later.example 2026-11-27T22:30:00Z
same_hour=$(cd feeds && sha256sum -- *.txt *.rpz *.gz excluded-domains.csv SHA256SUMS)
run_status "$CROWDFEED" publish --at 2026-11-27T22:40:00Z
assert_eq 0 "$STATUS" "the second 22:00 run: $ERR"
assert_eq "$same_hour" "$(cd feeds && sha256sum -- *.txt *.rpz *.gz excluded-domains.csv SHA256SUMS)" \
  "files of a second run in the same hour"
grep -q '"hour": "2026-11-27T22:00:00Z"' feeds/manifest.json || fail "the manifest's hour"

# Down from 23:00 to 03:00: the 03:20 run publishes the current state once.
vote non-malicious good.example 2026-11-28T01:00:00Z
run_status "$CROWDFEED" publish --at 2026-11-28T03:20:00Z
assert_eq 0 "$STATUS" "the run after downtime: $ERR"
assert_eq "2026/11/27/21 2026/11/27/22 2026/11/28/03" \
  "$(cd feeds/archive && find . -mindepth 4 -maxdepth 4 -type d -printf '%P\n' | sort | tr '\n' ' ' | sed 's/ $//')" \
  "archived hours"
assert_eq "even-later.example
later.example" "$(domains_of feeds/malicious-domains.added.txt)" "added since 22:00"
grep -qx '# Delta: added since 202611272200' feeds/malicious-domains.added.txt || fail "the delta after downtime"
assert_eq "good.example" "$(domains_of feeds/non-malicious-domains.added.txt)" "non-malicious added"
# The archive holds exactly what was published, compressed.
cmp -s <(gzip -dc feeds/archive/2026/11/28/03/malicious-domains.txt.gz) feeds/malicious-domains.txt ||
  fail "the archived list differs from the published one"
cmp -s <(gzip -dc feeds/archive/2026/11/28/03/manifest.json.gz) feeds/manifest.json || fail "the archived manifest"
assert_eq "hour,feed,entries,added,removed
2026-11-27T21:00:00Z,malicious-domains,$entries,$entries,0" "$(head -n 2 feeds/archive/history.csv)" "history.csv"
assert_eq 19 "$(wc -l <feeds/archive/history.csv)" "history rows: a header and six feeds for three hours"

# Votes from the future (clock skew) are ignored and counted.
vote malicious skewed.example 2026-11-28T09:00:00Z
run_status "$CROWDFEED" publish --at 2026-11-28T03:30:00Z
assert_contains "$ERR" "ignored 2 votes cast after the run time" "future votes"
grep -qx skewed.example feeds/malicious-domains.txt && fail "a future vote was counted"

# The run report and the metrics.
python3 - <<'PY' || fail "state/last-run.json"
import json
report = json.load(open("state/last-run.json"))
assert report["result"] == "published", report["result"]
assert report["hour"] == "2026-11-28T03:00:00Z" and report["version"] == "2026112803", report["hour"]
assert report["started"] == "2026-11-28T03:30:00Z", report["started"]
assert report["votes"]["future"] == 2, report["votes"]
feeds = {feed["feed"]: feed for feed in report["feeds"]}
# 03:30 is the 03:00 hour again: still against 22:00.
assert feeds["malicious-domains"]["added"] == 2 and feeds["malicious-domains"]["entries"] > 0, feeds
assert report["last_success"] == report["finished"], report
assert report["totals"]["runs"] == 5, report["totals"]
assert any("ignored 2 votes" in warning for warning in report["warnings"]), report["warnings"]
PY
promtool check metrics <node-exporter/crowdfeed.prom || fail "promtool rejects the metrics file"
grep -qx 'crowdfeed_last_run_result{result="published"} 1' node-exporter/crowdfeed.prom || fail "result metric"
grep -qx 'crowdfeed_rejected_votes{reason="future"} 2' node-exporter/crowdfeed.prom || fail "future votes metric"
grep -qx "crowdfeed_feed_entries{feed=\"malicious-domains\"} $(domains_of feeds/malicious-domains.txt | wc -l)" \
  node-exporter/crowdfeed.prom || fail "entries metric"
grep -qx 'crowdfeed_runs_total 5' node-exporter/crowdfeed.prom || fail "runs counter"

# status: OK within two hours of the last success, WARNING after, CRITICAL
# after three (monitoring-plugins exit codes).
run_status "$CROWDFEED" status --at 2026-11-28T05:00:00Z
assert_eq 0 "$STATUS" "status 90 minutes after a success: $OUT"
assert_contains "$OUT" "CROWDFEED OK" "status line"
assert_contains "$OUT" "hour 2026112803, published" "status summary"
run_status "$CROWDFEED" status --at 2026-11-28T06:00:00Z
assert_eq 1 "$STATUS" "status 2.5 hours after a success"
assert_contains "$OUT" "CROWDFEED WARNING: the last successful run was 2026-11-28T03:30:00Z" "stale status"
run_status "$CROWDFEED" status --at 2026-11-28T07:00:00Z
assert_eq 2 "$STATUS" "status 3.5 hours after a success"
assert_contains "$OUT" "CROWDFEED CRITICAL: the last successful run was 2026-11-28T03:30:00Z" "stale status"
run_status "$CROWDFEED" status --at 2026-11-28T06:00:00Z --warning-hours 3 --max-age-hours 4
assert_eq 0 "$STATUS" "status with wider limits"

# A failed run is recorded too, and keeps the last success.
if [ "$BACKEND" = sqlite ]; then
  mv data/votes.db votes.db.kept && mkdir data/votes.db  # not a database, even for root
  run_status "$CROWDFEED" publish --at 2026-11-28T04:00:00Z
  rmdir data/votes.db && mv votes.db.kept data/votes.db
else
  run_status "$CROWDFEED" --store postgresql:dbname=nowhere publish --at 2026-11-28T04:00:00Z
fi
assert_eq 1 "$STATUS" "a run that cannot read the votes"
grep -q '"result": "failed"' state/last-run.json || fail "the failed run's report"
grep -q '"last_success": "2026-11-28T03:30:0' state/last-run.json || fail "the last success was lost"
grep -qx 'crowdfeed_last_run_result{result="failed"} 1' node-exporter/crowdfeed.prom || fail "failed result metric"

# A day on, the hours older than retention_days = 1 are pruned.
run_status wall_clock "2026-11-29 02:10:00" "$CROWDFEED" publish --at 2026-11-29T02:00:00Z
assert_eq 0 "$STATUS" "the pruning run: $ERR"
assert_contains "$ERR" "pruned 2 archived hours older than 1 days" "pruning reported"
assert_eq "2026/11/28/03 2026/11/29/02" \
  "$(cd feeds/archive && find . -mindepth 4 -maxdepth 4 -type d -printf '%P\n' | sort | tr '\n' ' ' | sed 's/ $//')" \
  "archived hours after pruning"
[ -e feeds/archive/2026/11/27 ] && fail "the emptied day directory stayed"
grep -q '^2026-11-27' feeds/archive/history.csv && fail "history rows older than the retention stayed"
grep -q '"archived_hours_pruned": 2' state/last-run.json || fail "pruning in the run report"
echo ok
