# What a new operator and a monitoring system meet first: the command line,
# the status check's exit codes, log priorities, stages at -v, progress only
# on a terminal, capped bad-row reports, explain of a subdomain, and the
# headers list tools parse (each numbered defect of the packaging issue's
# trial has a check here; the package itself is test_debian_package.sh).
source "$(dirname "$0")/lib.sh"

"$CROWDFEED" -q import-votes "$SOURCE_DIR/deploy/sample-votes.csv"

# --- The command line -------------------------------------------------------
# Global options after the subcommand.
run_status "$CROWDFEED" publish -v --at 2026-11-28T06:00:00Z
assert_eq 0 "$STATUS" "publish -v: $ERR"
# -v shows each stage with its duration.
for stage in "fetch the whitelist sources" "read the tallies and decide" "write the feeds" "archive the hour"; do
  # A here-string, not a pipe: grep -q stops reading at the first match,
  # and under pipefail the writer's SIGPIPE would fail the check.
  grep -Eq "^crowdfeed: debug: stage: $stage: done in [0-9]+\.[0-9]{3} s" <<<"$ERR" ||
    fail "-v does not show the stage '$stage' with its time: $ERR"
done
run_status "$CROWDFEED" status --state-dir state -q --at 2026-11-28T06:30:00Z
assert_eq 0 "$STATUS" "global options after status: $OUT"

# A misspelt subcommand: a suggestion and the list, exit 2.
run_status "$CROWDFEED" publsh
assert_eq 2 "$STATUS" "misspelt subcommand"
assert_contains "$ERR" "unknown command \"publsh\"; did you mean 'publish'?" "misspelt subcommand"
assert_contains "$ERR" "commands: publish, vote, import-votes, explain, whitelist, status, check" "command list"
run_status "$CROWDFEED" -c nowhere.toml
assert_contains "$ERR" "a command is required (commands: publish," "no subcommand"
# A flag takes no value; an option's value is not a command.
run_status "$CROWDFEED" -v --database x.db -q publsh
assert_contains "$ERR" "unknown command \"publsh\"; did you mean 'publish'?" "a misspelt command after options"
run_status "$CROWDFEED" whitelist
assert_contains "$ERR" "crowdfeed whitelist needs a command: build" "a command that groups others"
run_status "$CROWDFEED" whitelist buld
assert_contains "$ERR" "unknown command \"whitelist buld\"; did you mean 'build'?" "a misspelt command in a group"
# A forgotten value: the next option is not taken as the folder.
run_status "$CROWDFEED" publish --feeds-dir --dry-run
assert_eq 2 "$STATUS" "--feeds-dir without its value"
assert_contains "$ERR" "\"--dry-run\" looks like an option, not a value" "--feeds-dir without its value"
[ ! -e ./--dry-run ] || fail "a folder named --dry-run was published into"

# A misspelt configuration key: did you mean, with file and line.
printf '[policy]\nmin_votes = 2\nmin_vote = 3\n' >typo.toml
run_status "$CROWDFEED" -c typo.toml publish
assert_eq 2 "$STATUS" "misspelt key"
assert_contains "$ERR" "typo.toml:3: unknown key 'policy.min_vote'; did you mean 'min_votes'?" "misspelt key"
# A format named after the program that reads it: the right name, and all valid ones.
printf '[feeds]\nformats = ["txt", "bind"]\n' >bind.toml
run_status "$CROWDFEED" -c bind.toml publish
assert_eq 2 "$STATUS" "unknown format"
assert_contains "$ERR" "unknown format \"bind\"; bind reads the 'rpz' format (known: txt, hosts, adblock, rpz," "format"
printf '[feeds]\nformats = ["txt", "adblok"]\n' >typo-format.toml
run_status "$CROWDFEED" -c typo-format.toml publish
assert_contains "$ERR" "unknown format \"adblok\"; did you mean 'adblock'?" "misspelt format"
printf '[feeds]\nupdate_interval = "hourly"\n' >expires.toml
run_status "$CROWDFEED" -c expires.toml publish
assert_eq 2 "$STATUS" "an Expires list tools cannot read"
assert_contains "$ERR" 'like "1 hour" or "2 days"' "update_interval"

# --version: the version and the build's details.
run_status "$CROWDFEED" --version
assert_eq 0 "$STATUS" "--version"
assert_contains "$OUT" "crowdfeed " "--version"
for part in "commit: " "built with: " "SQLite " "libcurl " "ICU " "public suffix list: " "libpsl " "zlib "; do
  assert_contains "$OUT" "$part" "--version names $part"
done

# Bad rows: the first 20 and a count; --all-errors shows every one.
{
  echo "indicator,vote,voter,cast_at"
  for n in $(seq 500); do echo "bad domain $n,malicious,v,2026-11-28T00:00:00Z"; done
} >bad.csv
run_status "$CROWDFEED" import-votes bad.csv
assert_eq 1 "$STATUS" "import of bad rows"
assert_eq 20 "$(printf '%s\n' "$ERR" | grep -c '^crowdfeed: error: bad.csv:[0-9]*: ')" "bad rows reported one by one"
assert_contains "$ERR" "bad.csv: 480 more invalid rows not shown (--all-errors shows every one)" "the rest counted"
assert_contains "$ERR" "bad.csv: 500 invalid rows; nothing imported" "the total"
run_status "$CROWDFEED" import-votes --all-errors bad.csv
assert_eq 500 "$(printf '%s\n' "$ERR" | grep -c '^crowdfeed: error: bad.csv:[0-9]*: ')" "--all-errors"

# Votes imported as root, then written by the service's user: the error
# says who owns what and how to fix it, not only "readonly database".
if [ "$(id -u)" -eq 0 ]; then
  mkdir shared && "$CROWDFEED" --database shared/votes.db -q vote --malicious a.example.com --voter a
  # Created private, whatever the umask: it holds voter ids.
  assert_eq 600 "$(stat -c %a shared/votes.db)" "a new votes database's mode"
  chmod 755 "$WORK" shared
  run_status setpriv --reuid=nobody --regid=nogroup --clear-groups \
    "$CROWDFEED" --database shared/votes.db vote --malicious b.example.com --voter b
  assert_eq 1 "$STATUS" "a vote into a private database another user owns"
  assert_contains "$ERR" "shared/votes.db is owned by uid 0 (mode 0600)" "the owner named"
  run_status setpriv --reuid=nobody --regid=nogroup --clear-groups \
    "$CROWDFEED" --database shared/votes.db vote --malicious b.example.com --voter b
  assert_eq 1 "$STATUS" "a vote into a database another user owns"
  chmod 644 shared/votes.db  # readable, as a database another tool created may be
  run_status setpriv --reuid=nobody --regid=nogroup --clear-groups \
    "$CROWDFEED" --database shared/votes.db vote --malicious b.example.com --voter b
  assert_eq 1 "$STATUS" "a vote into a database another user owns"
  assert_contains "$ERR" "attempt to write a readonly database; this process runs as uid $(id -u nobody); shared/votes.db is owned by uid 0 (mode 0644)" "the owner named"
  assert_contains "$ERR" "sudo -u crowdfeed" "the fix named"
  chmod 700 "$WORK"
fi

# --- Logs: priorities for the journal, JSON on request, progress on a terminal only
# systemd names the stream it connects to stderr in JOURNAL_STREAM
# ("DEVICE:INODE"); a line to that stream starts with its syslog priority.
: >journal.log
stream=$(stat -c '%d:%i' journal.log)
JOURNAL_STREAM=$stream "$CROWDFEED" -c typo.toml publish 2>>journal.log || true
JOURNAL_STREAM=$stream "$CROWDFEED" publish --at 2026-11-28T06:00:00Z 2>>journal.log
grep -q '^<3>crowdfeed: error: typo.toml:3: unknown key' journal.log || fail "no <3> error priority: $(cat journal.log)"
grep -q '^<6>crowdfeed: info: ' journal.log || fail "no <6> info priority: $(cat journal.log)"
# Redirected elsewhere by a shell in between: no prefixes.
JOURNAL_STREAM=$stream "$CROWDFEED" -c typo.toml publish 2>plain.log || true
grep -q '^crowdfeed: error: ' plain.log || fail "a prefix on a stream that is not the journal: $(cat plain.log)"
run_status "$CROWDFEED" --log-format=json -c typo.toml publish
python3 - "$ERR" <<'PY' || fail "--log-format=json: $ERR"
import json, sys
events = [json.loads(line) for line in sys.argv[1].splitlines()]
assert events and all(set(e) == {"time", "level", "message"} for e in events), events
assert events[-1]["level"] == "error" and "unknown key 'policy.min_vote'" in events[-1]["message"], events
PY
run_status "$CROWDFEED" --log-format=xml publish
assert_eq 2 "$STATUS" "--log-format=xml"
assert_contains "$ERR" "--log-format: xml not in {text,json}" "--log-format"

# Progress: drawn on a terminal (a pseudo-terminal through script(1)), never
# into a pipe or file.
"$GEN_VOTES" --votes 400000 --domains 20000 --seed 13 --now 1795824000 --csv big.csv
script -qfec "$CROWDFEED --database progress.db import-votes big.csv" /dev/null >terminal.log
grep -q $'\r.*reading big.csv: [0-9]* of [0-9]* KiB' terminal.log || fail "no progress on a terminal: $(tail -c 300 terminal.log)"
"$CROWDFEED" --database progress2.db import-votes big.csv 2>redirected.log
grep -q $'\r' redirected.log && fail "progress drawn into a file"
grep -q 'imported 400000 votes' redirected.log || fail "import: $(cat redirected.log)"

# --- status: monitoring-plugins exit codes -----------------------------------
run_status "$CROWDFEED" --state-dir empty-state status
assert_eq 2 "$STATUS" "status before any run: CRITICAL"
assert_contains "$OUT" "CROWDFEED CRITICAL: no run has finished yet" "status before any run"
run_status "$CROWDFEED" status --at 2026-11-28T07:30:00Z
assert_eq 0 "$STATUS" "status 1.5 h after a success: $OUT"
[[ "$(printf '%s\n' "$OUT" | head -n 1)" == "CROWDFEED OK: the last successful run was "*" | last_success_age=5400s;7200;10800;0" ]] ||
  fail "the first line is not the status line with performance data: $OUT"
run_status "$CROWDFEED" status --at 2026-11-28T08:30:00Z
assert_eq 1 "$STATUS" "status 2.5 h after a success: WARNING"
assert_contains "$OUT" "CROWDFEED WARNING: the last successful run was" "warning"
run_status "$CROWDFEED" status --at 2026-11-28T09:30:00Z
assert_eq 2 "$STATUS" "status 3.5 h after a success: CRITICAL"
run_status "$CROWDFEED" status --at 2026-11-28T08:30:00Z --warning-hours 3 --max-age-hours 4
assert_eq 0 "$STATUS" "status with wider limits"
run_status "$CROWDFEED" status --at 2026-11-28T07:30:00Z --max-age-hours 1
assert_eq 2 "$STATUS" "--max-age-hours alone still makes CRITICAL"
run_status "$CROWDFEED" status --json --at 2026-11-28T08:30:00Z
assert_eq 1 "$STATUS" "status --json"
python3 - "$OUT" <<'PY' || fail "status --json: $OUT"
import json, sys
check = json.loads(sys.argv[1])
assert check["status"] == "WARNING" and check["exit_code"] == 1, check
assert check["last_success_age_seconds"] == 9000, check
assert check["last_run"]["result"] == "published", check
PY
# A check that cannot be made is UNKNOWN (3), not a verdict on the feeds:
# a bad option (in JSON with --json, wherever it is), limits that are not
# a number of hours, a bad configuration, a damaged report.
run_status "$CROWDFEED" status --no-such-option
assert_eq 3 "$STATUS" "status with a bad option"
assert_contains "$OUT" "CROWDFEED UNKNOWN: " "bad option"
for limits in "--warning-hours nan" "--max-age-hours 1e20" "--warning-hours -1" "--max-age-hours inf" "--log-format xml"; do
  run_status "$CROWDFEED" status $limits
  assert_eq 3 "$STATUS" "status $limits"
  assert_contains "$OUT" "CROWDFEED UNKNOWN: " "status $limits"
done
run_status "$CROWDFEED" status --json --bogus
assert_eq 3 "$STATUS" "status --json with a bad option"
python3 -c 'import json, sys; c = json.loads(sys.argv[1]); assert c["status"] == "UNKNOWN", c' "$OUT" ||
  fail "status --json --bogus is not JSON: $OUT"
run_status "$CROWDFEED" -c typo.toml status
assert_eq 3 "$STATUS" "status with a bad configuration"
cp state/last-run.json last-run.kept
echo '{not json' >state/last-run.json
run_status "$CROWDFEED" status
assert_eq 3 "$STATUS" "status with a damaged last-run.json: $OUT"
cp last-run.kept state/last-run.json
# A failed run after a success: WARNING while the success is recent.
mv data/votes.db votes.db.kept && mkdir data/votes.db
run_status "$CROWDFEED" publish --at 2026-11-28T07:00:00Z
rmdir data/votes.db && mv votes.db.kept data/votes.db
run_status "$CROWDFEED" status --at 2026-11-28T07:10:00Z
assert_eq 1 "$STATUS" "status after a failed run: $OUT"
assert_contains "$OUT" "CROWDFEED WARNING: the last run did not publish (failed: " "failed run"
grep -Eq '^crowdfeed_build_info\{version="[^"]+",commit="[^"]*"\} 1$' state/crowdfeed.prom ||
  fail "no crowdfeed_build_info metric: $(head -n 5 state/crowdfeed.prom)"
if command -v promtool >/dev/null; then promtool check metrics <state/crowdfeed.prom || fail "promtool"; fi

# --- explain of a subdomain of a listed domain -------------------------------
"$CROWDFEED" -q publish --at 2026-11-28T08:00:00Z
grep -qx 'secure-login-paypa1.example' feeds/malicious-domains.txt || fail "the sample's listed domain"
run_status "$CROWDFEED" explain --at 2026-11-28T08:00:00Z www.secure-login-paypa1.example
assert_eq 0 "$STATUS" "explain"
assert_contains "$OUT" "parent:     secure-login-paypa1.example is listed in malicious-domains (its adblock, rpz, unbound, dnsmasq files apply it to subdomains; txt, hosts, csv, json, zeek list exact names only)" "explain: the parent"
assert_contains "$OUT" "feed:       none of its own; reached through its listed parent" "explain: the feed line"
echo ok
