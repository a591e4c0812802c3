# The dispute loop through the community pages, as browsers' requests
# (curl with a cookie jar, Origin and the forms' fields): a listed domain
# is blocked by a real Unbound; a visitor who never signed in disputes it
# from the form; forms without the session's CSRF token, from another
# origin, or after the server forgot the session are refused and change
# nothing; a moderator signs in and accepts the dispute from the queue;
# the next publish drops the domain, Unbound loaded with the new feed
# answers it, and the dispute's page says in which version it was
# corrected. A voter signs in and votes from an indicator's page. Every
# page sends a Content-Security-Policy without 'unsafe-inline'.
source "$(dirname "$0")/lib.sh"

for tool in unbound dig curl; do command -v $tool >/dev/null || fail "$tool is needed"; done
port=$(free_port)
site=http://127.0.0.1:$port
cat >crowdfeed.toml <<TOML
[paths]
database = "votes.db"
state_dir = "state"
feeds_dir = "feeds"
[policy]
min_votes = 2
probation_days = 0
[serve]
listen = "127.0.0.1:$port"
public_url = "$site"
[cluster]
output = "clusters"
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
# Votes from the hour before the run, which counts them.
hour=$(date -u -d '1 hour ago' +%Y-%m-%dT%H:05:00Z)
for voter in a b c; do
  "$CROWDFEED" vote --malicious shop.example --voter $voter --at "$hour" 2>/dev/null
  "$CROWDFEED" vote --malicious phish.example --voter $voter --at "$hour" 2>/dev/null
done
"$CROWDFEED" voters add moderator-1 --role moderator >moderator.token 2>/dev/null
"$CROWDFEED" voters add alice >alice.token 2>/dev/null
"$CROWDFEED" publish 2>publish.log || fail "publish: $(tail -n 3 publish.log)"
grep -qx shop.example feeds/malicious-domains.txt || fail "shop.example is not listed to begin with"
# The feeds point to the dispute form.
assert_contains "$(grep -m 1 'False positives' feeds/malicious-domains.txt)" "$site/disputes/new" "the feed's False positives line"
assert_contains "$(grep -m 1 -o '"dispute_url":"[^"]*"' feeds/malicious-domains.json)" "$site/disputes/new" "the JSON feed's dispute_url"

# A real Unbound with the malicious feed.
query() { dns_query "$1"; }
start_unbound_feed() { start_unbound "$WORK/feeds/malicious-domains.unbound.conf" phish.example shop.example; }
start_unbound_feed
trap 'kill $unbound_pid $server 2>/dev/null || true; cleanup' EXIT
assert_eq NXDOMAIN "$(query shop.example)" "Unbound blocks shop.example before the dispute"

# Threat reports that name shop.example, clustered: its page lists them.
printf 'report,indicator\nreport-1,shop.example\nreport-2,shop.example\nreport-2,phish.example\n' >reports.csv
"$CROWDFEED" cluster -o clusters reports.csv 2>cluster.log || fail "cluster: $(tail -n 3 cluster.log)"
start_serve "$port" serve.log
trap 'kill $unbound_pid $server 2>/dev/null || true; cleanup' EXIT
assert_contains "$(curl -s "$site/api/v1/indicators/shop.example")" '"reports":[{"cluster":"1","id":"report-1"' "the reports that name shop.example"
assert_contains "$(curl -s "$site/indicator/shop.example")" "<h2>Threat reports</h2>" "the reports on the page"

# Every page: a policy without inline script or style, and a session cookie
# a script cannot read and another site's requests do not carry.
for path in / /indicator/shop.example /disputes/new /signin /api/v1/summary; do
  headers=$(curl -s -D - -o /dev/null "$site$path")
  csp=$(grep -i -m 1 '^Content-Security-Policy:' <<<"$headers" || true)
  assert_contains "$csp" "default-src 'none'" "$path's Content-Security-Policy"
  [[ "$csp" != *unsafe-inline* ]] || fail "$path allows unsafe-inline: $csp"
done
cookie=$(curl -s -D - -o /dev/null "$site/" | grep -i -m 1 '^Set-Cookie:')
assert_contains "$cookie" "HttpOnly; SameSite=Strict" "the session cookie's attributes"
# The seed's page addresses lead to the indicator's page.
assert_eq "301 $site/indicator/shop.example" "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$site/domain.php?domain=shop.example")" "domain.php"
assert_eq "303 $site/indicator/shop.example" "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$site/search?q=SHOP.example.")" "the search box"

# csrf JAR PATH: the CSRF token of the form on PATH, for the session in JAR.
csrf() {
  curl -s -c "$1" -b "$1" "$site$2" >form.html
  grep -m 1 -o 'name="csrf" value="[0-9a-f]*"' form.html | sed 's/.*value="//; s/"$//'
}
# post JAR PATH FIELDS...: a form of this site's pages; prints the status and Location.
post() {
  local jar=$1 path=$2
  shift 2
  local fields=()
  for field in "$@"; do fields+=(--data-urlencode "$field"); done
  curl -s -c "$jar" -b "$jar" -o post.html -w '%{http_code} %{redirect_url}' -H "Origin: $site" "${fields[@]}" "$site$path"
}
open_disputes() { "$CROWDFEED" disputes list --status all 2>/dev/null | grep -c -v '^id ' || true; }

token=$(csrf visitor.jar /disputes/new?indicator=shop.example)
[ ${#token} -eq 64 ] || fail "no CSRF token in the dispute form"
reason='Our shop; listed by mistake. <script>alert(1)</script>'
# Refused: no token, another session's token, another origin, no cookie.
assert_eq 403 "$(post visitor.jar /disputes csrf= indicator=shop.example kind=false_positive "reason=$reason" | cut -d' ' -f1)" "a form without its token"
other=$(csrf other.jar /disputes/new)
assert_eq 403 "$(post visitor.jar /disputes "csrf=$other" indicator=shop.example kind=false_positive "reason=$reason" | cut -d' ' -f1)" "a form with another session's token"
status=$(curl -s -o /dev/null -w '%{http_code}' -c visitor.jar -b visitor.jar -H "Origin: http://attacker.example" \
  --data-urlencode "csrf=$token" -d indicator=shop.example -d kind=false_positive --data-urlencode "reason=$reason" "$site/disputes")
assert_eq 403 "$status" "a form posted from another origin"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Origin: $site" --data-urlencode "csrf=$token" -d indicator=shop.example \
  -d kind=false_positive --data-urlencode "reason=$reason" "$site/disputes")
assert_eq 403 "$status" "a form posted without the session cookie"
assert_eq 0 "$(open_disputes)" "disputes after the refused forms"

# Filed without signing in.
answer=$(post visitor.jar /disputes "csrf=$token" indicator=shop.example kind=false_positive "reason=$reason" contact=ops@shop.example)
assert_eq "303 $site/disputes/1" "$answer" "filing the dispute"
page=$(curl -s "$site/disputes/1")
assert_contains "$page" "&lt;script&gt;alert(1)&lt;/script&gt;" "the reason, as text"
[[ "$page" != *ops@shop.example* ]] || fail "the contact address is shown publicly"
[[ "$(curl -s "$site/api/v1/disputes/1")" != *ops@shop.example* ]] || fail "the contact address is in the JSON"

# The moderator: the queue needs a moderator's session.
assert_eq "303 $site/signin" "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$site/moderation")" "the queue without signing in"
token=$(csrf moderator.jar /signin)
assert_eq 403 "$(post moderator.jar /signin "csrf=$token" token=not-a-token | cut -d' ' -f1)" "signing in with a wrong token"
assert_eq "303 $site/" "$(post moderator.jar /signin "csrf=$token" "token=$(cat moderator.token)")" "the moderator signs in"
curl -s -b moderator.jar "$site/moderation" >queue.html
assert_contains "$(cat queue.html)" "ops@shop.example" "the queue shows the contact to moderators"
token=$(grep -m 1 -o 'name="csrf" value="[0-9a-f]*"' queue.html | sed 's/.*value="//; s/"$//')
# A signed-in session the server forgot (it restarted) decides nothing.
kill $server
wait $server 2>/dev/null || true
start_serve "$port" serve2.log
assert_eq 403 "$(post moderator.jar /moderation/1 "csrf=$token" action=accept note=verified | cut -d' ' -f1)" "a form of a forgotten session"
assert_eq "open" "$("$CROWDFEED" disputes list --status all 2>/dev/null | awk '$1 == 1 { print $2 }')" "the dispute after the refused decision"
token=$(csrf moderator.jar /signin)
post moderator.jar /signin "csrf=$token" "token=$(cat moderator.token)" >/dev/null
token=$(csrf moderator.jar /moderation)
assert_eq "303 $site/disputes/1" "$(post moderator.jar /moderation/1 "csrf=$token" action=accept "note=Verified with the shop's owner")" "accepting from the queue"
assert_contains "$("$CROWDFEED" disputes log 2>/dev/null)" "moderator-1 accepted dispute=1 shop.example" "the audit log"

# The next publish drops it; explain and the page name the dispute.
"$CROWDFEED" publish 2>publish2.log || fail "publish: $(tail -n 3 publish2.log)"
! grep -qx shop.example feeds/malicious-domains.txt || fail "shop.example is still listed"
grep -qx phish.example feeds/malicious-domains.txt || fail "phish.example was dropped too"
assert_contains "$("$CROWDFEED" explain shop.example 2>/dev/null)" "accepted dispute 1" "explain"
version=$(grep -m 1 '^# Version:' feeds/malicious-domains.txt | awk '{ print $3 }')
assert_contains "$(curl -s "$site/disputes/1")" "Corrected in version $version" "the dispute's page"
kill $unbound_pid
wait $unbound_pid 2>/dev/null || true
start_unbound_feed
assert_eq NOERROR "$(query shop.example)" "Unbound answers shop.example with the new feed"
assert_eq NXDOMAIN "$(query phish.example)" "Unbound still blocks phish.example"
for _ in $(seq 50); do
  curl -s "$site/api/v1/indicators/shop.example" | grep -q '"dispute":1' && break
  sleep 0.2
done
json=$(curl -s "$site/api/v1/indicators/shop.example")
assert_contains "$json" '"listed":false' "the page's published state"
assert_contains "$json" 'kept out by the allow-list of accepted dispute 1' "the page's reason"

# A voter signs in and votes from the page; the count changes.
token=$(csrf alice.jar /signin)
post alice.jar /signin "csrf=$token" "token=$(cat alice.token)" >/dev/null
token=$(csrf alice.jar /indicator/new.example)
assert_contains "$(cat form.html)" "Signed in as <bdi>alice</bdi>" "alice's page"
assert_eq "303 $site/indicator/new.example" "$(post alice.jar /indicator/new.example/vote "csrf=$token" vote=0)" "voting from the page"
assert_contains "$(curl -s "$site/api/v1/indicators/new.example")" '"malicious":1' "the vote, counted"
# Signed out, the session votes no more: the old session's token is
# refused, and the new session is not signed in.
post alice.jar /signout "csrf=$token" >/dev/null
assert_eq 403 "$(post alice.jar /indicator/new.example/vote "csrf=$token" vote=0 | cut -d' ' -f1)" "the signed-out session's token"
token=$(csrf alice.jar /signin)
assert_eq "303 $site/signin" "$(post alice.jar /indicator/new.example/vote "csrf=$token" vote=0)" "voting after signing out"
assert_eq 1 "$(votes_sql votes.db "SELECT COUNT(*) FROM votes WHERE indicator = 'new.example'")" "votes on new.example"

# A body posted to a page's address is no vote: nothing is stored, from
# any origin, in any content type (an earlier build stored it as nobody's).
before=$(votes_sql votes.db "SELECT COUNT(*) FROM votes")
for type in text/plain application/json; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Content-Type: $type" -d '{"value": "injected.example", "vote": 0}' \
    "$site/api/v1/indicators/injected.example")
  assert_eq 405 "$code" "a $type body posted to an indicator's JSON"
done
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '[{"value": "injected.example", "vote": 0}]' "$site/indicator/x")
assert_eq 405 "$code" "a body posted to an indicator's page"
assert_eq "$before" "$(votes_sql votes.db "SELECT COUNT(*) FROM votes")" "votes after the bodies posted to pages"

# A moderator revoked while signed in loses the queue within a second.
"$CROWDFEED" voters add moderator-2 --role moderator >moderator2.token 2>/dev/null
# (The server reads the voters again every second: a new token works
# within one.)
for _ in $(seq 30); do
  token=$(csrf moderator2.jar /signin)
  [ "$(post moderator2.jar /signin "csrf=$token" "token=$(cat moderator2.token)")" = "303 $site/" ] && break
  sleep 0.1
done
assert_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' -b moderator2.jar "$site/moderation")" "the queue, signed in"
"$CROWDFEED" voters revoke moderator-2 2>/dev/null
for _ in $(seq 50); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -b moderator2.jar "$site/moderation")" = 303 ] && break
  sleep 0.1
done
assert_eq 303 "$(curl -s -o /dev/null -w '%{http_code}' -b moderator2.jar "$site/moderation")" "the queue after the revocation"

# /metrics counts the disputes and the time to their correction.
metrics=$(curl -s "$site/metrics")
assert_contains "$metrics" 'crowdfeed_disputes{status="accepted"} 1' "the disputes metric"
assert_contains "$metrics" 'crowdfeed_dispute_correction_seconds{quantile="0.5"}' "the correction time metric"
echo ok
