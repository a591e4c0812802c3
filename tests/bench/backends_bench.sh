#!/usr/bin/env bash
# The hourly job at scale on each votes store, side by side: VOTES votes
# (default 10M) over INDICATORS domains (default 1M) imported into SQLite
# and into a PostgreSQL server of Debian's package started here (a Unix
# socket in the work folder, default settings), then the same runs on
# each: the first publish, a rerun in the same hour, the next hour after
# 10,000 new votes, the hour after with no change, and an import of 1M
# more rows into the full store. Single runs, wall seconds and peak RSS of
# crowdfeed (the PostgreSQL server's own time is in the wall time, not in
# the RSS). Not part of the test suite: timings on shared machines are
# noisy, so they are reported, never asserted. Run as root or as a user
# that can run initdb.
#
#   tests/bench/backends_bench.sh [BUILD_DIR] [VOTES] [INDICATORS]
set -euo pipefail

build=$(realpath "${1:-build}")
votes=${2:-10000000}
domains=${3:-1000000}
work=$(mktemp -d "${TMPDIR:-/tmp}/crowdfeed-backends.XXXXXX")
pg_bin=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d | sort -V | tail -1)
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop() { as_postgres "$pg_bin/pg_ctl" -D "$work/pg/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap stop EXIT
cd "$work"
chmod o+x "$work"
mkdir pg && { [ "$(id -u)" -ne 0 ] || chown postgres pg; }
as_postgres "$pg_bin/initdb" -D "$work/pg/data" -A trust -U crowdfeed -E UTF8 >/dev/null
as_postgres "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w \
  -o "-k $work/pg -c listen_addresses=''" start >/dev/null
export PGHOST=$work/pg PGUSER=crowdfeed PGDATABASE=postgres
psql -qX -c 'CREATE DATABASE crowdfeed'
export PGDATABASE=crowdfeed

hour=1795813200  # 2026-11-27T21:00:00Z, gen_votes's default --now
"$build/tests/gen_votes" --votes "$votes" --domains "$domains" --csv votes.csv
"$build/tests/gen_votes" --votes 10000 --domains 5000 --seed 7 --now $((hour + 1800)) --days 0 --csv new.csv
"$build/tests/gen_votes" --votes 1000000 --domains 100000 --seed 9 --now $((hour + 5400)) --days 0 --csv more.csv
printf '[guards]\nmax_growth = 1000.0\n' >crowdfeed.toml

# timed LABEL COMMAND...: prints one run's wall seconds and peak RSS.
timed() {
  local label=$1
  shift
  /usr/bin/time -f '%e %M' -o time.txt "$@" >/dev/null 2>err.txt || { cat err.txt >&2; exit 1; }
  read -r wall rss <time.txt
  printf '%-12s %-44s %8.2f s %6d MiB\n' "$backend" "$label" "$wall" $((rss / 1024))
}

for backend in sqlite postgresql; do
  mkdir "$backend"
  cp crowdfeed.toml "$backend/"
  cd "$backend"
  if [ "$backend" = sqlite ]; then store=sqlite:data/votes.db; else store=postgresql:; fi
  cf=("$build/crowdfeed" -q -c crowdfeed.toml --store "$store")
  timed "import-votes of all $votes votes" "${cf[@]}" import-votes ../votes.csv
  timed "first publish" "${cf[@]}" publish --at $hour
  timed "rerun in the same hour, nothing changed" "${cf[@]}" publish --at $hour
  "${cf[@]}" import-votes ../new.csv
  timed "next hour, 10,000 new votes" "${cf[@]}" publish --at $((hour + 3600))
  timed "the hour after, no change" "${cf[@]}" publish --at $((hour + 7200))
  timed "import-votes of 1M more rows" "${cf[@]}" import-votes ../more.csv
  cd ..
done
diff -rq sqlite/feeds postgresql/feeds >/dev/null && echo "the feeds of both stores are byte-identical" ||
  echo "the feeds of the two stores differ"
