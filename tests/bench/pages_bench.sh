#!/usr/bin/env bash
# Load benchmark of the community pages: a database of VOTES votes over
# VOTES / 3 indicators (default 3,000,000 over 1,000,000, from gen_votes),
# published once, then wrk (Debian's) with CONNECTIONS keep-alive
# connections (default 100) for SECONDS (default 30) asking for the page of
# a random indicator, as HTML (/indicator/VALUE) and then as JSON
# (/api/v1/indicators/VALUE). Reports pages a second, p50 and p99 latency
# and the answers other than 200. Not part of the test suite: timings are
# reported, never asserted.
#
#   tests/bench/pages_bench.sh [BUILD_DIR] [VOTES] [CONNECTIONS] [SECONDS]
set -euo pipefail

source_dir=$(realpath "$(dirname "$0")/../..")
build=$(realpath "${1:-build}")
votes=${2:-3000000}
connections=${3:-100}
seconds=${4:-30}
work=$(mktemp -d "${TMPDIR:-/tmp}/crowdfeed-pages-bench.XXXXXX")
server=
trap '[ -z "$server" ] || kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >crowdfeed.toml <<TOML
[paths]
database = "votes.db"
state_dir = "state"
feeds_dir = "feeds"
[policy]
max_age_days = 365
[guards]
max_growth = 1000.0
[serve]
listen = "127.0.0.1:$port"
address_rate = 1000000
address_burst = 1000000
max_connections = 1000
connections_per_address = 1000
TOML
export CROWDFEED_CONFIG=$work/crowdfeed.toml
cf() { "$build/crowdfeed" -q "$@"; }

"$build/tests/gen_votes" --votes "$votes" --domains $((votes / 3)) --csv votes.csv
cf import-votes --skip-invalid votes.csv >/dev/null
cf publish >/dev/null 2>&1
sqlite3 votes.db "SELECT indicator FROM tallies ORDER BY random() LIMIT 100000" >indicators.txt
echo "database: $votes votes, $(sqlite3 votes.db 'SELECT COUNT(*) FROM tallies') indicators," \
  "$(grep -vc '^#' feeds/malicious-domains.txt) listed malicious"
"$build/crowdfeed" -q serve >server.log 2>&1 &
server=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

for prefix in /indicator/ /api/v1/indicators/; do
  wrk -t 2 -c "$connections" -d "${seconds}s" --latency -s "$source_dir/tests/bench/pages_load.lua" \
    "http://127.0.0.1:$port" -- "$work/indicators.txt" "$prefix" >wrk.txt
  rate=$(awk '/^Requests\/sec:/ { print $2 }' wrk.txt)
  p50=$(awk '$1 == "50%" { print $2 }' wrk.txt)
  p99=$(awk '$1 == "99%" { print $2 }' wrk.txt)
  errors=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' wrk.txt)
  echo "$prefix: $connections connections, ${seconds} s: $rate pages a second, p50 $p50, p99 $p99, ${errors:-0} answers other than 2xx"
done
