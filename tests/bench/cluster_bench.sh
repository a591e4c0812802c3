#!/usr/bin/env bash
# Benchmark of `crowdfeed cluster` on a synthetic threat exchange: REPORTS
# reports (default 100,000) naming OCCURRENCES indicators in all (default
# 5,100,000), with planted clusters, whitelisted benign infrastructure and
# over-correlating values (tests/tools/gen_reports). Times the whole
# command (reading, normalising, noise removal, overlaps, clusters, every
# output file and the drawing) next to networkx computing the connected
# components of the same graph (tests/bench/cluster_networkx.py), each the
# median of RUNS runs (default 3), with peak RSS; then checks that both
# found exactly the planted clusters. Not part of the test suite: timings
# on shared machines are noisy, so they are reported, never asserted.
#
#   tests/bench/cluster_bench.sh [BUILD_DIR] [REPORTS] [OCCURRENCES] [RUNS]
set -euo pipefail

source_dir=$(realpath "$(dirname "$0")/../..")
build=$(realpath "${1:-build}")
reports=${2:-100000}
occurrences=${3:-5100000}
runs=${4:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/crowdfeed-cluster-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

"$build/tests/gen_reports" --reports "$reports" --occurrences "$occurrences" -o reports.csv \
  --whitelist whitelist.txt --truth truth.txt
printf '[whitelist]\nfiles = ["whitelist.txt"]\n[cluster]\nmax_reports = 100\n' >crowdfeed.toml
echo "exchange: $reports reports, $(($(wc -l <reports.csv) - 1)) indicator occurrences," \
  "$(wc -l <truth.txt) planted clusters, $(du -m reports.csv | cut -f1) MB of CSV"

# timed COMMAND...: one run's wall seconds and peak RSS (KiB) into $wall and $rss.
timed() {
  /usr/bin/time -f '%e %M' -o time.txt "$@" >/dev/null 2>err.txt || { cat err.txt >&2; echo "failed: $*" >&2; exit 1; }
  read -r wall rss <time.txt
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# measure NAME COMMAND...: $runs runs; the median wall time and the largest peak RSS into NAME_wall, NAME_rss.
measure() {
  local name=$1 walls=() peak=0
  shift
  for ((run = 0; run < runs; run++)); do
    timed "$@"
    walls+=("$wall")
    ((rss > peak)) && peak=$rss
  done
  printf -v "${name}_wall" '%s' "$(printf '%s\n' "${walls[@]}" | median)"
  printf -v "${name}_rss" '%s' "$peak"
}

measure crowdfeed "$build/crowdfeed" -q -c crowdfeed.toml cluster -o out reports.csv
measure networkx /usr/bin/python3 "$source_dir/tests/bench/cluster_networkx.py" reports.csv whitelist.txt 100 networkx.txt

cut -d, -f3 out/clusters.csv | tail -n +2 | sort >crowdfeed.txt
printf '%-34s %10s %12s\n' "" "median s" "peak MiB"
printf '%-34s %10s %12s\n' "crowdfeed cluster (every output)" "$crowdfeed_wall" "$((crowdfeed_rss / 1024))"
printf '%-34s %10s %12s\n' "networkx connected components" "$networkx_wall" "$((networkx_rss / 1024))"
awk -v a="$networkx_wall" -v b="$crowdfeed_wall" 'BEGIN { printf "crowdfeed is %.1f times faster\n", a / b }'
for found in crowdfeed networkx; do
  if cmp -s truth.txt $found.txt; then
    echo "$found: the $(wc -l <truth.txt) planted clusters, exactly"
  else
    echo "$found: NOT the planted clusters ($(wc -l <$found.txt) found)"
    exit 1
  fi
done
