# A votes database written by the release before indicator types (schema
# version 1, committed under tests/data/votes-v1) is upgraded to versions 2
# (indicator types), 3 (kept tallies), 4 (the vote API's voters) and 5
# (anonymous voters, the voters by age) by the first command that writes
# votes: every vote survives, as a domain vote, and the kept tallies match a
# recount. An upgrade killed at any point leaves version 1 intact.
source "$(dirname "$0")/lib.sh"

command -v strace >/dev/null || fail "strace is needed (apt-get install strace)"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
fixture=$SOURCE_DIR/tests/data/votes-v1/votes.db
rows() { sqlite3 "$1" 'SELECT indicator, voter, verdict, cast_at FROM votes ORDER BY 1, 2'; }
version() { sqlite3 "$1" 'PRAGMA user_version'; }
before=$(rows "$fixture")
latest=$SCHEMA_VERSION
[ "$(version "$fixture")" == 1 ] || fail "the fixture is not at schema version 1"
[ "$(wc -l <<<"$before")" -eq 6 ] || fail "the fixture should hold 6 votes"

# Reading never migrates: publish says what to run.
mkdir data && cp "$fixture" data/votes.db
run_status "$CROWDFEED" publish --at 2026-11-27T21:00:00Z
assert_eq 1 "$STATUS" "publish on a version 1 database"
assert_contains "$ERR" "has schema version 1, this crowdfeed reads version $latest; run 'crowdfeed vote' or 'import-votes' to migrate it" "publish on version 1"
assert_eq 1 "$(version data/votes.db)" "version after a refused publish"

# The upgrade keeps every vote, as a domain vote, and takes new types.
"$CROWDFEED" -q vote --malicious 45.33.32.156 --voter upgrade --at 2026-11-27T20:00:00Z
assert_eq "$latest" "$(version data/votes.db)" "version after the upgrade"
assert_eq 0 "$(sqlite3 data/votes.db "SELECT COUNT(*) FROM voters")" "the voters table, empty"
"$CROWDFEED" check >/dev/null || fail "the kept tallies after the upgrade differ from a recount"
assert_eq "$before" "$(sqlite3 data/votes.db "SELECT indicator, voter, verdict, cast_at FROM votes WHERE voter <> 'upgrade' ORDER BY 1, 2")" "votes after the upgrade"
assert_eq "domain|6" "$(sqlite3 data/votes.db "SELECT type, COUNT(*) FROM votes WHERE voter <> 'upgrade' GROUP BY type")" "types of the old votes"
assert_eq "45.33.32.156|ipv4" "$(sqlite3 data/votes.db "SELECT indicator, type FROM votes WHERE voter = 'upgrade'")" "the new vote"
printf '[policy]\nmin_votes = 1\nmin_share = 0.6\n' >crowdfeed.toml
"$CROWDFEED" -q -c crowdfeed.toml publish --at 2026-11-27T21:00:00Z
assert_eq "bad.example.net evil.example.com xn--bcher-kva.example" "$(grep -v '^#' feeds/malicious-domains.txt | xargs)" "malicious domains from the upgraded votes"
assert_eq "good.example.org" "$(grep -v '^#' feeds/non-malicious-domains.txt | xargs)" "non-malicious domains from the upgraded votes"

# Killed at every write and sync of the upgrade: version 1 and its votes
# stay as they were, or the upgrade completed with all of them.
kills=0
for syscall in pwrite64 fdatasync; do
  rm -rf data && mkdir data && cp "$fixture" data/votes.db
  calls=$(strace -f -qq -e trace="$syscall" -o trace.txt "$CROWDFEED" -q vote --malicious 45.33.32.156 --voter upgrade \
    --at 2026-11-27T20:00:00Z && wc -l <trace.txt)
  [ "$calls" -gt 0 ] || fail "the upgrade makes no $syscall calls; the test kills nothing"
  for ((n = 1; n <= calls; n++)); do
    rm -rf data && mkdir data && cp "$fixture" data/votes.db
    run_status strace -f -qq -o /dev/null -e trace="$syscall" -e inject="$syscall":signal=KILL:when="$n" \
      "$CROWDFEED" -q vote --malicious 45.33.32.156 --voter upgrade --at 2026-11-27T20:00:00Z
    [ "$STATUS" -eq 137 ] || fail "the upgrade was not killed at $syscall #$n of $calls (exit $STATUS): $ERR"
    case "$(version data/votes.db)" in
      1) assert_eq "$before" "$(rows data/votes.db)" "version 1 votes after a kill at $syscall #$n" ;;
      "$latest")
        assert_eq "$before" "$(sqlite3 data/votes.db "SELECT indicator, voter, verdict, cast_at FROM votes WHERE voter <> 'upgrade' ORDER BY 1, 2")" "version $latest votes after a kill at $syscall #$n"
        assert_eq 6 "$(sqlite3 data/votes.db "SELECT COUNT(*) FROM votes WHERE voter <> 'upgrade' AND type = 'domain'")" "version $latest types after a kill at $syscall #$n"
        "$CROWDFEED" check >/dev/null || fail "kept tallies after a kill at $syscall #$n differ from a recount"
        ;;
      *) fail "schema version $(version data/votes.db) after a kill at $syscall #$n" ;;
    esac
    assert_eq ok "$(sqlite3 data/votes.db 'PRAGMA integrity_check')" "integrity after a kill at $syscall #$n"
    # The next command completes the upgrade.
    "$CROWDFEED" -q vote --malicious 45.33.32.156 --voter upgrade --at 2026-11-27T20:00:00Z
    assert_eq "$latest" "$(version data/votes.db)" "version after a kill at $syscall #$n and a rerun"
    "$CROWDFEED" check >/dev/null || fail "kept tallies after a kill at $syscall #$n and a rerun differ from a recount"
    kills=$((kills + 1))
  done
done
echo "ok: killed the upgrade at $kills points"
