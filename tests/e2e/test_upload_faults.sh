# Uploads through failures: a server that answers 500, resets the
# connection or stalls past the timeout. The retries carry the run through;
# a file that keeps failing stops that destination before SHA256SUMS and
# manifest.json, leaves its previous manifest in place and consistent with
# the by-hash files it lists, and the next run completes it. A second,
# healthy destination is not held back. Superseded by-hash files are
# deleted once no manifest listed them for feeds.by_hash_keep_hours.
source "$(dirname "$0")/lib.sh"

mkdir server mirror
echo ok >server/mode
python3 "$SOURCE_DIR/tests/e2e/fault_server.py" server &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 50); do [ -s server/port ] && break; sleep 0.1; done
port=$(cat server/port)
# The domain feeds alone, in two formats: every file stalls once, so each
# costs a second of the test.
cat >crowdfeed.toml <<TOML
[[feeds.set]]
name = "malicious-domains"
type = "domain"
verdict = "malicious"
formats = ["txt", "rpz"]
[[feeds.set]]
name = "non-malicious-domains"
type = "domain"
verdict = "non-malicious"
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
files=$(files_under feeds | wc -l)
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
grep -m 1 -n ' manifest.json$' server/requests.log | cut -d: -f1 | { read -r first; [ "$first" -gt "$last_data" ]; } ||
  fail "manifest.json was attempted before every data file had arrived"

assert_by_hash_consistent server/store "after the first run"

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
# The plain list was replaced in place before the failure, so its own name no
# longer matches the old manifest; the by-hash files that manifest points to do.
grep -qx fresh-threat.example server/store/malicious-domains.txt || fail "the test needs a file replaced before the failure"
assert_by_hash_consistent server/store "the previous manifest after an interrupted run"

# 3. The next run completes it, without sending again what arrived.
echo ok >server/mode
: >server/requests.log
run_status "$CROWDFEED" publish --at 2026-11-27T22:00:00Z
assert_eq 0 "$STATUS" "catching up: $ERR"
diff -r feeds server/store >/dev/null || fail "the server did not catch up"
grep -q ' malicious-domains.txt$' server/requests.log && fail "a file that had arrived was sent again"
assert_eq "manifest.json" "$(grep -v '^HEAD ' server/requests.log | tail -n 1 | cut -d' ' -f2)" \
  "the last upload of the catch-up"
assert_by_hash_consistent server/store "after the catch-up"

# 4. Three hours on, the by-hash files only the 21:00 manifest listed go,
# here and on both destinations; those still listed stay.
old_object=$(python3 -c 'import json; print([f["by_hash"] for f in json.load(open("manifest-before.json"))["files"] if f["name"] == "malicious-domains.txt"][0])')
kept_object=$(python3 -c 'import json; print([f["by_hash"] for f in json.load(open("manifest-before.json"))["files"] if f["name"] == "non-malicious-domains.txt"][0])')
run_status "$CROWDFEED" publish --at 2026-11-27T23:00:00Z
[ -f "server/store/$old_object" ] || fail "a by-hash file was deleted 2 hours after it was last listed"
: >server/requests.log
run_status "$CROWDFEED" publish --at 2026-11-28T00:00:00Z
assert_eq 0 "$STATUS" "the pruning run: $ERR"
for dir in feeds server/store mirror; do
  [ -e "$dir/$old_object" ] && fail "$dir still holds $old_object, listed last at 21:00"
  [ -f "$dir/$kept_object" ] || fail "$dir lost $kept_object, which the manifest still lists"
done
grep -qx "DELETE $old_object" server/requests.log || fail "no DELETE of the superseded file"
diff -r feeds server/store >/dev/null || fail "the server and the feeds differ after pruning"
diff -r feeds mirror >/dev/null || fail "the mirror and the feeds differ after pruning"
echo ok
