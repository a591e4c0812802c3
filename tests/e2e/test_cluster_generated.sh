# crowdfeed cluster on synthetic exchanges (tests/tools/gen_reports): the
# clusters planted in them are recovered exactly, from the CSV and from the
# same exchange as OTX JSON Lines, through benign infrastructure that would
# join them all if the whitelist did not take it out and over-correlating
# hashes that would if cluster.max_reports did not. Without the whitelist,
# the planted clusters merge: the test can fail.
source "$(dirname "$0")/lib.sh"

[ -n "${GEN_REPORTS:-}" ] || fail "GEN_REPORTS names the generator (ctest sets it)"
"$GEN_REPORTS" --reports 3000 --occurrences 90000 --over-correlating 150 --seed 7 -o reports.csv \
  --whitelist whitelist.txt --truth truth.txt
"$GEN_REPORTS" --reports 3000 --occurrences 90000 --over-correlating 150 --seed 7 --format otx -o reports.jsonl
[ "$(wc -l <truth.txt)" -gt 100 ] || fail "the generator planted too few clusters: $(wc -l <truth.txt)"
printf '[whitelist]\nfiles = ["whitelist.txt"]\n[cluster]\nmax_reports = 100\n' >crowdfeed.toml
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml

for input in reports.csv reports.jsonl; do
  run_status "$CROWDFEED" cluster -o "out-$input" "$input"
  assert_eq 0 "$STATUS" "cluster $input: $ERR"
  whitelisted=$(echo "$OUT" | awk '$1 == "whitelisted" { print $2 }')
  [ "${whitelisted:-0}" -ge 250 ] || fail "$input: the benign infrastructure was not whitelisted: $whitelisted"
  assert_contains "$OUT" "in more than 100 reports          20" "$input: the over-correlating hashes"
  cut -d, -f3 "out-$input/clusters.csv" | tail -n +2 | sort >"found-$input.txt"
  cmp -s truth.txt "found-$input.txt" ||
    fail "$input: not the planted clusters: $(diff truth.txt "found-$input.txt" | head -n 5)"
done
cmp -s out-reports.csv/overlaps.csv out-reports.jsonl/overlaps.csv || fail "CSV and OTX give other overlaps"

printf '[cluster]\nmax_reports = 100\n' >open.toml
"$CROWDFEED" -q -c open.toml cluster -o out-open reports.csv >/dev/null 2>&1
[ "$(tail -n +2 out-open/clusters.csv | wc -l)" -lt "$(wc -l <truth.txt)" ] ||
  fail "without the whitelist the planted clusters stay apart: the benign infrastructure links nothing"
echo ok
