# Whitelist sources end to end: observed lists downloaded from a real HTTP
# server on 127.0.0.1 (200, 304, 500, an HTML error page, a timeout, a list
# that shrank) next to a trusted local list, the "seen on more than one
# network" rule, public-suffix refusal, explain, excluded-domains.csv and
# `whitelist build`.
source "$(dirname "$0")/lib.sh"

mkdir server
python3 "$SOURCE_DIR/tests/e2e/list_server.py" server &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 50); do [ -s server/port ] && break; sleep 0.1; done
port=$(cat server/port)

# Network A's list is served; network B's is a local Majestic-style file.
printf '1,cdn.shared.example\n2,github.io\n3,only-a.example\n4,filler1.example\n5,filler2.example\n6,filler3.example\n' >server/network-a.csv
printf 'GlobalRank,TldRank,Domain,TLD\n1,1,shared.example,example\n2,2,only-b.example,example\n' >network-b.csv
printf 'ops-allowed.example\n' >ops.txt
cat >crowdfeed.toml <<TOML
[whitelist]
min_observed = 2
max_shrink = 0.5
download_timeout_seconds = 2
[[whitelist.sources]]
name = "ops"
kind = "trusted"
location = "ops.txt"
[[whitelist.sources]]
name = "network-a"
kind = "observed"
location = "http://127.0.0.1:$port/top.csv"
[[whitelist.sources]]
name = "network-b"
kind = "observed"
location = "network-b.csv"
format = "ranked-csv"
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
for domain in www.cdn.shared.example only-a.example only-b.example evil.github.io ops-allowed.example; do
  for voter in v1 v2; do "$CROWDFEED" -q vote --malicious "$domain" --voter "$voter" --at 2026-11-27T20:00:00Z; done
done

publish() {  # HOUR: publishes as of that hour; keeps stderr in $ERR
  run_status "$CROWDFEED" publish --at "2026-11-27T$1:00:00Z"
  [ "$STATUS" -eq 0 ] || fail "publish at $1:00 failed: $ERR"
}
expect_feed() {  # the malicious feed as one space-separated line
  assert_eq "$1" "$(domains_of feeds/malicious-domains.txt | tr '\n' ' ' | sed 's/ $//')" "$2"
}

# 1. 200: the list is downloaded. cdn.shared.example is seen by A (as
# cdn.shared.example) but B lists shared.example: neither entry reaches 2.
echo "list network-a.csv" >server/mode
publish 21
expect_feed "evil.github.io only-a.example only-b.example www.cdn.shared.example" "feed with one listing each"
assert_contains "$ERR" 'whitelist source "network-a" (observed, downloaded): 5 entries, 0 invalid, 1 public suffixes refused' "per-source report"
assert_contains "$ERR" 'whitelist source "ops" (trusted, file): 1 entries' "trusted source report"
# github.io is refused: evil.github.io stays blockable.
assert_contains "$ERR" "refusing entry \"github.io\"" "public suffix warning"

# Network B now lists cdn.shared.example too: seen on two networks.
printf 'GlobalRank,TldRank,Domain,TLD\n1,1,shared.example,example\n2,2,cdn.shared.example,example\n' >network-b.csv
# 2. 304: the server is asked conditionally and the kept copy is used.
publish 22
grep -q 'if-none-match="' <<<"$(tail -n 1 server/requests.log)" || fail "the second download was not conditional"
assert_contains "$ERR" "unchanged since the last download (304)" "304 reported"
expect_feed "evil.github.io only-a.example only-b.example" "feed once two networks list cdn.shared.example"
assert_eq 'indicator,type,whitelist_entry,rule,malicious_votes,non_malicious_votes,last_vote_at
ops-allowed.example,domain,ops-allowed.example,trusted: ops,2,0,2026-11-27T20:00:00Z
www.cdn.shared.example,domain,cdn.shared.example,"observed by network-a, network-b (2 of min 2)",2,0,2026-11-27T20:00:00Z' \
  "$(cat feeds/excluded-domains.csv)" "excluded-domains.csv"
out=$("$CROWDFEED" explain www.cdn.shared.example)
assert_contains "$out" "whitelist:  entry cdn.shared.example, observed by network-a, network-b (2 of min 2)" "explain"
assert_contains "$out" "whitelist:  entry shared.example, observed by network-b (1 of min 2): not enough to exclude" "explain below the rule"
assert_contains "$out" "feed:       none (voted malicious, kept out by the whitelist)" "explain verdict"

# 3-6. A failed or implausible download never empties the whitelist: the
# last good copy keeps cdn.shared.example excluded, with a warning.
for mode in "status 500" "html" "stall 5" "list shrunk.csv"; do
  printf '1,filler1.example\n' >server/shrunk.csv  # 1 entry where there were 5
  echo "$mode" >server/mode
  publish 23
  assert_contains "$ERR" 'whitelist source "network-a"' "warning for $mode"
  assert_contains "$ERR" "using the last good copy" "fallback for $mode"
  expect_feed "evil.github.io only-a.example only-b.example" "feed after $mode"
done
assert_contains "$ERR" "more than the allowed 50% shrink" "shrink reason"

# 7. A good new list replaces the kept copy. Network B now lists only-a.example
# too; A's kept copy lists it, A's new list no longer does.
printf 'GlobalRank,TldRank,Domain,TLD\n1,1,shared.example,example\n2,2,cdn.shared.example,example\n3,3,only-a.example,example\n' >network-b.csv
printf '1,cdn.shared.example\n2,filler1.example\n3,filler2.example\n' >server/network-a-v2.csv
echo "list network-a-v2.csv" >server/mode
publish 23
assert_contains "$ERR" 'whitelist source "network-a" (observed, downloaded): 3 entries' "new list downloaded"
expect_feed "evil.github.io only-a.example only-b.example" "feed with the new list"

# whitelist build: the domains seen on at least two networks' lists.
printf 'shared.example\nonly-a.example\n' >net1.txt
printf '0.0.0.0 shared.example\n0.0.0.0 only-b.example\n' >net2.hosts
python3 -c 'import gzip,sys; sys.stdout.buffer.write(gzip.compress(b"1,shared.example\n2,only-c.example\n"))' >net3.csv.gz
"$CROWDFEED" whitelist build --min-networks 2 -o built.txt net1.txt net2.hosts net3.csv.gz
assert_eq "# crowdfeed whitelist: the 1 domains seen on at least 2 of 3 network lists
shared.example  # seen on 3 networks" "$(cat built.txt)" "whitelist build output"
run_status "$CROWDFEED" whitelist build --min-networks 4 net1.txt net2.hosts net3.csv.gz
assert_eq 2 "$STATUS" "--min-networks larger than the number of lists"
# Its output is itself a valid trusted source.
printf '[whitelist]\nfiles = ["built.txt"]\n' >built.toml
"$CROWDFEED" -c built.toml --database data/votes.db --feeds-dir built-feeds --state-dir built-state explain x.shared.example |
  grep -q "entry shared.example, trusted: built.txt" || fail "the built whitelist is not a usable trusted source"
echo ok
