#!/usr/bin/env bash
# How far a first publish is from the limits of this machine, in one table
# on one database: crowdfeed's first publish next to the bare sqlite3
# GROUP BY of every tally, next to compressing the same output bytes with
# igzip -1 (ISA-L, Debian's isal) and pigz -1 -p 2 (the compression floor),
# next to writing them with cat (the disk floor) and hashing them with
# sha256sum. Each figure is the median of RUNS runs (default 3). Not part of
# the test suite: timings are reported, never asserted.
#
#   tests/bench/floor_bench.sh [BUILD_DIR] [VOTES] [INDICATORS] [WHITELIST] [RUNS]
#
# VOTES votes (default 10M) over INDICATORS domains (default 1M), with a
# trusted whitelist of WHITELIST entries (default 1M), as scale_bench.sh
# makes them. FLOOR_DATABASE=votes.db reuses a database (and the
# whitelist.txt beside it) instead of generating one.
set -euo pipefail

build=$(realpath "${1:-build}")
votes=${2:-10000000}
domains=${3:-1000000}
whitelist=${4:-1000000}
runs=${5:-3}
for tool in igzip pigz sqlite3 sha256sum; do
  command -v "$tool" >/dev/null || { echo "floor_bench: needs $tool (apt-get install isal pigz sqlite3)" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/crowdfeed-floor.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir data
if [ -n "${FLOOR_DATABASE:-}" ]; then
  cp "$FLOOR_DATABASE" data/votes.db
  cp "$(dirname "$FLOOR_DATABASE")/whitelist.txt" whitelist.txt
else
  voted_whitelisted=$(awk -v w="$whitelist" -v d="$domains" 'BEGIN { s = w / d / 50; print (s > 0.02 ? 0.02 : s) }')
  "$build/tests/gen_votes" --votes "$votes" --domains "$domains" --whitelisted "$voted_whitelisted" \
    --whitelist-extra "$((whitelist - domains * 2 / 100))" --csv votes.csv --whitelist whitelist.txt
fi
printf '[whitelist]\nfiles = ["whitelist.txt"]\n[guards]\nmax_growth = 1000.0\n' >crowdfeed.toml
crowdfeed=("$build/crowdfeed" -c "$work/crowdfeed.toml" -q)
[ -n "${FLOOR_DATABASE:-}" ] || "${crowdfeed[@]}" import-votes votes.csv
hour=1795813200  # 2026-11-27T21:00:00Z, gen_votes's default --now

# median COMMAND...: the median wall seconds of $runs runs, each after
# `setup` (a function, empty by default); the largest peak RSS (KiB) into
# the file peak.txt (it runs in a subshell).
setup() { :; }
median() {
  local walls=() wall rss
  peak=0
  for ((i = 0; i < runs; i++)); do
    setup
    /usr/bin/time -f '%e %M' -o time.txt "$@" >/dev/null 2>err.txt || { cat err.txt >&2; exit 1; }
    read -r wall rss <time.txt
    walls+=("$wall")
    ((rss > peak)) && peak=$rss
  done
  echo "$peak" >peak.txt
  printf '%s\n' "${walls[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

group_by=$(median sqlite3 data/votes.db \
  'SELECT indicator, SUM(verdict = 0), SUM(verdict = 1), MIN(cast_at), MAX(cast_at) FROM votes GROUP BY indicator')
setup() { rm -rf feeds state; }
publish=$(median "${crowdfeed[@]}" publish --at $hour)
publish_peak=$(cat peak.txt)
setup() { :; }
# The bytes a first publish writes: every plain file (the .gz copies are
# what compressing them gives).
find feeds -maxdepth 1 -type f ! -name '*.gz' -print0 | sort -z | xargs -0 cat >plain.bin
bytes=$(stat -c %s plain.bin)
gz_bytes=$(find feeds -maxdepth 1 -type f -name '*.gz' -printf '%s\n' | awk '{ s += $1 } END { print s }')
cat plain.bin >/dev/null  # in the page cache, as the publish's output is
igzip_time=$(median sh -c 'igzip -1 -c plain.bin >plain.igz')
igzip_bytes=$(stat -c %s plain.igz)
pigz_time=$(median sh -c 'pigz -1 -p 2 -c plain.bin >plain.pgz')
pigz_bytes=$(stat -c %s plain.pgz)
setup() { rm -f copy.bin; }
cat_time=$(median sh -c 'cat plain.bin >copy.bin && sync copy.bin')
setup() { :; }
sha_time=$(median sha256sum plain.bin)

ratio() { awk -v a="$1" -v b="$group_by" 'BEGIN { printf "%.3f", a / b }'; }
printf '%-58s %8s %10s %s\n' "step (same database, same bytes)" "wall" "/GROUP BY" "notes"
printf '%-58s %8.2f %10s\n' "sqlite3 GROUP BY of every tally" "$group_by" "1.000"
printf '%-58s %8.2f %10s %s\n' "crowdfeed publish, first run (files and .gz copies)" "$publish" "$(ratio "$publish")" \
  "peak RSS $((publish_peak / 1024)) MiB$( ((publish_peak > 256 * 1024)) && echo ', OVER the 256 MiB limit')"
printf '%-58s %8.2f %10s %s\n' "igzip -1 of the plain files' bytes (one core)" "$igzip_time" "$(ratio "$igzip_time")" \
  "$((bytes / 1048576)) MiB -> $((igzip_bytes / 1048576)) MiB"
printf '%-58s %8.2f %10s %s\n' "pigz -1 -p 2 of the same bytes" "$pigz_time" "$(ratio "$pigz_time")" \
  "-> $((pigz_bytes / 1048576)) MiB"
printf '%-58s %8.2f %10s %s\n' "cat of the same bytes to a file, synced (the disk floor)" "$cat_time" \
  "$(ratio "$cat_time")" ""
printf '%-58s %8.2f %10s %s\n' "sha256sum of the same bytes" "$sha_time" "$(ratio "$sha_time")" ""
printf '%-58s %8s %10s %s\n' "crowdfeed's .gz copies" "" "" "$((gz_bytes / 1048576)) MiB"
