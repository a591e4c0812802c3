# Votes through the API cannot put a whitelisted domain or a canary into a
# feed, however many voters cast them: thirty voters vote a whitelisted
# domain, a canary (google.com) and a real threat malicious through the
# server; the next hour's run lists the threat only, and once the canary is
# no longer whitelisted the run refuses (exit 3) and leaves the feeds as
# they were.
source "$(dirname "$0")/lib.sh"

port=$(free_port)
printf 'popular.example\ngoogle.com\n' >whitelist.txt
cat >crowdfeed.toml <<TOML
[paths]
database = "votes.db"
state_dir = "state"
feeds_dir = "feeds"
[whitelist]
files = ["whitelist.txt"]
[serve]
listen = "127.0.0.1:$port"
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
for i in $(seq 1 30); do "$CROWDFEED" -q voters add "voter$i" >"token$i.txt"; done
start_serve "$port" server.log
trap 'kill $server 2>/dev/null || true; cleanup' EXIT
for i in $(seq 1 30); do
  curl -sf -H "Authorization: Bearer $(cat "token$i.txt")" -H 'Content-Type: application/json' \
    "http://127.0.0.1:$port/api/v1/votes" \
    -d '[{"value": "popular.example", "vote": 0}, {"value": "www.google.com", "vote": 0},
         {"value": "google.com", "vote": 0}, {"value": "evil-threat.example", "vote": 0}]' >/dev/null ||
    fail "voter$i's votes were refused"
done
kill -TERM $server
wait $server
assert_eq 120 "$(sqlite3 votes.db 'SELECT COUNT(*) FROM votes')" "the votes stored"

# The next hour counts them.
next_hour=$(date -u -d '+1 hour' '+%Y-%m-%d %H:05:00')
wall_clock "$next_hour" "$CROWDFEED" -q publish || fail "publish of the voted hour"
malicious=$(domains_of feeds/malicious-domains.txt)
assert_contains "$malicious" "evil-threat.example" "the voted threat"
[[ $malicious == *popular.example* || $malicious == *google.com* ]] && fail "a whitelisted domain was listed: $malicious"
published=$(snapshot feeds)

# Without the whitelist's cover, the canary guard refuses the run.
printf 'popular.example\n' >whitelist.txt
run_status wall_clock "$next_hour" "$CROWDFEED" publish
assert_eq 3 "$STATUS" "publish with a voted canary"
assert_contains "$ERR" "google.com" "the canary named"
assert_eq "$published" "$(snapshot feeds)" "the feeds after the refusal"
echo ok
