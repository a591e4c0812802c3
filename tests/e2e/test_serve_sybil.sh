# Sybil resistance through the policy: 1,000 voters added within
# policy.probation_days, and 1,000 anonymous voters (addresses behind a
# trusted proxy), all voting one domain malicious through the server, do
# not list it; once their probation is over they do, which shows it was the
# probation that kept it out. A trusted voter's vote weighs
# policy.trusted_weight toward the share but is one voter toward
# min_votes; a revoked voter's votes stop counting, and the next run sees
# the revocation although no vote changed. explain shows each vote and why.
source "$(dirname "$0")/lib.sh"

port=$(free_port)
cat >crowdfeed.toml <<TOML
[paths]
database = "votes.db"
state_dir = "state"
feeds_dir = "feeds"
[policy]
min_votes = 3
min_share = 0.75
probation_days = 7
trusted_weight = 5
[guards]
max_growth = 1000.0
[serve]
listen = "127.0.0.1:$port"
anonymous = true
trusted_proxies = ["127.0.0.1"]
address_rate = 100000.0
address_burst = 100000
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
# clock SECONDS: that Unix time as wall_clock takes it.
clock() { date -u -d "@$1" '+%Y-%m-%d %H:%M:%S'; }

# Six established voters, added 30 days ago, one of them trusted.
month_ago=$(clock "$(date -u -d '-30 days' +%s)")
for i in 1 2 3 4 5; do wall_clock "$month_ago" "$CROWDFEED" -q voters add "old$i" >"old$i.token"; done
wall_clock "$month_ago" "$CROWDFEED" -q voters add boss --role trusted >boss.token
# A thousand fresh ones.
for i in $(seq 1 1000); do "$CROWDFEED" -q voters add "sybil$i" >"sybil$i.token"; done
assert_eq 1006 "$(votes_sql votes.db "SELECT COUNT(*) FROM voters")" "the voters added"

start_serve "$port" server.log
trap 'kill $server 2>/dev/null || true; cleanup' EXIT
# vote_as TOKEN_FILE BODY: one JSON vote request with that voter's token.
vote_as() {
  curl -sf -H "Authorization: Bearer $(cat "$1")" -H 'Content-Type: application/json' \
    "http://127.0.0.1:$port/api/v1/votes" -d "$2" >/dev/null ||
    fail "the votes of $1 were refused: $2"
}
# The sybils, and a thousand anonymous addresses, vote target.example
# malicious over one keep-alive connection each.
python3 - "$port" <<'PY' || fail "the sybils' votes were refused"
import http.client, json, sys
port = int(sys.argv[1])
connection = http.client.HTTPConnection("127.0.0.1", port)
body = json.dumps({"value": "target.example", "vote": 0})
for i in range(1, 1001):
    token = open(f"sybil{i}.token").read().strip()
    connection.request("POST", "/api/v1/votes", body,
                       {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    answer = connection.getresponse()
    answer.read()
    assert answer.status == 200, (i, answer.status)
for i in range(1, 1001):
    connection.request("POST", "/api/v1/votes", body,
                       {"X-Forwarded-For": f"10.{i // 250}.{i % 250}.7", "Content-Type": "application/json"})
    answer = connection.getresponse()
    answer.read()
    assert answer.status == 200, (i, answer.status)
PY
# mixed.example: the trusted voter and two others say malicious, two say
# non-malicious: 3 voters weighing 7 against 2, 78 %, over min_share;
# counted one each it would be 60 %. lonely.example: the trusted voter
# alone, weighing 5 but one voter, under min_votes. revoked.example: three
# established voters, one of whom is revoked later.
vote_as boss.token '[{"value": "mixed.example", "vote": 0}, {"value": "lonely.example", "vote": 0}]'
vote_as old1.token '{"value": "revoked.example", "vote": 0}'
vote_as old2.token '[{"value": "mixed.example", "vote": 0}, {"value": "revoked.example", "vote": 0}]'
vote_as old3.token '[{"value": "mixed.example", "vote": 0}, {"value": "revoked.example", "vote": 0}]'
vote_as old4.token '{"value": "mixed.example", "vote": 1}'
vote_as old5.token '{"value": "mixed.example", "vote": 1}'
assert_eq 2000 "$(votes_sql votes.db "SELECT COUNT(*) FROM votes WHERE indicator = 'target.example'")" \
  "the sybils' votes, stored"
assert_eq 1000 "$(votes_sql votes.db "SELECT COUNT(*) FROM voters WHERE role = 'anonymous'")" \
  "the anonymous voters, recorded at their first vote"
api=$(curl -sf "http://127.0.0.1:$port/api/v1/indicators/target.example")
assert_eq "0 2000 null" "$(jq -r '"\(.votes.malicious) \(.votes.not_counted) \(.verdict)"' <<<"$api")" \
  "the API's view of target.example"

# The next hour: nothing the sybils voted counts.
next_hour=$(date -u -d '+1 hour' +%s)
later=$(clock "$next_hour")
wall_clock "$later" "$CROWDFEED" -q publish || fail "publish of the voted hour"
malicious=$(domains_of feeds/malicious-domains.txt | xargs)
assert_eq "mixed.example revoked.example" "$malicious" "the malicious feed with the sybils in probation"
explained=$(wall_clock "$later" "$CROWDFEED" explain target.example)
assert_contains "$explained" "0 malicious, 0 non-malicious; 2000 more not counted" "explain's count of target.example"
assert_contains "$explained" "malicious by \"anonymous:" "explain names an anonymous voter"
assert_contains "$explained" ": not counted: its voter is in probation until" "explain's reason for a sybil's vote"
assert_eq 20 "$(grep -c 'first seen at' <<<"$explained")" "the votes explain shows"
assert_contains "$explained" "and 1980 more votes: 0 counted, 1980 not" "explain's summary of the rest"
explained=$(wall_clock "$later" "$CROWDFEED" explain mixed.example)
assert_contains "$explained" "3 malicious votes weighing 7 of 9 (78%)" "explain of the trusted voter's weight"
assert_contains "$explained" "by \"boss\": counted 5 times: a trusted voter" "explain of the trusted voter's vote"
explained=$(wall_clock "$later" "$CROWDFEED" explain lonely.example)
assert_contains "$explained" "1 malicious votes weighing 5, fewer than min_votes 3" "a trusted voter alone"

# Revoking a voter: the next hour's run counts its votes no more, though no
# vote changed since the last run.
"$CROWDFEED" -q voters revoke old1
wall_clock "$(clock $((next_hour + 3600)))" "$CROWDFEED" -q publish || fail "publish after the revocation"
assert_eq "mixed.example" "$(domains_of feeds/malicious-domains.txt | xargs)" "the malicious feed after a revocation"
explained=$(wall_clock "$(clock $((next_hour + 3600)))" "$CROWDFEED" explain revoked.example)
assert_contains "$explained" "by \"old1\": not counted: its voter was revoked at" "explain of a revoked voter's vote"

# Eight days on, the probation is over: the thousand voters list the
# domain, and the run knows it changed though no vote did.
week_on=$((next_hour + 8 * 86400))
wall_clock "$(clock "$week_on")" "$CROWDFEED" -q publish || fail "publish after the probation"
assert_contains "$(domains_of feeds/malicious-domains.txt | xargs)" "target.example" \
  "the malicious feed once the probation is over"
echo ok
