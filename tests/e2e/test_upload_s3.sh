# Uploads to S3: the protocol flow against s3rver (an S3-compatible server
# from the npm registry), checked through botocore's S3 client (list, head,
# get); and the signatures themselves against botocore's SigV4 signer in a
# capture server, since s3rver does not check them.
source "$(dirname "$0")/lib.sh"

s3rver="$SOURCE_DIR/tests/s3/node_modules/.bin/s3rver"
[ -x "$s3rver" ] || fail "s3rver is needed (deploy/install-build-deps.sh --tests installs it)"
/usr/bin/python3 -c 'import botocore' || fail "python3-botocore is needed"

s3_port=$(free_port)
mkdir s3data capture
"$s3rver" -d s3data -a 127.0.0.1 -p "$s3_port" --configure-bucket feeds --silent >s3rver.log 2>&1 &
s3_pid=$!
/usr/bin/python3 "$SOURCE_DIR/tests/e2e/sigv4_capture.py" capture AKIDEXAMPLE 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' eu-central-1 &
capture_pid=$!
trap 'kill $s3_pid $capture_pid 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$s3_port") 2>/dev/null && [ -s capture/port ] && break; sleep 0.1; done

cat >crowdfeed.toml <<TOML
[[destinations]]
name = "s3rver"
url = "s3://feeds/public/crowdfeed"
region = "us-east-1"
endpoint = "http://127.0.0.1:$s3_port"
username_env = "S3RVER_KEY"
password_env = "S3RVER_SECRET"
[[destinations]]
name = "signature-check"
url = "s3://feeds/crowdfeed"
region = "eu-central-1"
endpoint = "http://127.0.0.1:$(cat capture/port)"
addressing = "path"
username_env = "CHECK_KEY"
password_env = "CHECK_SECRET"
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml S3RVER_KEY=S3RVER S3RVER_SECRET=S3RVER
export CHECK_KEY=AKIDEXAMPLE CHECK_SECRET='wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
"$CROWDFEED" -q import-votes "$SOURCE_DIR/deploy/sample-votes.csv"
add_oddly_named_file feeds
run_status "$CROWDFEED" publish --at 2026-11-27T21:00:00Z
assert_eq 0 "$STATUS" "publish to S3: $ERR"
files=$(files_under feeds | wc -l)
objects=$(files_under feeds | grep -c '^by-hash/')
assert_contains "$ERR" "destination \"s3rver\" is current: $files files uploaded" "s3rver upload"
assert_contains "$ERR" "destination \"signature-check\" is current: $files files uploaded" "signed uploads"
assert_eq "$files" "$(grep -c '^match PUT ' capture/signatures.log)" "PUT signatures that botocore reproduces"
assert_eq "$objects" "$(grep -c '^match HEAD ' capture/signatures.log)" "HEAD signatures that botocore reproduces"

# What arrived, read back through botocore's S3 client: every file, its
# type, cache lifetime and bytes.
/usr/bin/python3 "$SOURCE_DIR/tests/e2e/s3_objects.py" "$s3_port" --check-objects ||
  fail "the objects in s3rver differ from the published files"

# A wrong secret: botocore's signature differs, the store answers 403, which
# is not retried; the secret appears nowhere.
for voter in a b; do "$CROWDFEED" -q vote --malicious fresh.example --voter $voter --at 2026-11-27T21:30:00Z; done
: >capture/signatures.log
CHECK_SECRET=not-the-secret-42 run_status "$CROWDFEED" publish --at 2026-11-27T22:00:00Z
assert_eq 1 "$STATUS" "exit code with a wrong secret"
assert_contains "$ERR" 'destination "signature-check" is not current' "failure report"
assert_contains "$ERR" "HTTP 403" "the store's answer"
assert_contains "$ERR" 'destination "s3rver" is current' "the other destination"
[[ "$ERR" == *not-the-secret-42* ]] && fail "the secret appears in the output"
assert_eq "mismatch" "$(cut -d' ' -f1 capture/signatures.log | sort -u)" "signatures with a wrong secret"
assert_eq 1 "$(wc -l <capture/signatures.log)" "attempts after a 403"

# Three hours on, the by-hash objects only the 21:00 manifest listed are
# deleted, with signed DELETEs; s3rver no longer lists them.
: >capture/signatures.log
run_status "$CROWDFEED" publish --at 2026-11-28T00:00:00Z
assert_eq 0 "$STATUS" "the pruning run: $ERR"
grep -q '^match DELETE /feeds/crowdfeed/by-hash/SHA256/' capture/signatures.log ||
  fail "no signed DELETE reproduced by botocore: $(grep -v '^match' capture/signatures.log | head -n 3)"
grep -qv '^match ' capture/signatures.log && fail "a signature botocore does not reproduce: $(grep -v '^match ' capture/signatures.log | head -n 1)"
/usr/bin/python3 "$SOURCE_DIR/tests/e2e/s3_objects.py" "$s3_port" ||
  fail "s3rver does not hold exactly the local files after pruning"
echo ok
