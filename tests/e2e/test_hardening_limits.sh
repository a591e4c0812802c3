# Defects 6-8 of the hardening issue: downloads, decompressed lists, uploads
# and vote files are bounded. A compressed bomb from a whitelist server is
# an ordinary download failure that falls back to the last good copy; a
# local one is refused with its name; upload.max_seconds bounds a
# destination even when every request is slow; an endless vote line is
# reported by its start only; a UTF-8 byte-order mark is accepted.
source "$(dirname "$0")/lib.sh"

start_server list_server.py lists "list top.txt"
start_server fault_server.py uploads ok
printf 'good.example\nshared.example\n' >lists/top.txt
cat >crowdfeed.toml <<TOML
[whitelist]
max_download_bytes = 1048576
max_list_bytes = 2097152
[[whitelist.sources]]
name = "network"
kind = "trusted"
location = "http://127.0.0.1:$(cat lists/port)/top.txt"
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
"$CROWDFEED" -q import-votes "$SOURCE_DIR/deploy/sample-votes.csv"
"$CROWDFEED" -q publish --at 2026-11-27T21:00:00Z

# 6. 200 MiB decoded from a few hundred KiB, without a Content-Length: cut
# at max_download_bytes, and the last good copy stands in.
echo "bomb 200" >lists/mode
run_status "$CROWDFEED" publish --at 2026-11-27T22:00:00Z
assert_eq 0 "$STATUS" "publish while the list server sends a bomb: $ERR"
assert_contains "$ERR" "larger than whitelist.max_download_bytes (1048576 bytes); using the last good copy" "bomb refused"
grep -q '"result": "published"' state/last-run.json || fail "the run did not publish"

# A local compressed list that decompresses past max_list_bytes.
python3 -c 'import gzip, sys; sys.stdout.buffer.write(gzip.compress(b"a.example\n" * 5000000, 1))' >bomb.txt.gz
printf '[whitelist]\nmax_list_bytes = 2097152\nfiles = ["bomb.txt.gz"]\n' >local.toml
run_status "$CROWDFEED" -c local.toml publish --dry-run --at 2026-11-27T22:00:00Z
assert_eq 1 "$STATUS" "exit code for a local bomb"
assert_contains "$ERR" "bomb.txt.gz: the gzip data decompresses to more than 2097152 bytes (whitelist.max_list_bytes)" "local bomb"

# 7. A destination whose every answer takes 30 s: upload.max_seconds = 2
# stops it, although one request may take up to timeout_seconds = 60.
echo "slow 30" >uploads/mode
cat >>crowdfeed.toml <<TOML
[upload]
max_seconds = 2
timeout_seconds = 60
max_attempts = 1
[[destinations]]
name = "slow"
url = "http://127.0.0.1:$(cat uploads/port)/"
TOML
echo "list top.txt" >lists/mode
run_status "$CROWDFEED" publish --at 2026-11-27T23:00:00Z
assert_eq 1 "$STATUS" "exit code when a destination runs out of time"
assert_contains "$ERR" "destination \"slow\" is not current (0 files uploaded" "out of time reported"
assert_contains "$ERR" "Operation timed out after" "the request was cut at the deadline"
[ "$(grep -c . uploads/requests.log)" -eq 1 ] || fail "more requests after the deadline: $(cat uploads/requests.log)"

# 8. A vote file with a 20 MB line: one short error, nothing imported.
{
  echo "indicator,vote,voter,cast_at"
  echo "fine.example.com,malicious,v,2026-11-27T20:00:00Z"
  head -c 20000000 /dev/zero | tr '\0' 'x'
  echo
} >huge-line.csv
stored=$(sqlite3 data/votes.db 'SELECT COUNT(*) FROM votes')
run_status "$CROWDFEED" import-votes huge-line.csv
assert_eq 1 "$STATUS" "exit code for a huge line"
assert_contains "$ERR" "huge-line.csv:3: the line is longer than 16384 bytes; it starts \"xxxxx" "huge line"
[ "${#ERR}" -lt 2000 ] || fail "the error echoes ${#ERR} bytes"
assert_eq "$stored" "$(sqlite3 data/votes.db 'SELECT COUNT(*) FROM votes')" "votes after a huge line"

# A byte-order mark before the header, as spreadsheet programs write it.
printf '\xef\xbb\xbfindicator,vote,voter,cast_at\r\nbom.example.com,malicious,v,2026-11-27T20:00:00Z\r\n' >bom.csv
run_status "$CROWDFEED" import-votes bom.csv
assert_eq 0 "$STATUS" "import of a file with a byte-order mark: $ERR"
assert_eq 1 "$(sqlite3 data/votes.db "SELECT COUNT(*) FROM votes WHERE indicator = 'bom.example.com'")" "BOM row"
printf '\xef\xbb\xbf{"indicator": "bom2.example.com", "vote": 0, "voter": "v", "cast_at": 1795816800}\n' >bom.jsonl
run_status "$CROWDFEED" import-votes bom.jsonl
assert_eq 0 "$STATUS" "import of JSON Lines with a byte-order mark: $ERR"
echo ok
