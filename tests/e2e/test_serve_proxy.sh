# crowdfeed serve behind the shipped nginx site (deploy/nginx-crowdfeed-
# serve.conf, with a test certificate and loopback ports): votes over TLS
# reach the server, /metrics does not leave the host. X-Forwarded-For is
# believed from a trusted proxy only: the anonymous voter a request counts
# as follows the forwarded address from the proxy, and ignores it from
# anyone else. The shipped systemd unit passes systemd-analyze verify.
source "$(dirname "$0")/lib.sh"

nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || fail "nginx is needed (deploy/install-build-deps.sh installs it)"
serve_port=$(free_port)
tls_port=$(free_port)

cat >crowdfeed.toml <<TOML
[paths]
database = "votes.db"
state_dir = "state"
[serve]
listen = "127.0.0.1:$serve_port"
anonymous = true
trusted_proxies = ["127.0.0.1"]
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
token=$("$CROWDFEED" -q voters add proxied)
start_serve "$serve_port" server.log

# The shipped site, with this test's certificate, name and ports.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=votes.test" -addext "subjectAltName=DNS:votes.test" \
  -keyout tls.key -out tls.pem 2>/dev/null
sed -e "s|listen 443 ssl;|listen 127.0.0.1:$tls_port ssl;|" -e '/listen \[::\]:443 ssl;/d' \
  -e "s|server_name votes.example.org;|server_name votes.test;|" \
  -e "s|/etc/ssl/certs/votes.example.org.pem|$WORK/tls.pem|" -e "s|/etc/ssl/private/votes.example.org.key|$WORK/tls.key|" \
  -e "s|server 127.0.0.1:8080;|server 127.0.0.1:$serve_port;|" "$SOURCE_DIR/deploy/nginx-crowdfeed-serve.conf" >site.conf
grep -q "127.0.0.1:$serve_port" site.conf || fail "the site's upstream was not found to replace"
chmod 755 "$WORK"  # nginx's worker runs as nobody
nginx_conf "  include $WORK/site.conf;"
"$nginx" -t -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log" 2>nginx-test.txt || fail "nginx -t: $(cat nginx-test.txt)"
"$nginx" -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log" &
nginx_pid=$!
trap 'kill $server $nginx_pid 2>/dev/null || true; wait $nginx_pid 2>/dev/null || true; cleanup' EXIT
tls() { curl -s --cacert tls.pem --resolve "votes.test:$tls_port:127.0.0.1" "$@"; }
for _ in $(seq 50); do tls -f "https://votes.test:$tls_port/healthz" >/dev/null && break; sleep 0.1; done

answer=$(tls -H "Authorization: Bearer $token" "https://votes.test:$tls_port/vote.php?vote=0&value=tls.example")
assert_contains "$answer" '"stored":1' "a vote over TLS through nginx"
assert_eq "tls.example|proxied" "$(sqlite3 votes.db "SELECT indicator, voter FROM votes")" "the vote through the proxy"
assert_eq 404 "$(tls -o /dev/null -w '%{http_code}' "https://votes.test:$tls_port/metrics")" "/metrics through the proxy"
# The community pages through the proxy: a page, and a form posted with
# its session cookie and token from the proxied origin.
assert_contains "$(tls "https://votes.test:$tls_port/")" "Community threat-intelligence feeds" "the home page through the proxy"
csrf=$(tls -c jar -b jar "https://votes.test:$tls_port/disputes/new" | grep -m 1 -o 'name="csrf" value="[0-9a-f]*"' | sed 's/.*value="//; s/"$//')
code=$(tls -c jar -b jar -o /dev/null -w '%{http_code}' -H "Origin: https://votes.test:$tls_port" --data-urlencode "csrf=$csrf" \
  -d indicator=listed.example -d kind=false_positive -d reason=mistake "https://votes.test:$tls_port/disputes")
assert_eq 303 "$code" "a dispute filed through the proxy"
# A token header with a NUL in it: libmicrohttpd (0.9.75) would hand the
# server the part before the NUL; nginx refuses the request first.
status=$(python3 - "$tls_port" "$token" <<'PY'
import socket, ssl, sys
context = ssl.create_default_context(cafile="tls.pem")
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10) as raw:
    with context.wrap_socket(raw, server_hostname="votes.test") as s:
        s.sendall(b"GET /vote.php?vote=0&value=nul.example HTTP/1.1\r\nHost: votes.test\r\nX-API-Key: "
                  + sys.argv[2].encode() + b"\0junk\r\nConnection: close\r\n\r\n")
        print(s.recv(4096).split(b"\r\n", 1)[0].decode())
PY
)
assert_eq "HTTP/1.1 400 Bad Request" "$status" "a NUL in X-API-Key through the proxy"
# A page of another site cannot vote through the proxy either.
code=$(tls -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Origin: https://evil.example' \
  -H 'Content-Type: application/json' --data '{"value": "csrf.example", "vote": 0}' "https://votes.test:$tls_port/api/v1/votes")
assert_eq 403 "$code" "a vote from another origin through the proxy"
assert_eq 0 "$(sqlite3 votes.db "SELECT COUNT(*) FROM votes WHERE indicator IN ('nul.example', 'csrf.example')")" \
  "no vote from the refused requests"

# Through the trusted proxy, two client addresses are two anonymous voters.
anonymous_vote() {
  "${@:3}" -H "X-Forwarded-For: $1" -H 'Content-Type: application/json' --data "{\"value\": \"$2\", \"vote\": 0}"
}
anonymous_vote 198.51.100.1 one.example tls "https://votes.test:$tls_port/api/v1/votes" >/dev/null
anonymous_vote 198.51.100.2 one.example tls "https://votes.test:$tls_port/api/v1/votes" >/dev/null
assert_eq 2 "$(sqlite3 votes.db "SELECT COUNT(DISTINCT voter) FROM votes WHERE indicator = 'one.example'")" \
  "forwarded addresses from the trusted proxy"
kill -TERM $server
wait $server

# Without trusted proxies, X-Forwarded-For is anyone's to forge: ignored.
sed -i 's/^trusted_proxies = .*/trusted_proxies = []/' crowdfeed.toml
start_serve "$serve_port" server2.log
for address in 198.51.100.3 198.51.100.4 198.51.100.5; do
  anonymous_vote "$address" two.example curl -s "http://127.0.0.1:$serve_port/api/v1/votes" >/dev/null
done
assert_eq 1 "$(sqlite3 votes.db "SELECT COUNT(DISTINCT voter) FROM votes WHERE indicator = 'two.example'")" \
  "forged X-Forwarded-For from an untrusted client"

# The shipped unit, filled in as the install fills it, passes systemd's check.
if command -v systemd-analyze >/dev/null; then
  sed -e "s|@CROWDFEED_BINDIR@|$(dirname "$CROWDFEED")|" -e "s|@CROWDFEED_CONFIG_DIR@|$WORK|" \
    -e "s|@CROWDFEED_DOCUMENTATION@|man:crowdfeed(1)|" "$SOURCE_DIR/deploy/crowdfeed-serve.service.in" \
    >crowdfeed-serve.service
  run_status systemd-analyze verify --man=no "$WORK/crowdfeed-serve.service"
  # The unit names a user this machine may lack; its syntax must be right
  # (the package test verifies the installed unit in a fresh Debian).
  [ -z "$(echo "$ERR" | grep -i -e 'unknown key' -e 'invalid' -e 'failed to parse' || true)" ] ||
    fail "systemd-analyze verify: $ERR"
fi
echo ok
