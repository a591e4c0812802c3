#!/usr/bin/env bash
# What the security tools' formats cost the hourly run: N votes (default
# 1M over 100k indicators, a third of them IP addresses and file hashes)
# published once with the default formats and once with every format of
# the tools added (STIX with its delta bundle, MISP, Suricata, iprep, file
# hash lists, Squid, MikroTik, Check Point), each from an empty feeds
# directory, so that every file is written. Not part of the test suite:
# timings on shared machines are noisy, so they are reported, never
# asserted.
#
#   tests/bench/tools_formats_bench.sh [BUILD_DIR] [VOTES] [INDICATORS] [RUNS]
set -euo pipefail

build=$(realpath "${1:-build}")
votes=${2:-1000000}
indicators=${3:-100000}
runs=${4:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/crowdfeed-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

"$build/tests/gen_votes" --votes "$votes" --domains "$indicators" --bad 0.01 --whitelisted 0.02 --typed 0.33 \
  --csv votes.csv --whitelist whitelist.txt
printf '[whitelist]\nfiles = ["whitelist.txt"]\n' >default.toml
cat default.toml - >tools.toml <<'TOML'
[feeds]
public_url = "https://feeds.example.net/"
formats = ["txt", "hosts", "adblock", "rpz", "unbound", "dnsmasq", "csv", "json", "zeek",
           "stix", "misp", "suricata", "squid", "checkpoint"]
ip_formats = ["txt", "csv", "json", "zeek", "ipset", "nft", "rpz",
              "stix", "misp", "suricata", "iprep", "mikrotik", "checkpoint"]
hash_formats = ["txt", "csv", "json", "zeek", "clamav",
                "stix", "misp", "filemd5", "filesha1", "filesha256", "checkpoint"]
TOML
"$build/crowdfeed" -c default.toml -q import-votes --skip-invalid votes.csv
# One publish from scratch, in the hour given, so that each run does the
# same work; the two configurations take turns, so that a drift of the
# machine's speed touches both. Prints each one's median wall time and
# largest peak RSS, and their ratio.
publish() {
  rm -rf feeds state
  /usr/bin/time -f '%e %M' -o time.txt "$build/crowdfeed" -c "$1" -q publish --at 2026-11-27T21:00:00Z
  read -r wall rss <time.txt
  echo "$wall" >>"$1.walls"
  echo "$rss" >>"$1.peaks"
}
rm -f ./*.walls ./*.peaks
for ((i = 0; i < runs; i++)); do
  publish default.toml
  publish tools.toml
done
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for config in default.toml tools.toml; do
  printf '%-14s median wall %6.2f s, peak RSS %4d MiB\n' "$config" "$(median "$config.walls")" \
    $(($(sort -n "$config.peaks" | tail -n 1) / 1024))
done
awk -v a="$(median tools.toml.walls)" -v b="$(median default.toml.walls)" 'BEGIN { printf "tools / default: %.2fx\n", a / b }'
"$build/crowdfeed" -c tools.toml -q publish --at 2026-11-27T21:00:00Z
printf 'files: %s, %s MiB; ' "$(find feeds -type f -not -path '*/by-hash/*' | wc -l)" "$(du -sm feeds | cut -f1)"
printf 'entries: %s malicious domains, %s malicious addresses, %s malicious hashes\n' \
  "$(grep -vc '^#' feeds/malicious-domains.txt)" "$(grep -vc '^#' feeds/malicious-ips.txt)" \
  "$(grep -vc '^#' feeds/malicious-hashes.txt)"
