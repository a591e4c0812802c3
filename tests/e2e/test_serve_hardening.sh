# crowdfeed serve against the attacks of the third hardening round: votes
# only as JSON and never from another site's pages; a client is one
# canonical address (an IPv6 client its /64) however X-Forwarded-For spells
# it; the token, the rate and the size are checked before a byte of the
# body is read; bodies are read as a bounded stream (nesting, element
# count, duplicate keys); the Bearer scheme in any case; votes the store refused do not count against the daily cap.
source "$(dirname "$0")/lib.sh"

command -v curl >/dev/null || fail "curl is needed"
port=$(free_port)
base=http://127.0.0.1:$port
write_config() {
  cat >crowdfeed.toml <<TOML
[paths]
database = "votes.db"
state_dir = "state"
[votes]
busy_timeout_ms = 200
[serve]
listen = "127.0.0.1:$port"
max_batch = 5
max_body_bytes = 4096
max_buffered_bytes = 8192
address_rate = 1000
address_burst = 1000
daily_cap = 8
timeout_seconds = 5
$1
TOML
}
write_config ""
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
rows() { sqlite3 votes.db "SELECT COUNT(*) FROM votes"; }
alice=$("$CROWDFEED" -q voters add alice)
carol=$("$CROWDFEED" -q voters add carol)
start_serve "$port" server.log
trap 'kill $server 2>/dev/null || true; cleanup' EXIT

# request METHOD PATH [CURL ARGS...]: the status in $CODE, the body in $BODY.
request() {
  local method=$1 path=$2
  shift 2
  CODE=$(curl -s -o body.txt -w '%{http_code}' -X "$method" "$@" "$base$path")
  BODY=$(cat body.txt)
}
json=(-H 'Content-Type: application/json')
auth=(-H "Authorization: Bearer $alice")

# Votes are JSON: a form or text body (what a page of any site can send
# without asking) is refused.
before=$(rows)
for type in 'text/plain' 'application/x-www-form-urlencoded' 'multipart/form-data; boundary=x' 'application/jsonx'; do
  request POST /api/v1/votes "${auth[@]}" -H "Content-Type: $type" --data '{"value": "form.example", "vote": 0}'
  assert_eq 415 "$CODE" "Content-Type $type: $BODY"
done
request POST /api/v1/votes "${auth[@]}" -H 'Content-Type: Application/JSON; charset=utf-8' \
  --data '{"value": "json.example", "vote": 0}'
assert_eq 200 "$CODE" "JSON with a charset: $BODY"

# Requests a browser sends for a page of another site.
for headers in 'Sec-Fetch-Site: cross-site' 'Sec-Fetch-Site: same-site' 'Origin: http://evil.example' 'Origin: null' \
  "Origin: http://127.0.0.1:$((port + 1))" "Origin: http://127.0.0.1.evil.example:$port"; do
  request POST /api/v1/votes "${auth[@]}" "${json[@]}" -H "$headers" --data '{"value": "csrf.example", "vote": 0}'
  assert_eq 403 "$CODE" "$headers: $BODY"
  request GET '/vote.php?vote=0&value=csrf.example' "${auth[@]}" -H "$headers"
  assert_eq 403 "$CODE" "$headers on vote.php: $BODY"
done
assert_contains "$BODY" "another origin" "the refusal says why"
request POST /api/v1/votes "${auth[@]}" "${json[@]}" -H 'Sec-Fetch-Site: same-origin' -H "Origin: http://127.0.0.1:$port" \
  --data '{"value": "same-origin.example", "vote": 0}'
assert_eq 200 "$CODE" "a page of the server's own origin: $BODY"
assert_eq "$((before + 2))" "$(rows)" "only the JSON and same-origin votes stored"

# Answers keep the connection alive (an answer decided before the body is
# read must not close it when there is no body to skip).
python3 - "$port" "$alice" <<'PY' || fail "a vote closed its keep-alive connection"
import http.client, sys
connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=10)
for path in ("/healthz", "/vote.php?vote=0&value=keep-alive.example", "/api/v1/indicators/keep-alive.example",
             "/vote.php?vote=2&value=x.example"):
    connection.request("GET", path, headers={"Authorization": f"Bearer {sys.argv[2]}"})
    answer = connection.getresponse()
    answer.read()
    assert not answer.will_close, (path, answer.status, answer.getheaders())
connection.request("POST", "/api/v1/votes", '{"value": "keep-alive-2.example", "vote": 0}',
                   {"Authorization": f"Bearer {sys.argv[2]}", "Content-Type": "application/json"})
answer = connection.getresponse()
answer.read()
assert answer.status == 200 and not answer.will_close, (answer.status, answer.getheaders())
PY

# Bytes that are not UTF-8, quoted back in an error, neither crash the
# server nor reach the answer as they were.
request GET '/api/v1/indicators/http:%2F%2F%FF' "${auth[@]}"
assert_eq 400 "$CODE" "an indicator URL with a byte that is not UTF-8: $BODY"
request GET '/vote.php?vote=0&value=http:%2F%2F%FF%FE' "${auth[@]}"
assert_eq 400 "$CODE" "a vote URL with bytes that are not UTF-8: $BODY"
request GET /healthz
assert_eq 200 "$CODE" "the server after them"

# The Bearer scheme in any case (RFC 9110).
request GET '/vote.php?vote=0&value=lower-case.example' -H "Authorization: bearer $alice"
assert_eq 200 "$CODE" "Authorization: bearer: $BODY"
raw() {
  python3 - "$port" "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(sys.argv[2].encode().replace(b"\\0", b"\0").replace(b"\\n", b"\r\n"))
answer = b""
try:
    while b"\r\n\r\n" not in answer:
        piece = s.recv(65536)
        if not piece:
            break
        answer += piece
except socket.timeout:
    pass
print(answer.split(b"\r\n", 1)[0].decode() if answer else "no answer")
PY
}
before=$(rows)
# The token is checked before the body is read: a request without one is
# answered at once, while its announced megabyte is still to come.
status=$(raw "POST /api/v1/votes HTTP/1.1\nHost: x\nContent-Type: application/json\nContent-Length: 1000000\n\n")
assert_eq "HTTP/1.1 401 Unauthorized" "$status" "a body without a token"
status=$(raw "POST /api/v1/votes HTTP/1.1\nHost: x\nAuthorization: Bearer $alice\nContent-Type: application/json\nContent-Length: 1000000\n\n")
assert_eq "HTTP/1.1 413 Content Too Large" "${status/Payload Too Large/Content Too Large}" "a body announced over the limit"

# Bodies are read as a bounded stream.
request POST /api/v1/votes "${auth[@]}" "${json[@]}" --data '{"value": "benign.example", "value": "evil.example", "vote": 0}'
assert_eq 400 "$CODE" "a key given twice: $BODY"
assert_contains "$BODY" 'gives the key \"value\" twice' "the duplicate named"
python3 -c 'print("[" * 2000 + "]" * 2000)' >deep.json
request POST /api/v1/votes "${auth[@]}" "${json[@]}" --data-binary @deep.json
assert_eq 400 "$CODE" "deep nesting: $BODY"
request POST /api/v1/votes "${auth[@]}" "${json[@]}" --data '{"value": {"nested": ["x"]}, "vote": 0}'
assert_eq 400 "$CODE" "an object as a field: $BODY"
request POST /api/v1/votes "${auth[@]}" "${json[@]}" --data '[{"value": "a.example", "vote": true}, {"value": 7, "vote": 0}]'
assert_eq 400 "$CODE" "fields of the wrong kind: $BODY"
assert_contains "$BODY" 'vote must be 0 or 1 (a string or an integer), not true' "what was sent, quoted"
assert_contains "$BODY" 'value must be a string, not 7' "what was sent, quoted"
[[ $BODY == *'\u0001'* ]] && fail "an internal placeholder in the answer: $BODY"
request POST /api/v1/votes "${auth[@]}" "${json[@]}" --data "[$(printf '{"value": "e%d.example", "vote": 0},' 1 2 3 4 5){\"value\": \"e6.example\", \"vote\": 0}]"
assert_eq 413 "$CODE" "more than max_batch votes: $BODY"
assert_eq "$before" "$(rows)" "nothing of the refused bodies stored"

# The bodies held at once are bounded, as they arrive (an announcement
# holds nothing): serve.max_buffered_bytes (8 KiB) in all, a quarter of it
# or one body (4 KiB) for one client. Clients 127.0.0.1 and 127.0.0.2 each
# hold 4,000 bytes of a body; then a third client, and the first again, are
# told to come back (503 at the end of their bodies, which are not kept).
# /metrics says how much is held.
python3 - "$port" "$alice" <<'PY' || fail "the body budget"
import socket, sys, time, urllib.request
port, token = int(sys.argv[1]), sys.argv[2]
def start(source, length, sent):
    s = socket.socket()
    s.settimeout(10)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    s.sendall(f"POST /api/v1/votes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
              f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n".encode() + b" " * sent)
    return s
def status(s):
    answer = b""
    while b"\r\n" not in answer:
        piece = s.recv(4096)
        if not piece:
            break
        answer += piece
    return answer.split(b"\r\n", 1)[0].decode()
def held():
    metrics = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    return int(next(line.split()[1] for line in metrics.splitlines()
                    if line.startswith("crowdfeed_serve_buffered_body_bytes ")))
holders = [start("127.0.0.1", 4096, 4000), start("127.0.0.2", 4096, 4000)]
deadline = time.monotonic() + 30
while held() < 8000:
    assert time.monotonic() < deadline, held()
    time.sleep(0.05)
# A body that does not fit is dropped as it comes, and refused at its end.
for source in ("127.0.0.3", "127.0.0.1"):
    got = status(start(source, 1000, 1000))
    assert got.startswith("HTTP/1.1 503"), (source, got)
vote = b'{"value": "held.example", "vote": 0}'
for s in holders:
    s.sendall(b" " * (96 - len(vote)) + vote)
    got = status(s)
    assert got.startswith("HTTP/1.1 200"), got
deadline = time.monotonic() + 30
while held() != 0:
    assert time.monotonic() < deadline, held()
    time.sleep(0.05)
PY

# A vote the store could not take is not counted against the daily cap (8).
python3 - <<'PY' &
import sqlite3, time, os
db = sqlite3.connect("votes.db", isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
open("locked", "w").close()
while not os.path.exists("unlock"):
    time.sleep(0.05)
db.execute("ROLLBACK")
PY
locker=$!
for _ in $(seq 100); do [ -e locked ] && break; sleep 0.05; done
for i in 1 2 3; do
  request GET "/vote.php?vote=0&value=locked$i.example" -H "Authorization: Bearer $carol"
  assert_eq 503 "$CODE" "a vote while the database is locked: $BODY"
done
touch unlock
wait $locker
request GET '/vote.php?vote=0&value=first.example' -H "Authorization: Bearer $carol"
assert_eq 200 "$CODE" "carol's first vote: $BODY"
for i in 1 2 3 4 5 6 7; do
  request GET "/vote.php?vote=0&value=after$i.example" -H "Authorization: Bearer $carol"
  assert_eq 200 "$CODE" "vote $i after the store came back (the cap is 8, one used before): $BODY"
done
request GET '/vote.php?vote=0&value=over.example' -H "Authorization: Bearer $carol"
assert_eq 429 "$CODE" "the ninth counted vote of the day"
kill -TERM $server
wait $server

# Anonymous mode. Votes by GET are off unless asked for.
write_config $'anonymous = true\ntrusted_proxies = ["127.0.0.1", "::1"]\nmax_batch = 100'
sed -i -e "s/^max_batch = 5$//" -e "s/^daily_cap = 6$/daily_cap = 100/" crowdfeed.toml
start_serve "$port" server2.log
request GET '/vote.php?vote=0&value=anonymous-get.example'
assert_eq 403 "$CODE" "an anonymous vote by GET: $BODY"
assert_contains "$BODY" "serve.anonymous_get" "the setting named"

# One client written many ways is one voter; an IPv6 client is its /64.
vote_from() {
  request POST /api/v1/votes "${json[@]}" -H "X-Forwarded-For: $1" --data "{\"value\": \"$2\", \"vote\": 0}"
}
for spelling in 198.51.100.7 ' 198.51.100.7 ' 198.51.100.7:4711 '::ffff:198.51.100.7' '[::ffff:198.51.100.7]:443' \
  '[::FFFF:C633:6407]'; do
  vote_from "$spelling" four.example
  assert_eq 200 "$CODE" "X-Forwarded-For: $spelling: $BODY"
done
for spelling in 2001:db8:1:2::1 2001:DB8:1:2::1 2001:0db8:0001:0002:0000:0000:0000:0001 '[2001:db8:1:2::1]' \
  '[2001:db8:1:2::1]:8080' 2001:db8:1:2::2 2001:db8:1:2:ffff:ffff:ffff:ffff; do
  vote_from "$spelling" six.example
  assert_eq 200 "$CODE" "X-Forwarded-For: $spelling: $BODY"
done
vote_from 2001:db8:1:3::1 six.example
assert_eq 200 "$CODE" "another /64"
assert_eq 1 "$(sqlite3 votes.db "SELECT COUNT(DISTINCT voter) FROM votes WHERE indicator = 'four.example'")" \
  "one IPv4 client written six ways"
assert_eq 2 "$(sqlite3 votes.db "SELECT COUNT(DISTINCT voter) FROM votes WHERE indicator = 'six.example'")" \
  "seven addresses of one /64 and one of another"
before=$(rows)
for garbage in 010.8.8.8 1.2.3 0x7f.0.0.1 unknown 'fe80::1%eth0' '198.51.100.7, nonsense' '' '1.2.3.4:99999' \
  'evil.example'; do
  vote_from "198.51.100.8, $garbage" garbage.example
  assert_eq 400 "$CODE" "X-Forwarded-For: $garbage: $BODY"
done
assert_contains "$BODY" '\"evil.example\"' "the entry quoted"
assert_eq "$before" "$(rows)" "nothing stored from a garbled chain"
kill -TERM $server
wait $server

# Asked for, anonymous GET votes work, still never from another site.
write_config $'anonymous = true\nanonymous_get = true'
start_serve "$port" server3.log
request GET '/vote.php?vote=0&value=anonymous-get.example'
assert_eq 200 "$CODE" "serve.anonymous_get = true: $BODY"
request GET '/vote.php?vote=0&value=anonymous-get2.example' -H 'Sec-Fetch-Site: cross-site'
assert_eq 403 "$CODE" "an anonymous GET from another site"
kill -TERM $server
wait $server
echo ok
