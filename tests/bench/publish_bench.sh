#!/usr/bin/env bash
# Benchmark of the hourly run: N votes over M domains (default 1M over 100k),
# imported, then published, next to the bare sqlite3 GROUP BY that reads the
# same tallies. Not part of the test suite: timings on shared machines are
# noisy, so they are reported here, never asserted.
#
#   tests/bench/publish_bench.sh [BUILD_DIR] [VOTES] [INDICATORS] [TYPED_SHARE]
#
# TYPED_SHARE (default 0) of the indicators are IP addresses and file
# hashes; the rest are domains.
set -euo pipefail

build=$(realpath "${1:-build}")
votes=${2:-1000000}
domains=${3:-100000}
typed=${4:-0}
work=$(mktemp -d "${TMPDIR:-/tmp}/crowdfeed-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

"$build/tests/gen_votes" --votes "$votes" --domains "$domains" --bad 0.01 --whitelisted 0.02 --typed "$typed" \
  --csv votes.csv --whitelist whitelist.txt
printf '[whitelist]\nfiles = ["whitelist.txt"]\n' >crowdfeed.toml

# measure LABEL COMMAND...: wall time and peak memory from /usr/bin/time -v.
measure() {
  local label=$1
  shift
  /usr/bin/time -v "$@" >/dev/null 2>time.txt || { cat time.txt >&2; exit 1; }
  local wall rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' time.txt)
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' time.txt)
  printf '%-44s %10s %10d MiB\n' "$label" "$wall" $((rss / 1024))
}

printf '%-44s %10s %14s\n' "$votes votes over $domains domains" "wall" "peak RSS"
measure "crowdfeed import-votes --skip-invalid" "$build/crowdfeed" -c crowdfeed.toml -q import-votes --skip-invalid votes.csv
measure "crowdfeed publish (first run, all files new)" "$build/crowdfeed" -c crowdfeed.toml -q publish
measure "crowdfeed publish (rerun, nothing changed)" "$build/crowdfeed" -c crowdfeed.toml -q publish
measure "sqlite3 GROUP BY of the same tallies" sqlite3 data/votes.db \
  "SELECT indicator, SUM(verdict = 0), SUM(verdict = 1), MIN(cast_at), MAX(cast_at) FROM votes GROUP BY indicator"
for type in domains ips hashes; do
  printf '%-44s %10s\n' "malicious / non-malicious $type" \
    "$(grep -vc '^#' feeds/malicious-$type.txt) / $(grep -vc '^#' feeds/non-malicious-$type.txt)"
done
