# The indicator pages and the hourly feeds agree: on a generated database
# (domains, addresses and hashes, some whitelisted), for 1,000 indicators
# drawn at random, each page's JSON twin says the indicator is listed in
# exactly the feeds that list it, or why not (the whitelist's rule as
# excluded-domains.csv gives it), and for 100 of them the policy's reason
# is the one crowdfeed explain prints (see page_agreement.py).
source "$(dirname "$0")/lib.sh"

"$GEN_VOTES" --votes 30000 --domains 3000 --typed 0.3 --whitelisted 0.05 --csv votes.csv --whitelist whitelist.txt
port=$(free_port)
cat >crowdfeed.toml <<TOML
[paths]
database = "votes.db"
state_dir = "state"
feeds_dir = "feeds"
[policy]
max_age_days = 365
[whitelist]
files = ["whitelist.txt"]
[serve]
listen = "127.0.0.1:$port"
# One client asks for a thousand pages.
address_rate = 100000
address_burst = 100000
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
"$CROWDFEED" -q import-votes --skip-invalid votes.csv
"$CROWDFEED" publish 2>publish.log || fail "publish: $(tail -n 3 publish.log)"
start_serve "$port" serve.log
trap 'kill $server 2>/dev/null || true; cleanup' EXIT
run_status python3 "$SOURCE_DIR/tests/e2e/page_agreement.py" "http://127.0.0.1:$port" feeds votes.db 1000 7 "$CROWDFEED" 100
[ "$STATUS" -eq 0 ] || fail "the pages and the feeds disagree: $ERR"
echo "$OUT"
echo ok
