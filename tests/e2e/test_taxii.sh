# TAXII 2.1 in crowdfeed serve, walked by a client written from the
# specification (taxii_client.py) across two published hours: discovery,
# the API root, a collection per feed published in STIX, objects page by
# page, the manifest and versions, the media types, the X-TAXII-Date-Added
# headers and the errors (401, 403, 404, 405, 406). The second poll, with
# added_after from the first, gets what the second hour published: the
# new indicator, the removed one revoked, and nothing of the feeds that did
# not change. A reader's token reads and casts no vote.
source "$(dirname "$0")/lib.sh"

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
[feeds]
formats = ["txt", "stix"]
ip_formats = ["txt", "stix"]
hash_formats = ["txt"]
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
first=$(date -u -d '2 hours ago' +%Y-%m-%dT%H:05:00Z)
for voter in a b; do
  for value in shop.example gone.example 45.33.32.156; do
    "$CROWDFEED" vote --malicious "$value" --voter $voter --at "$first" 2>/dev/null
  done
done
"$CROWDFEED" voters add reader-1 --role reader >reader.token 2>/dev/null
"$CROWDFEED" voters add alice >alice.token 2>/dev/null
"$CROWDFEED" publish --at "$(date -u -d '1 hour ago' +%Y-%m-%dT%H:00:00Z)" 2>publish.log ||
  fail "publish: $(tail -n 3 publish.log)"
start_serve "$port" serve.log
trap 'kill $server 2>/dev/null || true; cleanup' EXIT

poll() { # LABEL: the client's walk, its report in LABEL.json
  python3 "$SOURCE_DIR/tests/e2e/taxii_client.py" "$site" "$(cat reader.token)" taxii-state.json \
    --other-token "$(cat alice.token)" >"$1.json" || fail "the TAXII client ($1): $(cat "$1.json")"
}
names() { # LABEL COLLECTION: the indicators it got, "name" or "name(revoked)"
  jq -r --arg c "crowdfeed $2" '.collections[$c].objects[] | select(.type == "indicator") |
    if .revoked then "\(.name)(revoked)" else .name end' "$1.json" | sort | xargs
}
poll first
assert_eq "gone.example shop.example" "$(names first malicious-domains)" "the first poll's domains"
assert_eq "45.33.32.156" "$(names first malicious-ips)" "the first poll's addresses"
assert_eq "3" "$(jq '.collections["crowdfeed malicious-domains"].pages' first.json)" \
  "pages of two objects (three fixed objects and two indicators)"

# The second hour: gone.example is voted down, new.example up.
second=$(date -u -d '1 hour ago' +%Y-%m-%dT%H:10:00Z)
for voter in c d e; do "$CROWDFEED" vote --non-malicious gone.example --voter $voter --at "$second" 2>/dev/null; done
for voter in a b; do "$CROWDFEED" vote --malicious new.example --voter $voter --at "$second" 2>/dev/null; done
"$CROWDFEED" publish 2>publish.log || fail "publish: $(tail -n 3 publish.log)"
poll second
# The changed feed is versioned anew (valid_until moves with each
# version), with the removed indicator revoked; the unchanged feeds give
# nothing new.
assert_eq "gone.example(revoked) new.example shop.example" "$(names second malicious-domains)" \
  "the second poll's domains"
assert_eq "" "$(names second malicious-ips)" "the second poll's addresses (unchanged)"
# Polling again finds nothing.
poll third
assert_eq "0" "$(jq '[.collections[].objects[]] | length' third.json)" "a poll after nothing changed"

# A reader's token casts no vote, by the API or the vote URL.
status=$(curl -s -o vote.txt -w '%{http_code}' -H "Authorization: Bearer $(cat reader.token)" \
  "$site/vote.php?vote=0&value=evil.example")
assert_eq 403 "$status" "a vote with a reader's token"
assert_contains "$(cat vote.txt)" "casts no vote" "the refusal"
assert_eq "" "$(votes_sql votes.db "SELECT voter FROM votes WHERE voter = 'reader-1'")" "votes by the reader"
