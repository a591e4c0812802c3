# Uploads to a real WebDAV server: Debian's nginx with dav_methods PUT
# DELETE and basic authentication, started on a loopback port.
source "$(dirname "$0")/lib.sh"

printf 'uploader:%s\n' "$(openssl passwd -apr1 's3cret-pass')" >htpasswd
port=$(free_port)
start_webdav_nginx "$port" "auth_basic 'crowdfeed uploads';
      auth_basic_user_file $WORK/htpasswd;"

cat >crowdfeed.toml <<TOML
[upload]
base_delay_ms = 10
max_delay_ms = 50
[[destinations]]
name = "webdav"
url = "http://127.0.0.1:$port/feeds/"
auth = "basic"
username_env = "DAV_USER"
password_env = "DAV_PASSWORD"
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml DAV_USER=uploader DAV_PASSWORD=s3cret-pass
"$CROWDFEED" -q import-votes "$SOURCE_DIR/deploy/sample-votes.csv"
add_oddly_named_file feeds
run_status "$CROWDFEED" publish --at 2026-11-27T21:00:00Z
assert_eq 0 "$STATUS" "publish with an upload: $ERR"
files=$(files_under feeds | wc -l)
assert_contains "$ERR" "destination \"webdav\" is current: $files files uploaded" "upload report"
diff -r feeds www/feeds >/dev/null || fail "the server does not hold exactly the published files"
(cd www/feeds && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match the uploaded files"
# Order: every data file before SHA256SUMS, SHA256SUMS before manifest.json.
grep -o 'PUT /feeds/[^ ]*' nginx-access.log | sed 's|PUT /feeds/||' >order.txt
assert_eq "SHA256SUMS
manifest.json" "$(tail -n 2 order.txt)" "the last two uploads"
assert_eq "$files" "$(wc -l <order.txt)" "uploads in the first run"
assert_by_hash_consistent www/feeds "the server"

# The next run sends only what changed.
"$CROWDFEED" -q vote --malicious new-threat.example --voter a --at 2026-11-27T21:30:00Z
"$CROWDFEED" -q vote --malicious new-threat.example --voter b --at 2026-11-27T21:30:00Z
: >nginx-access.log
run_status "$CROWDFEED" publish --at 2026-11-27T22:00:00Z
assert_eq 0 "$STATUS" "second publish"
diff -r feeds www/feeds >/dev/null || fail "the server is not current after the second run"
uploaded=$(grep -c 'PUT /feeds/' nginx-access.log)
[ "$uploaded" -lt "$files" ] || fail "the second run uploaded all $uploaded files again"
grep -q 'PUT /feeds/non-malicious-domains.txt ' nginx-access.log && fail "an unchanged file was uploaded again"

# A wrong password: 401 is not retried, nothing is replaced, no secret leaks.
cp www/feeds/manifest.json manifest-before.json
"$CROWDFEED" -q vote --malicious another-threat.example --voter a --at 2026-11-27T22:30:00Z
"$CROWDFEED" -q vote --malicious another-threat.example --voter b --at 2026-11-27T22:30:00Z
: >nginx-access.log
DAV_PASSWORD=wrong-pass-123 run_status "$CROWDFEED" publish --at 2026-11-27T23:00:00Z
assert_eq 1 "$STATUS" "exit code with a wrong password"
assert_contains "$ERR" 'destination "webdav" is not current' "failure report"
assert_contains "$ERR" "HTTP 401" "the server's answer"
[[ "$ERR" == *wrong-pass-123* ]] && fail "the password appears in the output"
assert_eq 1 "$(grep -cE '(PUT|HEAD|DELETE) /feeds/' nginx-access.log)" "requests after a 401"
cmp -s manifest-before.json www/feeds/manifest.json || fail "the manifest was replaced although a data file failed"
assert_by_hash_consistent www/feeds "the previous manifest after a failed run"
# The next good run catches up.
run_status "$CROWDFEED" publish --at 2026-11-27T23:00:00Z
assert_eq 0 "$STATUS" "catching up"
diff -r feeds www/feeds >/dev/null || fail "the server did not catch up"

# Credentials: a file readable by others is refused; one that is not works.
printf '[webdav]\nusername = "uploader"\npassword = "s3cret-pass"\n' >credentials.toml
chmod 644 credentials.toml
sed -i 's/^\[upload\]$/[upload]\ncredentials_file = "credentials.toml"/' crowdfeed.toml
env -u DAV_USER -u DAV_PASSWORD "$CROWDFEED" -q publish --at 2026-11-27T23:00:00Z 2>err.txt && fail "a world-readable credentials file was accepted"
assert_contains "$(cat err.txt)" "is readable by others" "credentials file mode"
chmod 600 credentials.toml
: >nginx-access.log
"$CROWDFEED" -q vote --malicious third-threat.example --voter a --at 2026-11-27T23:30:00Z
"$CROWDFEED" -q vote --malicious third-threat.example --voter b --at 2026-11-27T23:30:00Z
env -u DAV_USER -u DAV_PASSWORD "$CROWDFEED" -q publish --at 2026-11-28T00:00:00Z || fail "upload with the credentials file"
grep -q 'PUT /feeds/malicious-domains.txt ' nginx-access.log || fail "nothing was uploaded with the credentials file"
diff -r feeds www/feeds >/dev/null || fail "the server is not current after the credentials-file run"
# Files only the 21:00 manifest listed are deleted three hours on (DELETE).
grep -q 'DELETE /feeds/by-hash/SHA256/' nginx-access.log || fail "no superseded by-hash file was deleted"
assert_by_hash_consistent www/feeds "after pruning"
echo ok
