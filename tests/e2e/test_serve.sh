# crowdfeed serve, the real server on 127.0.0.1, driven with curl: the
# original vote.php URLs, JSON batches (all or nothing), every error status,
# voters' tokens and their revocation, a bad indicator of every class
# refused with nothing stored, rate limits (429 with Retry-After, nothing
# stored), the anonymous mode storing no address, a slow client cut off at
# the timeout while others are served, the metrics read by promtool.
source "$(dirname "$0")/lib.sh"

command -v curl >/dev/null || fail "curl is needed"
port=$(free_port)
base=http://127.0.0.1:$port
cat >crowdfeed.toml <<TOML
[paths]
database = "votes.db"
state_dir = "state"
[serve]
listen = "127.0.0.1:$port"
max_batch = 5
max_body_bytes = 4096
voter_rate = 0.001
voter_burst = 40
address_rate = 1000
address_burst = 1000
timeout_seconds = 2
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
rows() { votes_sql votes.db "SELECT COUNT(*) FROM votes"; }

alice=$("$CROWDFEED" -q voters add alice)
bob=$("$CROWDFEED" -q voters add bob --role trusted)
[[ $alice == cfv_* && ${#alice} == 68 ]] || fail "a token looks like cfv_ and 64 hex digits: $alice"
[ "$(votes_sql votes.db "SELECT COUNT(*) FROM voters WHERE token_sha256 = '$(printf %s "$alice" | sha256sum | cut -d' ' -f1)'")" == 1 ] ||
  fail "the voters table keeps the token's SHA-256"
votes_dump votes.db | grep -a -q "$alice" && fail "the token itself is stored"
run_status "$CROWDFEED" voters add alice
assert_eq 1 "$STATUS" "a second alice"
assert_contains "$ERR" 'a voter named "alice" exists already' "the taken name"

start_serve "$port" server.log
trap 'kill $server 2>/dev/null || true; cleanup' EXIT
grep -q '"status":"ok"' <<<"$(curl -sf "$base/healthz")" || fail "the server did not start: $(cat server.log)"

# request METHOD PATH [CURL ARGS...]: the status in $CODE, the body in $BODY, headers in $HEADERS.
request() {
  local method=$1 path=$2
  shift 2
  CODE=$(curl -s -o body.txt -D headers.txt -w '%{http_code}' -X "$method" "$@" "$base$path")
  BODY=$(cat body.txt)
  HEADERS=$(cat headers.txt)
}

# The original API: vote=0 malicious, vote=1 non-malicious, any type.
request GET '/vote.php?vote=0&value=EVIL-Site.example.' -H "Authorization: Bearer $alice"
assert_eq 200 "$CODE" "vote.php: $BODY"
assert_contains "$BODY" '"value":"evil-site.example"' "the normalised value"
request GET '/vote?vote=1&value=45.33.32.156' -H "X-API-Key: $bob"
assert_eq 200 "$CODE" "/vote with X-API-Key: $BODY"
assert_eq "evil-site.example|alice|0|domain
45.33.32.156|bob|1|ipv4" "$(votes_sql votes.db 'SELECT indicator, voter, verdict, type FROM votes ORDER BY cast_at, voter')" "the stored votes"

# Who may vote.
request GET '/vote.php?vote=0&value=a.example'
assert_eq 401 "$CODE" "no token"
assert_contains "$HEADERS" "WWW-Authenticate: Bearer" "401's challenge"
request GET '/vote.php?vote=0&value=a.example' -H "Authorization: Bearer cfv_0000"
assert_eq 403 "$CODE" "an unknown token"
request GET '/vote.php?vote=0&value=a.example' -H "Authorization: Basic $alice"
assert_eq 401 "$CODE" "not a bearer token"

# A bad indicator of every class, and bad parameters: 400 naming the rule, nothing stored.
before=$(rows)
for query in 'vote=0&value=192.168.1.1' 'vote=0&value=not%20a%20domain' 'vote=0&value=0xd41d8cd98f00b204e9800998ecf8427e' \
  'vote=0&value=d41d8cd98f00b204e9800998ecf8427e' 'vote=0&value=abc.example%0Aevil.example' 'vote=0&value=co.uk' \
  'vote=2&value=b.example' 'vote=0' 'value=b.example' 'vote=0&value=b.example&type=sha1'; do
  request GET "/vote.php?$query" -H "Authorization: Bearer $alice"
  assert_eq 400 "$CODE" "$query: $BODY"
  assert_contains "$BODY" '"error":' "$query: the reason"
done
request GET '/vote.php?vote=0&value=192.168.1.1' -H "Authorization: Bearer $alice"
assert_contains "$BODY" "private" "the private address's rule"
request GET '/vote.php?vote=2&value=b.example' -H "Authorization: Bearer $alice"
assert_contains "$BODY" "vote must be 0 (malicious) or 1 (non-malicious)" "the vote parameter's rule"
# A parameter given twice, or with a NUL (which would cut a C string short):
# refused, not read in part.
request GET '/vote.php?vote=0&value=first.example&value=second.example' -H "Authorization: Bearer $alice"
assert_eq 400 "$CODE" "a repeated parameter"
assert_contains "$BODY" "value is given more than once" "the repeated parameter named"
request GET '/vote.php?vote=0&value=cut.example%00%0Aevil.example' -H "Authorization: Bearer $alice"
assert_eq 400 "$CODE" "a value with %00"
assert_contains "$BODY" "NUL" "the NUL named"
# HEAD would cast a vote without reading the answer: not on the vote routes.
CODE=$(curl -s -I -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $alice" "$base/vote.php?vote=0&value=head.example")
assert_eq 405 "$CODE" "HEAD on vote.php"
assert_eq "$before" "$(rows)" "votes after the refused requests"

# JSON batches: all or nothing, with each bad item's index.
request POST /api/v1/votes -H "Authorization: Bearer $alice" -H 'Content-Type: application/json' \
  --data '[{"value": "c2.example", "vote": 0}, {"value": "8.8.4.4", "vote": "1"}, {"value": "44d88612fea8a8f36de82e1278abb02f", "vote": 0, "type": "md5"}]'
assert_eq 200 "$CODE" "a batch: $BODY"
assert_contains "$BODY" '"stored":3' "three stored"
before=$(rows)
request POST /api/v1/votes -H "Authorization: Bearer $alice" -H 'Content-Type: application/json' \
  --data '[{"value": "d.example", "vote": 0}, {"value": "10.0.0.1", "vote": 0}, {"vote": 1}]'
assert_eq 400 "$CODE" "a batch with bad votes"
assert_contains "$BODY" '"index":1' "the second item named"
assert_contains "$BODY" '"index":2' "the third item named"
assert_contains "$BODY" "none was stored" "all or nothing"
assert_eq "$before" "$(rows)" "nothing of the bad batch stored"
request POST /api/v1/votes -H "Authorization: Bearer $alice" -H 'Content-Type: application/json' --data 'not json'
assert_eq 400 "$CODE" "not JSON"
request POST /api/v1/votes -H "Authorization: Bearer $alice" -H 'Content-Type: application/json' \
  --data "[$(printf '{"value": "e%d.example", "vote": 0},' 1 2 3 4 5)"'{"value": "e6.example", "vote": 0}]'
assert_eq 413 "$CODE" "more than max_batch votes"
head -c 5000 /dev/zero | tr '\0' ' ' >big.json
request POST /api/v1/votes -H "Authorization: Bearer $alice" -H 'Content-Type: application/json' --data-binary @big.json
assert_eq 413 "$CODE" "a body over max_body_bytes"
assert_eq "$before" "$(rows)" "nothing of the refused batches stored"

# Routes and methods.
request GET /nothing
assert_eq 404 "$CODE" "an unknown path"
request POST '/vote.php?vote=0&value=a.example' -H "Authorization: Bearer $alice"
assert_eq 405 "$CODE" "POST on vote.php"
assert_contains "$HEADERS" "Allow: GET" "405's Allow"
request GET /api/v1/votes
assert_eq 405 "$CODE" "GET on the votes collection"

# The indicator's votes and verdict.
request GET /api/v1/indicators/EVIL-SITE.example
assert_eq 200 "$CODE" "an indicator: $BODY"
assert_contains "$BODY" '"malicious":1' "its votes"
assert_contains "$BODY" '"value":"evil-site.example"' "its normalised value"

# Rate limit: 40 votes in a burst, then one each 1,000 seconds (the
# refill is tested in the unit tests against an injected clock; here it is
# too slow for any machine to see); the refused ones are not stored.
carol=$("$CROWDFEED" -q voters add carol)
# The server reads the voters again every second.
for _ in $(seq 100); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $carol" "$base/vote.php")" == 400 ] && break
  sleep 0.1
done
before=$(rows)
accepted=0
limited=0
for i in $(seq 1 50); do
  request GET "/vote.php?vote=0&value=rate$i.example" -H "Authorization: Bearer $carol"
  case $CODE in
    200) accepted=$((accepted + 1)) ;;
    429) limited=$((limited + 1)); retry=$(echo "$HEADERS" | tr -d '\r' | awk -F': ' 'tolower($1) == "retry-after" { print $2 }') ;;
    *) fail "rate test: $CODE $BODY" ;;
  esac
done
assert_eq 40 "$accepted" "50 votes in a burst of 40: accepted"
assert_eq 10 "$limited" "50 votes in a burst of 40: refused"
[ "${retry:-0}" -ge 900 ] || fail "429 with Retry-After ${retry:-none}, not the ~1,000 s until the next token"
assert_eq "$((before + accepted))" "$(rows)" "stored votes equal the accepted ones"
assert_eq "$accepted" "$(votes_sql votes.db "SELECT COUNT(*) FROM votes WHERE voter = 'carol'")" "carol's votes"

# Revocation takes effect within a second or two.
"$CROWDFEED" -q voters revoke alice
for _ in $(seq 100); do
  request GET '/vote.php?vote=0&value=after-revoke.example' -H "Authorization: Bearer $alice"
  [ "$CODE" == 403 ] && break
  sleep 0.1
done
assert_eq 403 "$CODE" "a revoked token"
grep -q '^alice .* 20[0-9][0-9]-.*Z *20[0-9][0-9]-' <<<"$("$CROWDFEED" voters list)" || fail "voters list shows the revocation"

# A slow client (a header byte a second) is cut off at the 2 s timeout while
# another is served.
python3 - "$port" <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
start = time.time()
try:
    while time.time() - start < 15:
        s.sendall(b"X")
        time.sleep(1)
        s.settimeout(0.01)
        try:
            if s.recv(1) == b"":
                break
        except socket.timeout:
            pass
except (BrokenPipeError, ConnectionResetError):
    pass
open("slow.txt", "w").write(f"{time.time() - start:.1f}\n")
PY
slow=$!
sleep 0.5
request GET /healthz
assert_eq 200 "$CODE" "another client while a slow one dribbles"
wait $slow
cut_after=$(cat slow.txt)
awk -v t="$cut_after" 'BEGIN { exit !(t < 8) }' || fail "the slow client was held for $cut_after s"

# Metrics, checked by Prometheus's own tool.
curl -s "$base/metrics" >metrics.prom
promtool check metrics <metrics.prom || fail "promtool refuses /metrics"
grep -q 'crowdfeed_serve_requests_total{route="vote",status="429"}' metrics.prom || fail "429s not counted"
grep -q 'crowdfeed_serve_rate_limited_total{scope="voter"}' metrics.prom || fail "rate limits not counted"
grep -q 'crowdfeed_serve_votes_refused_total{reason="invalid"}' metrics.prom || fail "invalid votes not counted"

kill -TERM $server
wait $server || fail "serve did not exit cleanly on SIGTERM: $(tail -n 3 server.log)"

# Anonymous mode: no token votes as a keyed hash of the address; the
# address is stored nowhere.
sed -i 's/^timeout_seconds = 2/timeout_seconds = 2\nanonymous = true/' crowdfeed.toml
start_serve "$port" server2.log
request POST /api/v1/votes -H 'Content-Type: application/json' --data '{"value": "anonymous.example", "vote": 0}'
assert_eq 200 "$CODE" "an anonymous vote: $BODY"
voter=$(votes_sql votes.db "SELECT voter FROM votes WHERE indicator = 'anonymous.example'")
[[ $voter =~ ^anonymous:[0-9a-f]{32}$ ]] || fail "the anonymous voter id: $voter"
[ "$(stat -c %a state/serve-anonymous.key)" == 600 ] || fail "the key file is not private"
kill -TERM $server
wait $server
votes_dump votes.db | grep -a -q '127\.0\.0\.1' && fail "the client address is stored"
echo ok
