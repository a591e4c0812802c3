#!/usr/bin/env bash
# What signing costs the hourly run: N votes over M indicators (default 1M
# over 100k, a third of them IPs and hashes) published once, then the same
# hour rebuilt with --force (every file rendered and compared, none
# rewritten) three times each: unsigned, with SHA256SUMS and manifest.json
# signed, and with every file signed; then the decryption of a key made
# with minisign's scrypt cost. Prints each case's median wall time. Not part
# of the test suite: timings on shared machines are noisy.
#
#   tests/bench/signing_bench.sh [BUILD_DIR] [VOTES] [INDICATORS]
set -euo pipefail

build=$(realpath "${1:-build}")
votes=${2:-1000000}
indicators=${3:-100000}
work=$(mktemp -d "${TMPDIR:-/tmp}/crowdfeed-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

"$build/tests/gen_votes" --votes "$votes" --domains "$indicators" --typed 0.33 --csv votes.csv
"$build/crowdfeed" keygen -o keys >/dev/null
CROWDFEED_SIGNING_PASSPHRASE=bench "$build/crowdfeed" keygen -o encrypted --passphrase-env CROWDFEED_SIGNING_PASSPHRASE \
  >/dev/null
config() { # SIGNING: the [signing] table's lines
  printf '[feeds]\nthreads = 0\n%s\n' "$1" >crowdfeed.toml
}
config ""
"$build/crowdfeed" -c crowdfeed.toml -q import-votes votes.csv
"$build/crowdfeed" -c crowdfeed.toml -q publish --at 2026-11-27T21:00:00Z

# median LABEL: runs the hour again three times, prints the median wall time.
median() {
  local label=$1 times=()
  for _ in 1 2 3; do
    local start=$EPOCHREALTIME
    CROWDFEED_SIGNING_PASSPHRASE=bench "$build/crowdfeed" -c crowdfeed.toml -q publish --force \
      --at 2026-11-27T21:00:00Z
    times+=("$(awk -v start="$start" -v end="$EPOCHREALTIME" 'BEGIN { print end - start }')")
  done
  printf '%-52s %8.2f s\n' "$label" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)"
}
printf '%s votes over %s indicators: %s published files\n' "$votes" "$indicators" \
  "$(python3 -c 'import json; print(len(json.load(open("feeds/manifest.json"))["files"]))')"
median "unsigned"
config $'[signing]\nsecret_key = "keys/crowdfeed.key"'
median "SHA256SUMS and manifest.json signed"
config $'[signing]\nsecret_key = "keys/crowdfeed.key"\nsign_files = true'
median "every file signed (sign_files)"
config $'[signing]\nsecret_key = "encrypted/crowdfeed.key"\npassphrase_env = "CROWDFEED_SIGNING_PASSPHRASE"'
median "an encrypted key (scrypt, 1 GiB), two files signed"
du -sh feeds | awk '{ print "feeds folder: " $1 }'
