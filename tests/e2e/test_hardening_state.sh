# Defects 9-12 of the hardening issue: damaged or hostile data must not
# break every later run. Quoted text is escaped (one line, valid UTF-8), a
# damaged state file is reported, set aside and rebuilt, values out of
# their range are refused, and credentials never reach a log or a state
# file, which only the service user can read.
source "$(dirname "$0")/lib.sh"

start_server list_server.py lists "list misp.json"
start_server fault_server.py uploads echo403

# A MISP warninglist served over HTTP, and a local list with a URL whose
# host is not UTF-8.
printf '{"name": "top", "type": "hostname", "list": ["good.example", "shared.example"]}\n' >lists/misp.json
printf 'ok.example\nhttp://\xff\xfe.example/x\n' >local-list.txt
cat >crowdfeed.toml <<TOML
[whitelist]
files = ["local-list.txt"]
[[whitelist.sources]]
name = "misp"
kind = "trusted"
location = "http://127.0.0.1:$(cat lists/port)/misp.json"
[[destinations]]
name = "mirror"
url = "file://$WORK/mirror"
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
"$CROWDFEED" -q import-votes "$SOURCE_DIR/deploy/sample-votes.csv"

# 9. Invalid UTF-8 in a list is escaped; the run report stays JSON.
run_status "$CROWDFEED" publish --at 2026-11-27T21:00:00Z
assert_eq 0 "$STATUS" "publish with invalid UTF-8 in a list: $ERR"
assert_contains "$ERR" 'ignoring entry "http://\xff\xfe.example/x"' "escaped entry"
python3 -c 'import json, sys; json.load(open("state/last-run.json"))' || fail "last-run.json is not JSON"
grep -q '"result": "published"' state/last-run.json || fail "the run did not publish"
# A newline in a vote argument cannot forge a log line.
run_status "$CROWDFEED" vote --malicious "$(printf 'a.example\ncrowdfeed: info: forged')" --voter v
assert_eq 2 "$STATUS" "exit code for a newline in a domain"
assert_eq 1 "$(printf '%s\n' "$ERR" | wc -l)" "lines of the error for a newline in a domain"

# 10. A downloaded MISP list with a type of the wrong JSON type falls back.
printf '{"name": "top", "type": 5, "list": ["good.example"]}\n' >lists/misp.json
run_status "$CROWDFEED" publish --at 2026-11-27T22:00:00Z
assert_eq 0 "$STATUS" "publish with a MISP list of the wrong shape: $ERR"
assert_contains "$ERR" "using the last good copy" "fallback to the last good copy"

# Damaged state files: each is reported, set aside and rebuilt.
printf '{"name": "top", "type": "hostname", "list": ["good.example", "shared.example"]}\n' >lists/misp.json
meta=$(ls state/whitelist/misp-*.json)
destination=$(ls state/destinations/mirror-*.json)
printf '{"url": {}, "files": []}' >"$destination"
printf '{' >state/by-hash.json
printf '{"url": "x", "etag": 5, "last_modified": "", "entries": 1, "downloaded_at": ""}' >"$meta"
rows=$(wc -l <feeds/archive/history.csv)
printf '2026-11-27T23:00:00Z,malicious-domains,1,1\nnot a row\n' >>feeds/archive/history.csv
python3 - <<'PY'
import json
report = json.load(open("state/last-run.json"))
report["totals"]["runs"] = 9223372036854775807
json.dump(report, open("state/last-run.json", "w"))
PY
run_status "$CROWDFEED" publish --at 2026-11-27T23:00:00Z
assert_eq 0 "$STATUS" "publish with damaged state files: $ERR"
for damaged in state/by-hash.json "$meta" "$destination"; do
  assert_contains "$ERR" "state file $WORK/$damaged is damaged" "$damaged reported"
  [ -f "$damaged.damaged" ] || fail "$damaged was not set aside"
  [ -f "$damaged" ] || fail "$damaged was not rebuilt"
done
assert_contains "$ERR" "history.csv:$((rows + 1)): skipping a damaged history row" "damaged history row"
assert_contains "$ERR" "history.csv:$((rows + 2)): skipping a damaged history row" "second damaged history row"
assert_contains "$ERR" "last-run.json: not a run report: runs is out of range" "damaged run report named"
grep -q '"runs": 1,$' state/last-run.json || fail "the run totals did not start again"
run_status "$CROWDFEED" publish --at 2026-11-28T00:00:00Z
assert_eq 0 "$STATUS" "the next run: $ERR"
[[ "$ERR" != *damaged* ]] || fail "the state was not rebuilt: $ERR"

# 11. A site's tally query with values out of range: refused, named.
sqlite3 site.db "CREATE TABLE t (d TEXT, m INTEGER, n INTEGER, at INTEGER);
  INSERT INTO t VALUES ('huge.example', 9223372036854775807, 0, 1795800000),
                       ('negative.example', 5, -3, 1795800000),
                       ('far-future.example', 5, 0, 393000000000),
                       ('real.example', 5, 0, 1795800000);"
printf '[votes]\ntally_database = "site.db"\ntally_query = "SELECT d, m, n, at FROM t"\n' >site.toml
run_status "$CROWDFEED" -c site.toml --feeds-dir site-feeds --state-dir site-state publish --at 2026-11-27T21:00:00Z
assert_eq 0 "$STATUS" "publish from a site's query: $ERR"
assert_eq "real.example" "$(domains_of site-feeds/malicious-domains.txt)" "only the sane row is listed"
for domain in huge negative; do
  assert_contains "$ERR" "skipping \"$domain.example\": the vote counts must be integers from 0 to" "$domain refused"
done
assert_contains "$ERR" 'skipping "far-future.example": last_vote_at is neither' "far future refused"

# status prints what last-run.json holds as printable single lines.
cp state/last-run.json last-run.kept
python3 - <<'PY'
import json
report = json.load(open("state/last-run.json"))
report["error"] = "x\u0000\n\u001b[31m"
report["warnings"] = ["w\nCROWDFEED OK forged"]
report["feeds"][0]["feed"] = "f\nCROWDFEED OK"
json.dump(report, open("state/last-run.json", "w"))
PY
run_status "$CROWDFEED" status --at 2026-11-28T00:30:00Z
[ "$(printf '%s\n' "$OUT" | grep -c '^CROWDFEED ')" -eq 1 ] || fail "status printed a forged status line: $OUT"
if printf '%s' "$OUT" | LC_ALL=C grep -q "$(printf '[\001-\010\013-\037]')"; then fail "status printed control bytes"; fi
assert_contains "$OUT" 'x\x00\n\x1b[31m' "the error, escaped"
mv last-run.kept state/last-run.json

# 12. Credentials: never in a URL, never stored, state files private.
printf '[[whitelist.sources]]\nname = "x"\nkind = "trusted"\nlocation = "https://user:pw@127.0.0.1/x"\n' >cred.toml
run_status "$CROWDFEED" -c cred.toml publish --dry-run
assert_eq 2 "$STATUS" "exit code for credentials in a whitelist URL"
assert_contains "$ERR" "a whitelist URL must not hold credentials" "credentials in a whitelist URL"
[[ "$ERR" != *pw@* ]] || fail "the password was echoed: $ERR"
cat >>crowdfeed.toml <<TOML
[upload]
max_attempts = 1
[[destinations]]
name = "echoing"
url = "http://127.0.0.1:$(cat uploads/port)/"
auth = "basic"
username_env = "UPLOAD_USER"
password_env = "UPLOAD_PASSWORD"
TOML
UPLOAD_USER=feeder UPLOAD_PASSWORD=hunter2hunter2 run_status "$CROWDFEED" publish --at 2026-11-28T01:00:00Z
assert_eq 1 "$STATUS" "exit code when the destination refuses"
assert_contains "$ERR" "HTTP 403 Forbidden. You sent Authorization: REDACTED" "the echoed header is redacted"
basic=$(printf 'feeder:hunter2hunter2' | base64)
for secret in hunter2hunter2 "$basic"; do
  if grep -rqF -- "$secret" state feeds; then fail "a credential was stored: $(grep -rlF -- "$secret" state feeds)"; fi
  [[ "$ERR" != *"$secret"* ]] || fail "a credential was logged"
done
for file in state/by-hash.json "$meta" state/destinations/*.json state/whitelist/*.list; do
  assert_eq 600 "$(stat -c %a "$file")" "mode of $file"
done
# The run report is for the service's group too (a monitoring user runs
# `crowdfeed status`); what it quotes is redacted, checked above.
assert_eq 640 "$(stat -c %a state/last-run.json)" "mode of state/last-run.json"
assert_eq 644 "$(stat -c %a feeds/malicious-domains.txt)" "mode of a feed file"
echo ok
