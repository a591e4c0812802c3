# A fresher Public Suffix List than the system's ([public_suffixes] list):
# from a file, or from a URL that publish downloads (a real HTTP server on
# 127.0.0.1: conditional GET, the last good copy when the server fails or
# sends nonsense). With the system's list of 2023, two votes list
# zeabur.app, a hosting platform added to the list since; with the fresh
# list the votes on it are refused, and what was voted in before is kept
# out of the feeds. status and --version name the list and its date, and
# an old list is warned about.
source "$(dirname "$0")/lib.sh"

fresh=$SOURCE_DIR/tests/data/psl/public_suffix_list.dat
cat >crowdfeed.toml <<'TOML'
[paths]
database = "votes.db"
state_dir = "state"
feeds_dir = "feeds"
[policy]
min_votes = 2
[guards]
min_entries = 1000000
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml

# The system's list does not know zeabur.app: two votes list the platform.
earlier=$(date -u -d '-2 hours' +%Y-%m-%dT%H:%M:%SZ)
for voter in a b; do
  "$CROWDFEED" -q vote --malicious zeabur.app --voter $voter --at "$earlier"
  "$CROWDFEED" -q vote --malicious evil.zeabur.app --voter $voter --at "$earlier"
done
"$CROWDFEED" -q publish
grep -qx 'zeabur.app' feeds/malicious-domains.txt || fail "the system's list was expected to let zeabur.app through"
run_status "$CROWDFEED" status
assert_contains "$OUT" "suffix list:  system (" "status names the system's list"
assert_contains "$OUT" "days old (public_suffixes.warn_after_days = 365)" "status warns of the old list"
assert_contains "$("$CROWDFEED" --version)" "public suffix list: " "--version names the list"

# A fresh list from a file: the name is refused as a vote, and kept out of
# the feed it was voted into, with the reason.
cp "$fresh" psl.dat
touch -d '2026-08-19 19:18:36 UTC' psl.dat
printf '[public_suffixes]\nlist = "psl.dat"\nwarn_after_days = 100000\n' >>crowdfeed.toml
run_status "$CROWDFEED" vote --malicious zeabur.app --voter c
assert_eq 2 "$STATUS" "a vote on a suffix the fresh list knows"
assert_contains "$ERR" "is a public suffix" "the refusal"
run_status "$CROWDFEED" status
assert_contains "$OUT" "suffix list:  $WORK/psl.dat, 2026-08-19" "status names the configured list and its date"
[[ $OUT == *"in use ($WORK/psl.dat"* ]] && fail "a warning within warn_after_days: $OUT"
"$CROWDFEED" -q publish --force
grep -qx 'zeabur.app' feeds/malicious-domains.txt && fail "zeabur.app is still listed with the fresh list"
grep -qx 'evil.zeabur.app' feeds/malicious-domains.txt || fail "a site under the platform is no longer listed"
run_status "$CROWDFEED" explain zeabur.app
assert_contains "$OUT$ERR" "public suffix" "explain says why zeabur.app is not listed"

# A list that makes no sense is refused with its reason.
printf '<html>oops</html>\n' >psl.dat
run_status "$CROWDFEED" status
assert_contains "$OUT" "psl.dat is not a public suffix list" "a broken configured file"

# From a URL: downloaded by publish, then conditionally; the last good copy
# when the server fails or sends nonsense.
mkdir server
cp "$fresh" server/psl.dat
start_server list_server.py server "list psl.dat"
url="http://127.0.0.1:$(cat server/port)/public_suffix_list.dat"
sed -i "s|^list = .*|list = \"$url\"|" crowdfeed.toml
run_status "$CROWDFEED" status
assert_contains "$ERR" "is not downloaded yet (the next publish does)" "before the first download"
"$CROWDFEED" -q publish --force
assert_eq 1 "$(grep -c public_suffix_list.dat server/requests.log)" "one download"
run_status "$CROWDFEED" status
assert_contains "$OUT" "suffix list:  $url (downloaded " "status names the downloaded list"
"$CROWDFEED" -q publish --force
grep -q 'if-none-match="' <<<"$(tail -n 1 server/requests.log)" || fail "the second download is not conditional"
echo "html" >server/mode
run_status "$CROWDFEED" publish --force
assert_eq 0 "$STATUS" "publish with a server that sends an HTML page: $ERR"
assert_contains "$ERR" "is not a public suffix list" "the nonsense named"
assert_contains "$ERR" "last good copy" "the last good copy used"
grep -qx 'zeabur.app' feeds/malicious-domains.txt && fail "zeabur.app listed with the last good copy"
echo "status 500" >server/mode
run_status "$CROWDFEED" publish --force
assert_eq 0 "$STATUS" "publish with a failing server: $ERR"
assert_contains "$ERR" "last good copy" "the last good copy used"
# Without any good copy, publish fails rather than run on the old list.
rm -rf state/public-suffix-list
run_status "$CROWDFEED" publish --force
assert_eq 1 "$STATUS" "publish with no list to be had"
assert_contains "$ERR" "no earlier copy to fall back on" "the failure says why"
echo ok
