# Cross-site voting in a real browser: a page on another loopback origin
# (127.0.0.2) tries every way a page can make its visitor's browser vote
# on crowdfeed serve (127.0.0.1), in anonymous mode with GET votes allowed
# and no probation, the setting most open to it: an <img> and a top-level
# navigation to vote.php, a form posted as text/plain and as a URL-encoded
# form, a no-cors fetch with a text/plain body, and a CORS fetch with a
# JSON body (which needs a preflight the server never grants). Headless
# Chromium (Debian's) runs the page; nothing may be stored, and the
# server's metrics must show that the requests arrived and were refused.
source "$(dirname "$0")/lib.sh"

chromium=$(command -v chromium || true)
[ -n "$chromium" ] || fail "chromium is needed (deploy/install-build-deps.sh --tests installs it)"
port=$(free_port)
page_port=$(free_port)
cat >crowdfeed.toml <<TOML
[paths]
database = "votes.db"
state_dir = "state"
[policy]
min_votes = 2
probation_days = 0
[serve]
listen = "127.0.0.1:$port"
anonymous = true
anonymous_get = true
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
start_serve "$port" server.log

target=http://127.0.0.1:$port
mkdir site
cat >site/index.html <<HTML
<!doctype html>
<html><body>
<img src="$target/vote.php?vote=0&amp;value=img.example">
<iframe name="sink" src="about:blank"></iframe>
<form id="text" method="post" action="$target/api/v1/votes" enctype="text/plain" target="sink">
  <input name='{"value": "form-text.example", "vote": 0, "x": "' value='"}'>
</form>
<form id="urlencoded" method="post" action="$target/api/v1/votes" target="sink">
  <input name="value" value="form.example"><input name="vote" value="0">
</form>
<iframe src="$target/vote.php?vote=0&amp;value=frame.example"></iframe>
<p id="done">running</p>
<script>
const body = JSON.stringify({value: "fetch.example", vote: 0});
document.getElementById("text").submit();
setTimeout(() => document.getElementById("urlencoded").submit(), 300);
Promise.allSettled([
  fetch("$target/api/v1/votes", {method: "POST", mode: "no-cors", body,
                                 headers: {"Content-Type": "text/plain"}}),
  fetch("$target/api/v1/votes", {method: "POST", body, headers: {"Content-Type": "application/json"}}),
  fetch("$target/vote.php?vote=0&value=fetch-get.example", {mode: "no-cors", credentials: "include"}),
]).then(() => setTimeout(() => {
  document.getElementById("done").textContent = "finished";
  window.location = "$target/vote.php?vote=0&value=navigation.example";
}, 1000));
</script>
</body></html>
HTML
python3 -m http.server "$page_port" --bind 127.0.0.2 --directory site >page-server.log 2>&1 &
page_server=$!
trap 'kill $server $page_server 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 100); do
  curl -sf -o /dev/null "http://127.0.0.2:$page_port/index.html" && break
  sleep 0.1
done

browser=("$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
  --disable-background-networking --disable-component-update --disable-sync --disable-extensions
  --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE 127.0.0.2" --user-data-dir="$WORK/profile")
run_status timeout 120 "${browser[@]}" --virtual-time-budget=10000 --dump-dom "http://127.0.0.2:$page_port/index.html"
assert_eq 0 "$STATUS" "chromium: $(tail -n 3 <<<"$ERR")"

curl -s "$target/metrics" >metrics.prom
# Every way in reached the server: the image, frame, navigation and GET
# fetch on vote.php, the forms and the no-cors fetch on the votes API (the
# CORS fetch stops at its preflight, an OPTIONS the server refuses).
vote_requests=$(awk -F' ' '/^crowdfeed_serve_requests_total\{route="vote"/ { n += $2 } END { print n + 0 }' metrics.prom)
votes_requests=$(awk -F' ' '/^crowdfeed_serve_requests_total\{route="votes"/ { n += $2 } END { print n + 0 }' metrics.prom)
[ "$vote_requests" -ge 3 ] || fail "the browser's GET votes did not reach the server ($vote_requests): $(cat metrics.prom)"
[ "$votes_requests" -ge 3 ] || fail "the browser's POSTs did not reach the server ($votes_requests): $(cat metrics.prom)"
grep -q '^crowdfeed_serve_votes_refused_total{reason="cross_site"}' metrics.prom ||
  fail "no request refused as cross-site: $(cat metrics.prom)"
grep -q '^crowdfeed_serve_votes_accepted_total 0$' metrics.prom || fail "a vote was accepted: $(cat metrics.prom)"
assert_eq 0 "$(sqlite3 votes.db 'SELECT COUNT(*) FROM votes')" "votes stored from another site's page"

# The same server takes a vote sent as a script would send it.
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  --data '{"value": "direct.example", "vote": 0}' "$target/api/v1/votes")
assert_eq 200 "$code" "a direct anonymous vote"
echo ok
