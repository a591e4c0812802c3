# The IP feeds as firewalls load them: `ipset restore` and `nft -f` in a
# private network namespace. The sets hold exactly the feed's addresses,
# IPv4 and IPv6 apart; `nft -c` accepts the file; the next hour's files
# replace the sets' contents (an address dropped from the feed leaves the
# set), and applying a file twice changes nothing.
source "$(dirname "$0")/lib.sh"

for tool in ipset nft unshare; do
  command -v $tool >/dev/null || fail "$tool is needed (apt-get install ipset nftables util-linux)"
done
unshare -n true 2>/dev/null || fail "unshare -n is not permitted here (root or CAP_SYS_ADMIN is needed)"

printf '[feeds]\nip_formats = ["txt", "ipset", "nft"]\n' >crowdfeed.toml
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
vote() { # VERDICT VALUE AT
  for voter in a b; do "$CROWDFEED" -q vote "--$1" "$2" --voter $voter --at "$3"; done
}
for ip in 45.33.32.156 11.0.0.1 2a00:1450:4001::1 2A00:1450:4001:0:0:0:0:2; do vote malicious "$ip" 2026-11-27T20:00:00Z; done
vote non-malicious 12.0.0.1 2026-11-27T20:00:00Z
"$CROWDFEED" -q publish --at 2026-11-27T21:00:00Z
assert_eq "11.0.0.1 2a00:1450:4001::1 2a00:1450:4001::2 45.33.32.156" "$(grep -v '^#' feeds/malicious-ips.txt | xargs)" "malicious-ips.txt"
cp feeds/malicious-ips.ipset first.ipset
cp feeds/malicious-ips.nft first.nft
cp feeds/non-malicious-ips.nft first-allow.nft

# The next hour: 11.0.0.1 is voted non-malicious by more voters, one added.
for voter in c d e f g; do "$CROWDFEED" -q vote --non-malicious 11.0.0.1 --voter $voter --at 2026-11-27T21:10:00Z; done
vote malicious 11.0.0.9 2026-11-27T21:10:00Z
"$CROWDFEED" -q publish --at 2026-11-27T22:00:00Z
assert_eq "11.0.0.9 2a00:1450:4001::1 2a00:1450:4001::2 45.33.32.156" "$(grep -v '^#' feeds/malicious-ips.txt | xargs)" "malicious-ips.txt the next hour"

# ipset: the members of a set, sorted.
cat >ipset-check.sh <<'SH'
set -euo pipefail
members() { ipset list "$1" | sed -n '/^Members:/,$p' | tail -n +2 | sort | xargs; }
ipset restore <first.ipset
echo "first-v4: $(members malicious-ips-v4)"
echo "first-v6: $(members malicious-ips-v6)"
ipset restore <first.ipset
echo "again-v4: $(members malicious-ips-v4)"
ipset restore <feeds/malicious-ips.ipset
echo "next-v4: $(members malicious-ips-v4)"
echo "next-v6: $(members malicious-ips-v6)"
echo "sets: $(ipset list -n | sort | xargs)"
SH
out=$(unshare -n bash ipset-check.sh 2>&1) || fail "ipset restore failed: $out"
assert_contains "$out" "first-v4: 11.0.0.1 45.33.32.156" "ipset IPv4 set"
assert_contains "$out" "first-v6: 2a00:1450:4001::1 2a00:1450:4001::2" "ipset IPv6 set"
assert_contains "$out" "again-v4: 11.0.0.1 45.33.32.156" "ipset applied twice"
assert_contains "$out" "next-v4: 11.0.0.9 45.33.32.156" "ipset the next hour"
assert_contains "$out" "next-v6: 2a00:1450:4001::1 2a00:1450:4001::2" "ipset IPv6 the next hour"
assert_contains "$out" "sets: malicious-ips-v4 malicious-ips-v6" "no temporary set left"

# nftables: checked, loaded, reloaded; both feeds share the table.
cat >nft-check.sh <<'SH'
set -euo pipefail
elements() { nft -j list set inet crowdfeed "$1" | python3 -c '
import json, sys
items = [i for i in json.load(sys.stdin)["nftables"] if "set" in i][0]["set"].get("elem", [])
print(" ".join(sorted(items)))'; }
nft -c -f first.nft
nft -f first.nft
nft -f first-allow.nft
echo "first-v4: $(elements malicious_ips_v4)"
echo "first-v6: $(elements malicious_ips_v6)"
echo "allow-v4: $(elements non_malicious_ips_v4)"
nft -f first.nft
echo "again-v4: $(elements malicious_ips_v4)"
nft -c -f feeds/malicious-ips.nft
nft -f feeds/malicious-ips.nft
echo "next-v4: $(elements malicious_ips_v4)"
echo "next-v6: $(elements malicious_ips_v6)"
SH
out=$(unshare -n bash nft-check.sh 2>&1) || fail "nft failed: $out"
assert_contains "$out" "first-v4: 11.0.0.1 45.33.32.156" "nft IPv4 set"
assert_contains "$out" "first-v6: 2a00:1450:4001::1 2a00:1450:4001::2" "nft IPv6 set"
assert_contains "$out" "allow-v4: 12.0.0.1" "nft non-malicious set beside it"
assert_contains "$out" "again-v4: 11.0.0.1 45.33.32.156" "nft applied twice"
assert_contains "$out" "next-v4: 11.0.0.9 45.33.32.156" "nft the next hour"
assert_contains "$out" "next-v6: 2a00:1450:4001::1 2a00:1450:4001::2" "nft IPv6 the next hour"
echo ok
