# The malicious IP feed as a DNS resolver loads it: response-IP triggers
# (rpz-ip) that named-checkzone accepts, and a live BIND named serving
# that zone as its response-policy zone refuses (NXDOMAIN) every answer
# that holds a listed address, IPv4 or IPv6, whatever name led to it,
# while other answers pass.
source "$(dirname "$0")/lib.sh"

for tool in named named-checkzone dig; do
  command -v $tool >/dev/null || fail "$tool is needed (apt-get install bind9 bind9-utils bind9-dnsutils)"
done
port=$(free_port)

printf '[feeds]\nip_formats = ["txt", "rpz"]\n' >crowdfeed.toml
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
for voter in a b; do
  for ip in 45.33.32.156 2a00:1450:4001:81d::200e; do
    "$CROWDFEED" -q vote --malicious "$ip" --voter $voter --at 2026-11-27T20:00:00Z
  done
done
"$CROWDFEED" -q publish --at 2026-11-27T21:00:00Z
grep -qx '32.156.32.33.45.rpz-ip CNAME .' feeds/malicious-ips.rpz || fail "no IPv4 trigger: $(cat feeds/malicious-ips.rpz)"
grep -qx '128.200e.zz.81d.4001.1450.2a00.rpz-ip CNAME .' feeds/malicious-ips.rpz || fail "no IPv6 trigger: $(cat feeds/malicious-ips.rpz)"
out=$(named-checkzone -i full rpz.crowdfeed feeds/malicious-ips.rpz) || fail "named-checkzone rejected malicious-ips.rpz: $out"
assert_contains "$out" "loaded serial $(date -u -d 2026-11-27T21:00:00Z +%s)" "serial from Last-Modified"
out=$(named-checkzone -i full rpz.crowdfeed feeds/non-malicious-ips.rpz) || fail "named-checkzone rejected non-malicious-ips.rpz: $out"

# A zone of names that resolve to listed and unlisted addresses.
cat >example.test.zone <<'ZONE'
$TTL 60
@ SOA ns.example.test. hostmaster.example.test. (1 60 60 600 60)
  NS ns.example.test.
ns A 127.0.0.1
listed A 45.33.32.156
unlisted A 45.33.32.157
listed6 AAAA 2a00:1450:4001:81d::200e
unlisted6 AAAA 2a00:1450:4001:81d::200f
ZONE
mkdir named
cat >named/named.conf <<CONF
options {
  directory "$WORK/named";
  pid-file "$WORK/named/named.pid";
  session-keyfile "$WORK/named/session.key";
  listen-on port $port { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion yes;
  allow-recursion { 127.0.0.1; };
  dnssec-validation no;
  # Without upstream servers: apply name triggers without first trying to
  # resolve the name.
  response-policy { zone "rpz.crowdfeed"; } recursive-only no qname-wait-recurse no;
};
controls { };
zone "example.test" { type primary; file "$WORK/example.test.zone"; };
zone "rpz.crowdfeed" { type primary; file "$WORK/feeds/malicious-ips.rpz"; };
CONF
named -g -c "$WORK/named/named.conf" >named.log 2>&1 &
named_pid=$!
trap 'kill $named_pid 2>/dev/null || true; wait 2>/dev/null || true; cleanup' EXIT
status() { dig +time=1 +tries=1 -p "$port" @127.0.0.1 "$1" "$2" 2>/dev/null | sed -n 's/.*status: \([A-Z]*\).*/\1/p'; }
for _ in $(seq 60); do
  [ "$(status unlisted.example.test A)" == NOERROR ] && break
  sleep 0.5
done
assert_eq NOERROR "$(status unlisted.example.test A)" "an unlisted address; $(tail -n 5 named.log)"
assert_eq "45.33.32.157" "$(dig +short -p "$port" @127.0.0.1 unlisted.example.test A)" "the unlisted answer"
assert_eq NXDOMAIN "$(status listed.example.test A)" "an answer holding a listed IPv4 address"
assert_eq NXDOMAIN "$(status listed6.example.test AAAA)" "an answer holding a listed IPv6 address"
assert_eq NOERROR "$(status unlisted6.example.test AAAA)" "an unlisted IPv6 address"
# The zone's test entry, which consumers query to see the zone is loaded.
test_name=malicious-ips.rpz-test.example.org
assert_eq 127.0.0.2 "$(dig +short -p "$port" @127.0.0.1 $test_name A)" "the RPZ test entry; $(tail -n 5 named.log)"
assert_eq "\"crowdfeed RPZ test entry: malicious-ips version 202611272100\"" \
  "$(dig +short -p "$port" @127.0.0.1 $test_name TXT)" "the RPZ test entry's TXT"
echo ok
