# Uploads through failures: a server that answers 500, resets the
# connection or stalls past the timeout. The retries carry the run through;
# a file that keeps failing stops that destination before SHA256SUMS and
# manifest.json, leaves its previous manifest in place, and the next run
# completes it. A second, healthy destination is not held back.
source "$(dirname "$0")/lib.sh"

mkdir server mirror
echo ok >server/mode
python3 "$SOURCE_DIR/tests/e2e/fault_server.py" server &
server_pid=$!
trap 'kill $server_pid 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s server/port ] && break; sleep 0.1; done
port=$(cat server/port)
cat >crowdfeed.toml <<TOML
[feeds]
formats = ["txt", "rpz"]
[upload]
max_attempts = 4
base_delay_ms = 20
max_delay_ms = 100
timeout_seconds = 1
[[destinations]]
name = "faulty"
url = "http://127.0.0.1:$port/"
[[destinations]]
name = "mirror"
url = "file://$WORK/mirror"
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
"$CROWDFEED" -q import-votes "$SOURCE_DIR/deploy/sample-votes.csv"

# 1. Every file fails three ways before it succeeds: 500, reset, stall.
echo flaky >server/mode
run_status "$CROWDFEED" publish --at 2026-11-27T21:00:00Z
assert_eq 0 "$STATUS" "publish through a flaky server: $ERR"
files=$(ls feeds | wc -l)
assert_contains "$ERR" "destination \"faulty\" is current: $files files uploaded, 0 unchanged, $((3 * files)) retries" "retries"
for outcome in 500 reset stall; do
  [ "$(grep -c "^$outcome " server/requests.log)" -eq "$files" ] || fail "expected $files requests answered $outcome"
done
diff -r feeds server/store >/dev/null || fail "the flaky server does not hold the published files"
# The manifest's one successful PUT comes after every other file's.
last_data=$(grep -n '^201 ' server/requests.log | grep -vE ' (SHA256SUMS|manifest.json)$' | tail -n 1 | cut -d: -f1)
sums=$(grep -n '^201 SHA256SUMS$' server/requests.log | cut -d: -f1)
manifest=$(grep -n '^201 manifest.json$' server/requests.log | cut -d: -f1)
[ "$last_data" -lt "$sums" ] && [ "$sums" -lt "$manifest" ] || fail "upload order: data $last_data, sums $sums, manifest $manifest"
grep -n 'manifest.json' server/requests.log | head -n 1 | cut -d: -f1 | { read -r first; [ "$first" -gt "$last_data" ]; } ||
  fail "manifest.json was attempted before every data file had arrived"

# 2. A file that keeps failing: this destination stops before the manifest;
# the mirror is not held back.
cp server/store/manifest.json manifest-before.json
for voter in a b; do "$CROWDFEED" -q vote --malicious fresh-threat.example --voter $voter --at 2026-11-27T21:30:00Z; done
echo "fail malicious-domains.rpz" >server/mode
: >server/requests.log
run_status "$CROWDFEED" publish --at 2026-11-27T22:00:00Z
assert_eq 1 "$STATUS" "exit code when a destination fails"
assert_contains "$ERR" 'destination "faulty" is not current' "failure reported"
assert_contains "$ERR" "malicious-domains.rpz: HTTP 500" "the failing file and status"
assert_contains "$ERR" "after 4 attempts" "bounded attempts"
assert_contains "$ERR" 'destination "mirror" is current' "the healthy destination"
diff -r feeds mirror >/dev/null || fail "the mirror is not current"
grep -qE ' (SHA256SUMS|manifest.json)$' server/requests.log && fail "SHA256SUMS or the manifest was sent after a failure"
cmp -s manifest-before.json server/store/manifest.json || fail "the previous manifest was replaced"

# 3. The next run completes it, without sending again what arrived.
echo ok >server/mode
: >server/requests.log
run_status "$CROWDFEED" publish --at 2026-11-27T22:00:00Z
assert_eq 0 "$STATUS" "catching up: $ERR"
diff -r feeds server/store >/dev/null || fail "the server did not catch up"
grep -q ' malicious-domains.txt$' server/requests.log && fail "a file that had arrived was sent again"
assert_eq "manifest.json" "$(tail -n 1 server/requests.log | cut -d' ' -f2)" "the last upload of the catch-up"
echo ok
