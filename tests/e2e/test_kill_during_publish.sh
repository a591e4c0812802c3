# Kills `crowdfeed publish` with SIGKILL at every point where it touches the
# feeds directory or the votes database (each openat, write, fsync, rename,
# link, unlink, pwrite64 and fdatasync, injected by strace) and checks that
# a reader never sees a missing, empty or half-written file: every file is
# always the complete old or the complete new version, the manifest is never
# ahead of the files it lists, every by-hash file holds what its name says,
# the kept tallies always match a recount, and the next run completes the
# publication.
#
# Every run, the reference run that counts the calls included, starts from
# the same feeds, state and database files: a killed run leaves SQLite's
# -wal and -shm files behind, which changes how many files the next run
# opens, so reusing them made the kill points drift and the test flaky.
source "$(dirname "$0")/lib.sh"

command -v strace >/dev/null || fail "strace is needed (apt-get install strace)"
# LeakSanitizer cannot run under ptrace; the sanitized suite checks leaks
# everywhere else.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
# Enough entries that each feed takes several write() calls of 64 KiB.
"$GEN_VOTES" --votes 30000 --domains 9000 --seed 1 --csv old.csv
"$GEN_VOTES" --votes 8000 --domains 12000 --seed 2 --now 1795816800 --csv new.csv --whitelisted 0.05 \
  --whitelist whitelist.txt
# IP and hash votes for the other four feeds, more of them in the second
# hour, so that every file of all six feeds changes.
ip_and_hash_votes() { # FIRST LAST CAST_AT
  local i
  echo "indicator,vote,voter,cast_at"
  for ((i = $1; i <= $2; i++)); do
    for voter in a b; do
      echo "11.0.$((i / 250)).$((i % 250 + 1)),0,$voter,$3"
      echo "2a00:1450:4001::$(printf '%x' "$i"),0,$voter,$3"
      echo "12.0.$((i / 250)).$((i % 250 + 1)),1,$voter,$3"
      echo "$(printf 'm%d' "$i" | md5sum | cut -c1-32),0,$voter,$3"
      echo "$(printf 'n%d' "$i" | sha256sum | cut -c1-64),1,$voter,$3"
    done
  done
}
ip_and_hash_votes 1 300 2026-11-27T20:00:00Z >old-ip-hash.csv
ip_and_hash_votes 1 400 2026-11-27T21:30:00Z >new-ip-hash.csv
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
# A few formats of each type and their .gz copies: every file goes through
# the same atomic writer, so more formats would add run time, not coverage.
# One rendering thread: strace counts each thread's calls on its own, so
# with more the Nth call of the run is not one point. What is atomic is
# each file, and the manifest waits for all of them whatever the threads.
# Every file signed: each signature is written after its file, atomically
# like the file, and never ahead of it.
printf '[whitelist]\nfiles = ["whitelist.txt"]\n[feeds]\nformats = ["txt", "rpz"]\nip_formats = ["txt"]\nhash_formats = ["txt"]\nthreads = 1\n[signing]\nsecret_key = "keys/crowdfeed.key"\nsign_files = true\n' >crowdfeed.toml
"$CROWDFEED" -q keygen -o keys >/dev/null
"$CROWDFEED" -q import-votes old.csv
"$CROWDFEED" -q import-votes old-ip-hash.csv
"$CROWDFEED" -q publish --at 2026-11-27T21:00:00Z
cp -a feeds old
"$CROWDFEED" -q import-votes new.csv
"$CROWDFEED" -q import-votes new-ip-hash.csv
sqlite3 data/votes.db 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
cp -a data old-data
cp -a state old-state
cp -a old feeds-new
"$CROWDFEED" -q --feeds-dir feeds-new --state-dir state-new publish --at 2026-11-27T22:00:00Z
mv feeds-new new
top_files() { find "$1" -maxdepth 1 -type f -printf '%f\n' | LC_ALL=C sort; }
for name in $(top_files old); do
  cmp -s "old/$name" "new/$name" && [ "$name" != manifest.json ] && fail "$name does not change; the test needs every file to"
done
[ "$(ls old)" == "$(ls new)" ] || fail "old and new publish different file names"
if command -v minisign >/dev/null; then
  for signature in new/*.minisig; do
    minisign -Vqm "${signature%.minisig}" -x "$signature" -p keys/crowdfeed.pub || fail "minisign rejects $signature"
  done
fi
# publish must be deterministic for the comparison to mean anything.
rm -rf again && cp -a old again
"$CROWDFEED" -q --feeds-dir again --state-dir state-new publish --at 2026-11-27T22:00:00Z
diff -r new again >/dev/null || fail "two identical runs published different files"

# check_state DIR WHAT: every file complete, old or new; manifest not ahead;
# no signature ahead of its file.
check_state() {
  local dir=$1 what=$2 name manifest_state
  [ "$(ls "$dir")" == "$(ls old)" ] || fail "$what: files are [$(ls "$dir" | tr '\n' ' ')]"
  manifest_state=old
  cmp -s "$dir/manifest.json" new/manifest.json && manifest_state=new
  assert_by_hash_consistent "$dir" "$what"
  for name in $(top_files old); do
    if cmp -s "$dir/$name" "old/$name"; then
      # index.html is not in the manifest; it follows it, as the manifest's
      # signature does.
      [ "$manifest_state" == old ] || [ "$name" == index.html ] || [ "$name" == manifest.json.minisig ] ||
        fail "$what: manifest.json is new but $name is old"
    elif ! cmp -s "$dir/$name" "new/$name"; then
      fail "$what: $name is neither the old nor the new version"
    elif [[ "$name" == *.minisig ]] && ! cmp -s "$dir/${name%.minisig}" "new/${name%.minisig}"; then
      fail "$what: $name is new but the file it signs is not"
    fi
  done
}

# The feeds, state and database as they were before the 22:00 run.
reset() { rm -rf feeds state data && cp -a old feeds && cp -a old-state state && cp -a old-data data; }

# Every point is the full sweep (CROWDFEED_FULL_SWEEP=1, the test's "slow"
# variant; about 950 points, 12 minutes). The default run kills at every
# 8th point of each call, from an offset that changes from run to run
# (KILL_SEED, printed, repeats a run), and at the last two points of each
# call, where the manifest and its signature are written: a few minutes,
# and over many runs every point. KILL_STRIDE=N sets the stride.
if [ -n "${CROWDFEED_FULL_SWEEP:-}" ]; then
  stride=${KILL_STRIDE:-1}
else
  stride=${KILL_STRIDE:-8}
fi
seed=${KILL_SEED:-$((RANDOM % 1000))}
echo "kill points: every ${stride}th from offset ($seed + call) mod $stride, and each call's last two (KILL_SEED=$seed)"
kills=0
call_index=0
# pwrite64 and fdatasync are SQLite's, as the run moves the kept tallies'
# window and opens a new generation.
for syscall in openat write fsync rename link unlink pwrite64 fdatasync; do
  # How often a complete run makes this call; kill at each of them.
  reset
  calls=$(strace -f -qq -e trace="$syscall" -o trace.txt "$CROWDFEED" -q publish --at 2026-11-27T22:00:00Z && wc -l <trace.txt)
  call_index=$((call_index + 1))
  offset=$(((seed + call_index) % stride))
  points=$({
    for ((n = 1 + offset; n <= calls; n += stride)); do echo "$n"; done
    for ((n = calls - 1; n <= calls; n++)); do [ "$n" -ge 1 ] && echo "$n"; done
  } | sort -nu)
  for n in $points; do
    reset
    run_status strace -f -qq -o /dev/null -e trace="$syscall" -e inject="$syscall":signal=KILL:when="$n" \
      "$CROWDFEED" -q publish --at 2026-11-27T22:00:00Z
    # strace exits with its tracee's signal: 128 + 9.
    [ "$STATUS" -eq 137 ] || fail "the run was not killed at $syscall #$n of $calls (exit $STATUS): $ERR"
    kills=$((kills + 1))
    check_state feeds "killed at $syscall #$n of $calls"
    "$CROWDFEED" check >/dev/null || fail "after a kill at $syscall #$n, the kept tallies differ from a recount"
    # The next run cleans up and completes the publication.
    "$CROWDFEED" -q publish --at 2026-11-27T22:00:00Z
    diff -r new feeds >/dev/null || fail "after a kill at $syscall #$n, the next run did not complete the publication"
    [ -z "$(find feeds -name '.*')" ] || fail "temporary files left after a kill at $syscall #$n and a rerun"
  done
done
# After the last kill and its completing run, a rerun finds nothing changed
# and leaves every file as it is.
run_status "$CROWDFEED" publish --at 2026-11-27T22:00:00Z
assert_eq 0 "$STATUS" "a rerun after the kills: $ERR"
assert_contains "$ERR" "nothing changed since the last run" "the rerun after the kills"
diff -r new feeds >/dev/null || fail "a rerun after the kills changed the published files"
[ $((kills * stride)) -ge 600 ] || fail "only $kills kill points (every ${stride}th); expected at least 600 in all"
echo "ok: killed at $kills points"
