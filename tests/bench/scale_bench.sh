#!/usr/bin/env bash
# Benchmark of the hourly run at scale: VOTES votes (default 10M) over
# INDICATORS domains (default 1M), a trusted whitelist of WHITELIST entries
# (default 1M), every format with its .gz copy. Each case is timed next to
# the bare sqlite3 GROUP BY of every tally on the same database, measured
# in the same invocation, and printed as a ratio to it, with peak RSS.
# Each figure is the median of RUNS runs (default 3), each from the same
# starting state. Not part of the test suite: timings on shared machines
# are noisy, so they are reported, never asserted.
#
#   tests/bench/scale_bench.sh [BUILD_DIR] [VOTES] [INDICATORS] [WHITELIST] [RUNS]
set -euo pipefail

build=$(realpath "${1:-build}")
votes=${2:-10000000}
domains=${3:-1000000}
whitelist=${4:-1000000}
runs=${5:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/crowdfeed-scale.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
crowdfeed=("$build/crowdfeed" -c "$work/crowdfeed.toml" -q)
cf() { "${crowdfeed[@]}" "$@"; }

voted_whitelisted=$(awk -v w="$whitelist" -v d="$domains" 'BEGIN { s = w / d / 50; print (s > 0.02 ? 0.02 : s) }')
"$build/tests/gen_votes" --votes "$votes" --domains "$domains" --whitelisted "$voted_whitelisted" \
  --whitelist-extra "$((whitelist - domains * 2 / 100))" --csv votes.csv --whitelist whitelist.txt
printf '[whitelist]\nfiles = ["whitelist.txt"]\n[guards]\nmax_growth = 1000.0\n' >crowdfeed.toml

# timed LABEL COMMAND...: one run's wall seconds and peak RSS (KiB) into
# $wall and $rss.
timed() {
  /usr/bin/time -f '%e %M' -o time.txt "$@" >/dev/null 2>err.txt || { cat err.txt >&2; echo "failed: $*" >&2; exit 1; }
  read -r wall rss <time.txt
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# case LABEL SETUP COMMAND...: runs SETUP then COMMAND, $runs times; prints
# the median wall time, its ratio to the GROUP BY and the largest peak RSS.
reference=
case_() {
  local label=$1 setup=$2 walls=() peak=0
  shift 2
  for ((i = 0; i < runs; i++)); do
    eval "$setup"
    timed "$@"
    walls+=("$wall")
    ((rss > peak)) && peak=$rss
  done
  local m
  m=$(printf '%s\n' "${walls[@]}" | median)
  printf '%-52s %8.2f s %7.3fx %6d MiB%s\n' "$label" "$m" "$(awk -v a="$m" -v b="$reference" 'BEGIN { print a / b }')" \
    $((peak / 1024)) "$( ((peak > 256 * 1024)) && echo ' OVER the 256 MiB limit')"
}

timed "${crowdfeed[@]}" import-votes votes.csv
printf '%-52s %8.2f s %17d MiB\n' "import-votes of all $votes votes" "$wall" $((rss / 1024))
sqlite3 data/votes.db 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
cp data/votes.db pristine.db

walls=()
for ((i = 0; i < runs; i++)); do
  timed sqlite3 data/votes.db \
    'SELECT indicator, SUM(verdict = 0), SUM(verdict = 1), MIN(cast_at), MAX(cast_at) FROM votes GROUP BY indicator'
  walls+=("$wall")
done
reference=$(printf '%s\n' "${walls[@]}" | median)
printf '%-52s %8.2f s %7.3fx\n' "sqlite3 GROUP BY of every tally (the reference)" "$reference" 1

hour=1795813200  # 2026-11-27T21:00:00Z, gen_votes's default --now
fresh() { rm -rf feeds state data && mkdir data && cp pristine.db data/votes.db; }
case_ "first publish into an empty feeds directory" fresh "${crowdfeed[@]}" publish --at $hour
cp -a feeds first-feeds && cp -a state first-state && cp data/votes.db first.db
case_ "rerun in the same hour, nothing changed" : "${crowdfeed[@]}" publish --at $hour
case_ "explain of one indicator" : "${crowdfeed[@]}" explain host12345.site2465.com --at $hour

# The next hour: 10,000 new votes on 5,000 indicators.
"$build/tests/gen_votes" --votes 10000 --domains 5000 --seed 7 --now $((hour + 1800)) --days 0 --csv new.csv
cf import-votes new.csv
sqlite3 data/votes.db 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
cp data/votes.db changed.db
back() { rm -rf feeds state && cp -a first-feeds feeds && cp -a first-state state && cp changed.db data/votes.db; }
case_ "next hour, 10,000 new votes on 5,000 indicators" back "${crowdfeed[@]}" publish --at $((hour + 3600))
cp -a feeds second-feeds && cp -a state second-state && cp data/votes.db second.db
again() { rm -rf feeds state && cp -a second-feeds feeds && cp -a second-state state && cp second.db data/votes.db; }
case_ "the hour after, no change" again "${crowdfeed[@]}" publish --at $((hour + 7200))

# An hour in which one feed alone changed: 2,000 malicious votes on 1,000
# new domains, none on what the non-malicious feed lists.
awk -v now=$((hour + 5400)) 'BEGIN { print "indicator,vote,voter,cast_at"
  for (i = 0; i < 1000; i++) for (v = 0; v < 2; v++) printf "onefeed%d.example.net,malicious,onefeed-voter%d,%d\n", i, v, now }' \
  >one-feed.csv
rm -rf feeds state && cp -a second-feeds feeds && cp -a second-state state && cp second.db data/votes.db
cf import-votes one-feed.csv
sqlite3 data/votes.db 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
cp data/votes.db one-feed.db
one_feed() { rm -rf feeds state && cp -a second-feeds feeds && cp -a second-state state && cp one-feed.db data/votes.db; }
case_ "next hour, one feed changed (1,000 new malicious)" one_feed "${crowdfeed[@]}" publish --at $((hour + 7200))

# explain of an indicator with 200,000 votes.
awk -v now=$((hour - 600)) 'BEGIN { print "indicator,vote,voter,cast_at"
  for (i = 0; i < 200000; i++) printf "popular.example.net,%s,popular-voter%d,%d\n", (i % 3 ? "malicious" : "non-malicious"), i, now - i }' \
  >popular.csv
cf import-votes popular.csv
case_ "explain of an indicator with 200,000 votes" : "${crowdfeed[@]}" explain popular.example.net --at $((hour + 7200))

# Import of 1M rows against the sqlite3 shell's .import of the same rows,
# into the same table (created by crowdfeed, its triggers included) and
# into a bare table without triggers or the time index.
head -n 1000001 votes.csv >rows-1m.csv
awk -F, 'NR > 1 { print $1 "," $3 "," ($2 == "malicious" ? 0 : 1) "," $4 ",domain" }' rows-1m.csv >table-1m.csv
empty() { rm -rf data && mkdir data; }
reference_import() { empty && cf vote --malicious seed.example.com --voter seed --at $hour; }
runs_saved=$runs
runs=1
reference=1
reference_import
timed sqlite3 data/votes.db '.import --csv table-1m.csv votes'
import_same=$wall
reference_import
sqlite3 data/votes.db "$(sqlite3 data/votes.db "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master WHERE type = 'trigger'")
  DROP INDEX votes_by_cast_at;"
timed sqlite3 data/votes.db '.import --csv table-1m.csv votes'
import_bare=$wall
walls=()
for ((i = 0; i < runs_saved; i++)); do
  reference_import
  timed "${crowdfeed[@]}" import-votes rows-1m.csv
  walls+=("$wall")
done
import_crowdfeed=$(printf '%s\n' "${walls[@]}" | median)
printf '%-52s %8.2f s %7.3fx %6d MiB\n' "import-votes of 1M rows" "$import_crowdfeed" \
  "$(awk -v a="$import_crowdfeed" -v b="$import_same" 'BEGIN { print a / b }')" $((rss / 1024))
printf '%-52s %8.2f s\n' "sqlite3 .import of the same rows, same table" "$import_same"
printf '%-52s %8.2f s (crowdfeed %.3fx)\n' "sqlite3 .import of the same rows, bare table" "$import_bare" \
  "$(awk -v a="$import_crowdfeed" -v b="$import_bare" 'BEGIN { print a / b }')"
for verdict in malicious non-malicious; do
  printf '%-52s %8d\n' "$verdict-domains entries" "$(grep -vc '^#' "first-feeds/$verdict-domains.txt")"
done
