# Defect 17 of the hardening issue, with the real thing: a BIND primary
# serves the published RPZ file and a BIND secondary transfers it. An
# emergency correction in the same hour (a false positive whitelisted, the
# job run again) must reach the secondary: the SOA serial has to grow, or
# BIND says "zone serial unchanged" and secondaries keep the false positive.
source "$(dirname "$0")/lib.sh"

command -v named >/dev/null || fail "named is needed (apt-get install bind9)"
read -r primary_port secondary_port < <(python3 -c '
import socket
ports = []
for _ in range(2):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); ports.append(s.getsockname()[1]); s.close()
print(*ports)')

named_config() {  # NAME PORT ZONE-STATEMENT
  mkdir -p "$1"
  cat >"$1/named.conf" <<CONF
options {
  directory "$WORK/$1";
  pid-file "$WORK/$1/named.pid";
  session-keyfile "$WORK/$1/session.key";
  listen-on port $2 { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
  allow-transfer { 127.0.0.1; };
  notify-source 127.0.0.1;
  transfer-source 127.0.0.1;
};
controls { };
$3
CONF
}
named_config primary "$primary_port" "zone \"rpz.crowdfeed\" { type primary; file \"$WORK/feeds/malicious-domains.rpz\"; notify explicit; also-notify { 127.0.0.1 port $secondary_port; }; };"
named_config secondary "$secondary_port" "zone \"rpz.crowdfeed\" { type secondary; file \"$WORK/secondary/rpz.db\"; primaries { 127.0.0.1 port $primary_port; }; };"

# answer NAME: what the secondary says for NAME's record in the zone.
answer() { dig +short +time=1 +tries=1 -p "$secondary_port" @127.0.0.1 "$1.rpz.crowdfeed" CNAME 2>/dev/null || true; }
# wait_for NAME EXPECTED WHAT: up to 30 s for the secondary to answer so.
wait_for() {
  for _ in $(seq 60); do
    [ "$(answer "$1")" == "$2" ] && return 0
    sleep 0.5
  done
  fail "$3: the secondary answers [$(answer "$1")] for $1, not [$2]; $(tail -n 5 primary.log secondary.log)"
}

printf '' >whitelist.txt
printf '[whitelist]\nfiles = ["whitelist.txt"]\n[feeds]\nformats = ["txt", "rpz"]\n' >crowdfeed.toml
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
for voter in a b c; do
  for domain in false-positive.example evil.example; do
    "$CROWDFEED" -q vote --malicious "$domain" --voter "$voter" --at 2026-11-27T20:00:00Z
  done
done
"$CROWDFEED" -q publish --at 2026-11-27T21:05:00Z

named -g -c "$WORK/primary/named.conf" >primary.log 2>&1 &
primary_pid=$!
named -g -c "$WORK/secondary/named.conf" >secondary.log 2>&1 &
secondary_pid=$!
trap 'kill $primary_pid $secondary_pid 2>/dev/null || true; wait 2>/dev/null || true; cleanup' EXIT
wait_for false-positive.example "." "the first transfer"
wait_for evil.example "." "the first transfer"

# The operator whitelists the false positive and runs the job again at
# 21:30, in the same hour; the primary reloads its zone file.
echo false-positive.example >whitelist.txt
"$CROWDFEED" -q publish --at 2026-11-27T21:30:00Z
grep -q '^false-positive.example ' feeds/malicious-domains.rpz && fail "the whitelisted domain is still in the zone"
kill -HUP "$primary_pid"
wait_for false-positive.example "" "after the same-hour correction"
wait_for evil.example "." "after the same-hour correction"
grep -q "zone serial unchanged" primary.log && fail "the primary saw the serial unchanged"
echo ok
