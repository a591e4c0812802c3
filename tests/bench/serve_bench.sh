#!/usr/bin/env bash
# Load benchmark of crowdfeed serve: wrk (Debian's) with CONNECTIONS keep-
# alive connections (default 100) for SECONDS (default 30), every request a
# vote on a value of its own, while `crowdfeed publish` runs over and over
# on a database of VOTES votes (default 1,000,000, from gen_votes). Reports
# accepted votes a second, p50 and p99 latency and failed requests, then
# checks that every acknowledged vote is stored (the votes stored beyond
# them are the requests in flight when wrk stopped, at most one a
# connection). Not part of the test suite: timings are reported, never
# asserted. ANONYMOUS_VOTERS=N first adds N anonymous voters to the
# database, as an open server collects them (each address a voter row):
# the voters cache reads only the voters with a token, so the figures
# should not move.
#
#   [ANONYMOUS_VOTERS=N] tests/bench/serve_bench.sh [BUILD_DIR] [VOTES] [CONNECTIONS] [SECONDS]
set -euo pipefail

source_dir=$(realpath "$(dirname "$0")/../..")
build=$(realpath "${1:-build}")
votes=${2:-1000000}
connections=${3:-100}
seconds=${4:-30}
work=$(mktemp -d "${TMPDIR:-/tmp}/crowdfeed-serve-bench.XXXXXX")
server=
trap '[ -z "$server" ] || kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >crowdfeed.toml <<TOML
[paths]
database = "votes.db"
state_dir = "state"
feeds_dir = "feeds"
[guards]
max_growth = 1000.0
[serve]
listen = "127.0.0.1:$port"
voter_rate = 1000000
voter_burst = 1000000
address_rate = 1000000
address_burst = 1000000
daily_cap = 100000000
TOML
export CROWDFEED_CONFIG=$work/crowdfeed.toml
cf() { "$build/crowdfeed" -q "$@"; }

"$build/tests/gen_votes" --votes "$votes" --domains $((votes / 10)) --csv votes.csv
cf import-votes --skip-invalid votes.csv >/dev/null
cf publish >/dev/null
token=$(cf voters add loadtest)
if [ "${ANONYMOUS_VOTERS:-0}" -gt 0 ]; then
  sqlite3 votes.db "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ANONYMOUS_VOTERS})
    INSERT INTO voters SELECT printf('anonymous:%032x', i), 'anonymous', NULL, 1700000000, NULL FROM n"
  echo "anonymous voters: $(sqlite3 votes.db "SELECT COUNT(*) FROM voters WHERE role = 'anonymous'")"
fi
"$build/crowdfeed" -q serve >server.log 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

# The hourly job, again and again while the load runs.
(
  end=$((SECONDS + seconds))
  runs=0
  while ((SECONDS < end)); do
    cf publish --force >/dev/null 2>>publish-errors.txt || echo "publish failed" >>publish-errors.txt
    runs=$((runs + 1))
  done
  echo "$runs" >publish-runs.txt
) &
publisher=$!

wrk -t 2 -c "$connections" -d "${seconds}s" --latency -s "$source_dir/tests/bench/serve_load.lua" \
  "http://127.0.0.1:$port" -- "$token" >wrk.txt
wait $publisher
kill -TERM "$server"
status=0
wait "$server" || status=$?
server=
[ "$status" -eq 0 ] || { echo "serve exited with $status: $(tail -n 5 server.log)" >&2; exit 1; }

value() { awk -v key="$1" '$1 == key { print $2 }' wrk.txt; }
cat acknowledged-*.txt | sort >acknowledged.txt
sqlite3 votes.db "SELECT indicator FROM votes WHERE voter = 'loadtest'" | sort >stored.txt
acknowledged=$(wc -l <acknowledged.txt)
stored=$(wc -l <stored.txt)
missing=$(comm -23 acknowledged.txt stored.txt | wc -l)
echo "load: $connections connections, ${seconds} s, beside $(cat publish-runs.txt) publish runs on $votes votes" \
  "($(grep -c '^publish failed' publish-errors.txt || true) failed)"
awk -v a="$acknowledged" -v s="$(value seconds)" 'BEGIN { printf "accepted votes a second: %.0f\n", a / s }'
echo "p50 $(value p50_ms) ms, p99 $(value p99_ms) ms"
echo "failed requests: $(value socket_errors) socket errors, $(value status_errors) non-200 answers"
echo "acknowledged $acknowledged, stored $stored, acknowledged but not stored: $missing"
{ grep -v 'votes cast after the run time' publish-errors.txt || true; } | sort | uniq -c | head -n 5
[ "$missing" -eq 0 ] && [ "$stored" -ge "$acknowledged" ] && [ $((stored - acknowledged)) -le "$connections" ]
