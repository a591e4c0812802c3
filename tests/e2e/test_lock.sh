# Two runs at once: the second exits at once with a clear message and
# writes nothing; the lock is an flock, the same one flock(1) takes.
source "$(dirname "$0")/lib.sh"

"$CROWDFEED" vote --malicious evil.example.com --voter a --at 2026-11-27T20:00:00Z
"$CROWDFEED" vote --malicious evil.example.com --voter b --at 2026-11-27T20:00:00Z
"$CROWDFEED" publish --at 2026-11-27T21:00:00Z
"$CROWDFEED" vote --malicious second.example.com --voter a --at 2026-11-27T21:10:00Z
"$CROWDFEED" vote --malicious second.example.com --voter b --at 2026-11-27T21:10:00Z
before=$(snapshot feeds)

# Another process holds the lock for as long as this test needs.
# -o: the lock stays with flock itself, not with sleep, so killing flock frees it.
flock -o state/publish.lock sleep 30 </dev/null >/dev/null 2>&1 &
holder=$!
for _ in $(seq 50); do
  flock -n state/publish.lock true 2>/dev/null || break
  sleep 0.1
done
started=$(date +%s)
run_status "$CROWDFEED" publish --at 2026-11-27T22:00:00Z
pkill -P "$holder" sleep || true
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true
assert_eq 1 "$STATUS" "exit code of the second writer"
assert_contains "$ERR" "crowdfeed: error: another crowdfeed run holds the lock state/publish.lock" "message"
[ $(($(date +%s) - started)) -lt 10 ] || fail "the second run waited for the lock instead of exiting"
assert_eq "$before" "$(snapshot feeds)" "feeds while another run holds the lock"

# Once the lock is free, the run goes ahead.
"$CROWDFEED" publish --at 2026-11-27T22:00:00Z
grep -qx 'second.example.com' feeds/malicious-domains.txt || fail "the run after the lock was released"
echo ok
