# The community pages in headless Chromium (Debian's), driven by
# tests/browser/community.mjs (puppeteer-core and axe-core from the npm
# registry): a voter signs in, votes and sees the count change, signs
# out; a visitor files a dispute with a hostile reason without signing
# in; a moderator accepts it from the queue; the next publish drops the
# domain and a live Unbound loaded with the new feed answers it; the
# dispute's page names the version that corrected it. No dialog, script
# error or policy report may occur, and axe-core may find no serious or
# critical violation on any page. The screenshots (home, indicator,
# dispute and moderation pages, desktop and phone) are kept in
# BUILD_DIR/test-output/community/.
source "$(dirname "$0")/lib.sh"

for tool in chromium node unbound dig; do command -v $tool >/dev/null || fail "$tool is needed (deploy/install-build-deps.sh --tests)"; done
[ -d "$SOURCE_DIR/tests/browser/node_modules/puppeteer-core" ] ||
  fail "puppeteer-core is needed: npm ci --prefix tests/browser (deploy/install-build-deps.sh --tests does it)"
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
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
hour=$(date -u -d '1 hour ago' +%Y-%m-%dT%H:05:00Z)
for voter in a b c; do
  for domain in shop.example phish.example; do "$CROWDFEED" vote --malicious $domain --voter $voter --at "$hour" 2>/dev/null; done
done
"$CROWDFEED" vote --non-malicious fine.example --voter a --at "$hour" 2>/dev/null
VOTER_TOKEN=$("$CROWDFEED" voters add alice 2>/dev/null)
MODERATOR_TOKEN=$("$CROWDFEED" voters add moderator-1 --role moderator 2>/dev/null)
export VOTER_TOKEN MODERATOR_TOKEN
"$CROWDFEED" publish 2>publish.log || fail "publish: $(tail -n 3 publish.log)"

# A real Unbound with the malicious feed.
query() { dns_query "$1"; }
start_unbound_feed() { start_unbound "$WORK/feeds/malicious-domains.unbound.conf" phish.example shop.example; }
start_unbound_feed
start_serve "$port" serve.log
trap 'kill $unbound_pid $server 2>/dev/null || true; cleanup' EXIT
assert_eq NXDOMAIN "$(query shop.example)" "Unbound blocks shop.example before the dispute"

output=$BUILD_DIR/test-output/community
rm -rf "$output"
browse() {
  run_status timeout 300 node "$SOURCE_DIR/tests/browser/community.mjs" "$1" "$site" "$output"
  [ "$STATUS" -eq 0 ] || fail "the browser, $1 the publish: $OUT $ERR"
}
browse before
"$CROWDFEED" publish 2>publish2.log || fail "publish: $(tail -n 3 publish2.log)"
! grep -qx shop.example feeds/malicious-domains.txt || fail "shop.example is still listed"
kill $unbound_pid
wait $unbound_pid 2>/dev/null || true
start_unbound_feed
assert_eq NOERROR "$(query shop.example)" "Unbound answers shop.example with the new feed"
assert_eq NXDOMAIN "$(query phish.example)" "Unbound still blocks phish.example"
# The pages read the new publish within seconds.
for _ in $(seq 50); do
  curl -s "$site/api/v1/indicators/shop.example" | grep -q '"listed":false' && break
  sleep 0.2
done
browse after
assert_contains "$OUT" "corrected in version $(grep -m 1 '^# Version:' feeds/malicious-domains.txt | awk '{ print $3 }')" "the corrected version"
for page in home indicator dispute moderation; do
  for width in desktop phone; do [ -s "$output/$page-$width.png" ] || fail "no screenshot $page-$width.png"; done
done
echo ok
