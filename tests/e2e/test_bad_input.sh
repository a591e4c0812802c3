# Bad input of every kind gets a clear error naming the file, line or value,
# a non-zero exit, and loses nothing already stored or published.
source "$(dirname "$0")/lib.sh"

"$CROWDFEED" vote --malicious evil.example.com --voter a --at 2026-11-27T20:00:00Z
"$CROWDFEED" vote --malicious evil.example.com --voter b --at 2026-11-27T20:00:00Z
"$CROWDFEED" publish --at 2026-11-27T21:00:00Z
published=$(snapshot feeds)
stored=$(votes_sql data/votes.db 'SELECT * FROM votes ORDER BY 1, 2' | sha256sum)
check_nothing_lost() {
  assert_eq "$published" "$(snapshot feeds)" "published feeds after: $1"
  assert_eq "$stored" "$(votes_sql data/votes.db 'SELECT * FROM votes ORDER BY 1, 2' | sha256sum)" "stored votes after: $1"
}

# Every class of bad indicator, through the vote command and through
# import-votes (detected, or forced with --type as the third field).
while IFS='|' read -r value reason type; do
  type_option=()
  [ -z "$type" ] || type_option=(--type "$type")
  run_status "$CROWDFEED" vote --voter a --malicious "${type_option[@]}" -- "$value"
  assert_eq 2 "$STATUS" "exit code for $value"
  assert_contains "$ERR" "$reason" "error for $value"
  [ "$(echo "$ERR" | wc -l)" -eq 1 ] || fail "the error for $value is not one line: $ERR"
  printf 'indicator,vote,voter,cast_at\n"%s",0,a,2026-11-27T20:00:00Z\n' "${value//\"/\"\"}" >one.csv
  run_status "$CROWDFEED" import-votes "${type_option[@]}" one.csv
  assert_eq 1 "$STATUS" "import-votes exit code for $value"
  assert_contains "$(head -1 <<<"$ERR")" "crowdfeed: error: one.csv:2: indicator " "import-votes error for $value"
  assert_contains "$(head -1 <<<"$ERR")" "$reason" "import-votes error for $value"
done <<'CASES'
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
1.0.0.0.0.rpz-ip|a label response-policy zones reserve for their triggers
ns1.example.com.rpz-nsdname|a label response-policy zones reserve for their triggers
-evil.example.com|hyphen
1.2.3.4|is an IP address|domain
0.0.0.0|unspecified
127.0.0.1|loopback
10.1.2.3|private
172.16.0.1|private
192.168.1.1|private
100.64.0.1|shared
169.254.1.1|link-local
224.0.0.1|multicast
255.255.255.255|broadcast
192.0.2.1|documentation
198.51.100.7|documentation
203.0.113.9|documentation
198.18.0.1|benchmarking
240.0.0.1|reserved
010.0.0.1|leading zero, which some parsers read as octal
0x7f.0.0.1|hexadecimal IPv4 form
127.1|shortened IPv4 form|ipv4
1.2.3|shortened IPv4 form|ipv4
::|unspecified
::1|loopback
fe80::1|link-local
fc00::1|unique-local
fd12:3456::1|unique-local
ff02::1|multicast
2001:db8::1|documentation
::ffff:8.8.8.8|IPv4-mapped IPv6 address; vote on the IPv4 address 8.8.8.8
fe80::1%eth0|zone index
::1.2.3.4|deprecated IPv4-compatible address (::/96); vote on the IPv4 address 1.2.3.4
64:ff9b::8.8.8.8|NAT64 address (64:ff9b::/96); vote on the IPv4 address 8.8.8.8
64:ff9b:1::1|local-use IPv4/IPv6 translation
2002:a00:1::1|6to4 address (2002::/16, deprecated); vote on the IPv4 address 10.0.0.1
100::1|discard-only
2001:2::1|benchmarking (2001:2::/48)
2001:10::1|IETF protocol assignment
3fff::1|documentation (3fff::/20)
fec0::1|site-local
5f00::1|segment routing
0xd41d8cd98f00b204e9800998ecf8427f|starts with '0x'
1.2.3.4.|not an IPv4 address|ipv4
2001:4860:4860::8888%eth0|zone index
2001:4860:::8888|not an IPv6 address|ipv6
d41d8cd98f00b204e9800998ecf8427e|empty file
da39a3ee5e6b4b0d3255bfef95601890afd80709|empty file
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855|empty file
00000000000000000000000000000000|all zeros
0123456789abcdef0123456789abcdeg|is not hexadecimal|md5
0123456789abcdef0123456789abcdef01|has 34 characters|sha1
0123456789abcdef0123456789abcdef|which makes it an MD5 hash, not a SHA-256|sha256
8.8.8.8|is not an IPv6 address (it looks like ipv4)|ipv6
2001:4860:4860::8888|is not an IPv4 address|ipv4
example.com|is not an IPv4 address|ipv4
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
assert_contains "$ERR" "crowdfeed: error: bad.csv:3: indicator \"192.0.2.1\" is documentation" "line 3"
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
assert_eq 1 "$(votes_sql data/votes.db "SELECT COUNT(*) FROM votes WHERE indicator = 'fine.example.com'")" "valid row imported"
stored=$(votes_sql data/votes.db 'SELECT * FROM votes ORDER BY 1, 2' | sha256sum)

# Configuration errors: exit 2, naming the file, line and key.
printf '[policy]\nmin_votes = 2\nmin_vots = 3\n' >typo.toml
run_status "$CROWDFEED" -c typo.toml publish
assert_eq 2 "$STATUS" "exit code for an unknown key"
assert_eq "crowdfeed: error: typo.toml:3: unknown key 'policy.min_vots'; did you mean 'min_votes'?" "$ERR" "unknown key"
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
if [ "$BACKEND" = sqlite ]; then
  run_status "$CROWDFEED" --database nowhere.db publish
  assert_eq 1 "$STATUS" "exit code for a missing database"
  assert_contains "$ERR" "votes database nowhere.db does not exist" "missing database"
  [ ! -e nowhere.db ] || fail "publish created an empty database"
  head -c 8192 /dev/urandom >corrupt.db
  run_status "$CROWDFEED" --database corrupt.db publish
  assert_eq 1 "$STATUS" "exit code for a corrupt database"
  assert_contains "$ERR" "votes database corrupt.db: file is not a database" "corrupt database"
else
  run_status "$CROWDFEED" --store postgresql:dbname=nowhere publish
  assert_eq 1 "$STATUS" "exit code for a missing database"
  assert_contains "$ERR" 'cannot connect to the votes database on PostgreSQL' "missing database"
  assert_contains "$ERR" 'database "nowhere" does not exist' "missing database named"
  pg_sql 'CREATE DATABASE empty' >/dev/null
  run_status "$CROWDFEED" --store postgresql:dbname=empty publish
  assert_eq 1 "$STATUS" "exit code for a database without votes"
  assert_contains "$ERR" "holds no crowdfeed votes yet" "a database without votes"
  run_status "$CROWDFEED" --store "postgresql:postgresql://crowdfeed:s3cr3t@localhost/crowdfeed" publish
  assert_eq 2 "$STATUS" "exit code for a password in the connection string"
  assert_contains "$ERR" "holds a secret (password): give a password in PGPASSWORD or a .pgpass file" \
    "a password in the connection string"
  [[ $ERR == *s3cr3t* ]] && fail "the password was printed: $ERR"
  # Every setting libpq treats as a secret, not only the password.
  for url in "postgresql://localhost/crowdfeed?sslpassword=s3cr3t" "host=localhost sslpassword=s3cr3t dbname=x"; do
    run_status "$CROWDFEED" --store "postgresql:$url" publish
    assert_eq 2 "$STATUS" "exit code for $url"
    assert_contains "$ERR" "holds a secret (sslpassword)" "a key's passphrase in the connection string"
    [[ $ERR == *s3cr3t* ]] && fail "the passphrase was printed: $ERR"
  done
fi
check_nothing_lost "database errors"
echo ok
