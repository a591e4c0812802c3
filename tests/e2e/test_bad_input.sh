# Bad input of every kind gets a clear error naming the file, line or value,
# a non-zero exit, and loses nothing already stored or published.
source "$(dirname "$0")/lib.sh"

"$CROWDFEED" vote --malicious evil.example.com --voter a --at 2026-11-27T20:00:00Z
"$CROWDFEED" vote --malicious evil.example.com --voter b --at 2026-11-27T20:00:00Z
"$CROWDFEED" publish --at 2026-11-27T21:00:00Z
published=$(snapshot feeds)
stored=$(sqlite3 data/votes.db 'SELECT * FROM votes ORDER BY 1, 2' | sha256sum)
check_nothing_lost() {
  assert_eq "$published" "$(snapshot feeds)" "published feeds after: $1"
  assert_eq "$stored" "$(sqlite3 data/votes.db 'SELECT * FROM votes ORDER BY 1, 2' | sha256sum)" "stored votes after: $1"
}

# Every class of bad domain, through the vote command.
while IFS='|' read -r domain reason; do
  run_status "$CROWDFEED" vote --voter a --malicious -- "$domain"
  assert_eq 2 "$STATUS" "exit code for $domain"
  assert_contains "$ERR" "$reason" "error for $domain"
  [ "$(echo "$ERR" | wc -l)" -eq 1 ] || fail "the error for $domain is not one line: $ERR"
done <<'CASES'
192.0.2.1|is an IP address
https://www.example.com/login|is a URL; use its host part 'www.example.com'
*.example.com|wildcard
evil .example.com|contains a space
evil.example.com#x|contains '#'
evil.example.com/x|contains '/'
evil\example.com|contains '\'
"evil.example.com"|contains a double quote
a..example.com|has an empty label
localhost|has a single label
co.uk|is a public suffix
github.io|is a public suffix
-evil.example.com|hyphen
CASES
run_status "$CROWDFEED" vote --malicious "$(printf 'evil.example.com\nsecond.example.com')" --voter a
assert_contains "$ERR" 'indicator "evil.example.com\nsecond.example.com" contains the control character \x0a' "newline"
run_status "$CROWDFEED" vote --malicious "$(printf '%0.sa' $(seq 64)).example.com" --voter a
assert_contains "$ERR" "has a label of 64 characters" "long label"
check_nothing_lost "bad domains"

# A vote file with bad rows imports nothing and lists each one.
printf 'indicator,vote,voter,cast_at\nfine.example.com,malicious,c,2026-11-27T20:00:00Z\n192.0.2.1,0,c,1\nfine.example.com,maybe,c,1\n"unterminated,0,c,1\n' >bad.csv
run_status "$CROWDFEED" import-votes bad.csv
assert_eq 1 "$STATUS" "exit code for a bad vote file"
assert_contains "$ERR" "crowdfeed: error: bad.csv:3: indicator \"192.0.2.1\" is an IP address" "line 3"
assert_contains "$ERR" "crowdfeed: error: bad.csv:4: vote \"maybe\"" "line 4"
assert_contains "$ERR" "crowdfeed: error: bad.csv:5: malformed CSV" "line 5"
assert_contains "$ERR" "bad.csv: 3 invalid rows; nothing imported" "summary"
check_nothing_lost "a bad vote file"
printf '{"indicator": "x.example.com"\n' >bad.jsonl
run_status "$CROWDFEED" import-votes bad.jsonl
assert_eq 1 "$STATUS" "exit code for a bad JSON Lines file"
assert_contains "$ERR" "bad.jsonl:1: not a JSON object" "JSON Lines error"
run_status "$CROWDFEED" import-votes missing.csv
assert_eq 1 "$STATUS" "exit code for a missing vote file"
assert_contains "$ERR" "cannot read missing.csv" "missing vote file"
check_nothing_lost "bad JSON Lines"

# --skip-invalid imports the valid row and still lists the others.
run_status "$CROWDFEED" import-votes --skip-invalid bad.csv
assert_eq 0 "$STATUS" "exit code with --skip-invalid"
assert_contains "$ERR" "crowdfeed: warning: bad.csv:3:" "skipped row listed"
assert_eq 1 "$(sqlite3 data/votes.db "SELECT COUNT(*) FROM votes WHERE indicator = 'fine.example.com'")" "valid row imported"
stored=$(sqlite3 data/votes.db 'SELECT * FROM votes ORDER BY 1, 2' | sha256sum)

# Configuration errors: exit 2, naming the file, line and key.
printf '[policy]\nmin_votes = 2\nmin_vots = 3\n' >typo.toml
run_status "$CROWDFEED" -c typo.toml publish
assert_eq 2 "$STATUS" "exit code for an unknown key"
assert_eq "crowdfeed: error: typo.toml:3: unknown key 'policy.min_vots'" "$ERR" "unknown key"
printf '[policy]\nmin_share = "most"\n' >type.toml
run_status "$CROWDFEED" -c type.toml publish
assert_eq 2 "$STATUS" "exit code for a wrong type"
assert_eq "crowdfeed: error: type.toml:2: 'policy.min_share' must be a number" "$ERR" "wrong type"
run_status "$CROWDFEED" -c absent.toml publish
assert_eq 2 "$STATUS" "exit code for a missing configuration"
assert_contains "$ERR" "absent.toml" "missing configuration"
printf 'x = 1\n' >unreadable.toml
chmod 000 unreadable.toml
if [ "$(id -u)" -ne 0 ]; then  # root reads anything
  run_status "$CROWDFEED" -c unreadable.toml publish
  assert_eq 2 "$STATUS" "exit code for an unreadable configuration"
fi
run_status "$CROWDFEED" publish --at yesterday
assert_eq 2 "$STATUS" "exit code for a bad --at"
assert_contains "$ERR" '--at "yesterday" is neither ISO 8601 nor Unix seconds' "bad --at"
run_status "$CROWDFEED" publish --no-such-option
assert_eq 2 "$STATUS" "exit code for an unknown option"
printf '[whitelist]\nfiles = ["nowhere.txt"]\n[paths]\ndatabase = "data/votes.db"\nfeeds_dir = "feeds"\nstate_dir = "state"\n' >wl.toml
run_status "$CROWDFEED" -c wl.toml publish
assert_eq 1 "$STATUS" "exit code for a missing whitelist"
assert_contains "$ERR" "cannot read whitelist" "missing whitelist"
check_nothing_lost "configuration errors"

# A missing or corrupt database stops the run and publishes nothing.
run_status "$CROWDFEED" --database nowhere.db publish
assert_eq 1 "$STATUS" "exit code for a missing database"
assert_contains "$ERR" "votes database nowhere.db does not exist" "missing database"
[ ! -e nowhere.db ] || fail "publish created an empty database"
head -c 8192 /dev/urandom >corrupt.db
run_status "$CROWDFEED" --database corrupt.db publish
assert_eq 1 "$STATUS" "exit code for a corrupt database"
assert_contains "$ERR" "votes database corrupt.db: file is not a database" "corrupt database"
check_nothing_lost "database errors"
echo ok
