# The STIX bundles validate against the OASIS STIX 2.1 JSON schemas (with
# ajv) and every pattern parses with the OASIS pattern grammar
# (tests/stix/validate_stix.mjs, whose own tests first show it refuses
# broken bundles), across two hours: an indicator keeps its id from one
# hour to the next, and one that leaves the feed is in the hour's delta
# bundle once more with "revoked": true, as last published.
source "$(dirname "$0")/lib.sh"

STIX=$SOURCE_DIR/tests/stix
[ -d "$STIX/node_modules" ] && [ -d "$STIX/pattern/generated" ] ||
  fail "the STIX validator is not installed (deploy/install-build-deps.sh --tests)"
node --test "$STIX/test/" >validator-tests.txt 2>&1 || fail "the validator's own tests: $(tail -n 20 validator-tests.txt)"

md5=$(printf 'dropper' | md5sum | cut -c1-32)
sha256=$(printf 'stealer' | sha256sum | cut -c1-64)
{
  echo "indicator,vote,voter,cast_at"
  for voter in a b; do
    for value in evil.example.net gone.example.org 45.33.32.156 2a00:1450:4001:81d::200e "$md5" "$sha256"; do
      echo "$value,malicious,$voter,2026-11-27T20:00:00Z"
    done
    echo "good.example.org,non-malicious,$voter,2026-11-27T20:00:00Z"
  done
} >votes.csv
"$CROWDFEED" -q import-votes votes.csv
cat >crowdfeed.toml <<'TOML'
[feeds]
title = "crowdfeed \"test\" <feeds>"
formats = ["txt", "stix"]
ip_formats = ["txt", "stix"]
hash_formats = ["txt", "stix"]
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
validate() {
  node "$STIX/validate_stix.mjs" feeds/*.stix.json >validate.txt 2>&1 || fail "validate_stix: $(cat validate.txt)"
}
"$CROWDFEED" -q publish --at 2026-11-27T21:00:00Z 2>err.txt || fail "publish: $(cat err.txt)"
validate
assert_eq 12 "$(grep -c ': OK' validate.txt)" "bundles validated (six feeds, each full and delta)"
id_of() { # FILE NAME: the id of the indicator named NAME
  jq -r --arg name "$2" '.objects[] | select(.type == "indicator" and .name == $name) | .id' "feeds/$1"
}
first_id=$(id_of malicious-domains.stix.json evil.example.net)
gone_id=$(id_of malicious-domains.stix.json gone.example.org)
assert_eq "[file:hashes.'SHA-256' = '$sha256']" \
  "$(jq -r --arg name "$sha256" '.objects[] | select(.name == $name) | .pattern' feeds/malicious-hashes.stix.json)" \
  "a SHA-256 pattern"

{
  echo "indicator,vote,voter,cast_at"
  for voter in c d e; do echo "gone.example.org,non-malicious,$voter,2026-11-27T21:30:00Z"; done
} >votes2.csv
"$CROWDFEED" -q import-votes votes2.csv
"$CROWDFEED" -q publish --at 2026-11-27T22:00:00Z 2>err.txt || fail "publish: $(cat err.txt)"
validate
assert_eq "$first_id" "$(id_of malicious-domains.stix.json evil.example.net)" "an indicator's id in the next hour"
assert_eq "" "$(id_of malicious-domains.stix.json gone.example.org)" "a removed indicator in the full bundle"
assert_eq "$gone_id true 2026-11-27T22:00:00.000Z 2026-11-27T20:00:00.000Z" \
  "$(jq -r '.objects[] | select(.type == "indicator") | "\(.id) \(.revoked) \(.modified) \(.created)"' \
    feeds/malicious-domains.delta.stix.json)" "the delta bundle's revoked indicator"
