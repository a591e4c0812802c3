# Defects 1-5 of the hardening issue: whatever the feeds and state
# directories hold (links, "../" names in state files, a linked archive
# folder), crowdfeed never reads, uploads or deletes a file outside its own,
# and a feed name never takes a reserved file's name.
source "$(dirname "$0")/lib.sh"

mkdir -p outside/elsewhere/11/27 mirror
printf 'secret\n' >outside/secret.txt
chmod 600 outside/secret.txt
for name in precious.txt precious2.txt; do printf 'keep me\n' >"outside/$name"; done
cat >crowdfeed.toml <<TOML
[feeds]
formats = ["txt", "rpz"]
[history]
retention_days = 1
[[destinations]]
name = "mirror"
url = "file://$WORK/mirror/feeds"
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
"$CROWDFEED" -q import-votes "$SOURCE_DIR/deploy/sample-votes.csv"
"$CROWDFEED" -q publish --at 2026-11-27T21:00:00Z
kept=$(snapshot outside)

# 1. A link in the archive is not followed on upload.
ln -s "$WORK/outside/secret.txt" feeds/archive/2026/11/27/21/leak.txt
ln -s "$WORK/outside" feeds/archive/2026/11/27/linked-folder
run_status "$CROWDFEED" publish --at 2026-11-27T22:00:00Z
assert_eq 0 "$STATUS" "publish beside a link in the archive: $ERR"
[ -z "$(grep -rl secret mirror)" ] || fail "the link's target was uploaded"
[ -z "$(find "$WORK" -path "$WORK/outside" -prune -o -name 'leak.txt' -type f -print)" ] || fail "leak.txt was copied"
[ -e mirror/feeds/manifest.json ] || fail "the destination is not current"
assert_contains "$ERR" "not uploading \"$WORK/feeds/archive/2026/11/27/21/leak.txt\": it is a symbolic link" "link reported"

# 2. by-hash.json names that leave by-hash/SHA256/ are never acted on.
python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
path = f"{work}/state/by-hash.json"
ledger = json.load(open(path))
ledger["by-hash/SHA256/../../../outside/precious.txt"] = 1
ledger["by-hash/SHA256/../../malicious-domains.txt"] = 1
ledger["by-hash/SHA256/" + "0" * 63 + "/"] = 1
json.dump(ledger, open(path, "w"))
PY
# 3. ... nor are a destination state's.
python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
import glob
path = glob.glob(f"{work}/state/destinations/mirror-*.json")[0]
state = json.load(open(path))
state["files"]["../../outside/precious2.txt"] = "0" * 64
state["files"]["/etc/hostname"] = "0" * 64
json.dump(state, open(path, "w"))
PY
run_status "$CROWDFEED" publish --at 2026-11-28T01:00:00Z
assert_eq 0 "$STATUS" "publish with hostile state files: $ERR"
assert_eq "$kept" "$(snapshot outside)" "files outside after hostile state files"
[ -f /etc/hostname ] || fail "/etc/hostname was deleted"
[ -f feeds/malicious-domains.txt ] || fail "the live feed was deleted"
assert_by_hash_consistent feeds "after hostile state files"
assert_by_hash_consistent mirror/feeds "the mirror after hostile state files"
assert_contains "$ERR" "by-hash ledger: ignoring \"by-hash/SHA256/../../../outside/precious.txt\"" "ledger name reported"
assert_contains "$ERR" "ignoring the entry \"../../outside/precious2.txt\": it has a '.' or '..' component" "state name reported"
assert_contains "$ERR" "ignoring the entry \"/etc/hostname\": it is an absolute path" "absolute name reported"

# 4. Pruning does not follow a linked year folder out of the archive.
mkdir -p outside/elsewhere/11/27/05
printf 'keep me\n' >outside/elsewhere/11/27/05/precious3.txt
ln -s "$WORK/outside/elsewhere" feeds/archive/2020
kept=$(snapshot outside)
run_status wall_clock "2026-11-29 00:10:00" "$CROWDFEED" publish --at 2026-11-29T00:00:00Z
assert_eq 0 "$STATUS" "publish beside a linked year folder: $ERR"
assert_eq "$kept" "$(snapshot outside)" "files outside after pruning"
[ -L feeds/archive/2020 ] || fail "the link itself was removed"
assert_contains "$ERR" "ignoring \"$WORK/feeds/archive/2020\" in the archive: it is a symbolic link" "link reported"
[ ! -e feeds/archive/2026/11/27/21 ] || fail "pruning stopped working"

# Crowdfeed's own folders are never links: a linked archive or by-hash
# folder stops the run before anything is written, and names the fix.
for folder in archive by-hash; do
  mv "feeds/$folder" "outside/$folder-moved"
  ln -s "$WORK/outside/$folder-moved" "feeds/$folder"
  kept=$(snapshot outside)
  run_status wall_clock "2026-11-29 01:10:00" "$CROWDFEED" publish --at 2026-11-29T01:00:00Z
  assert_eq 1 "$STATUS" "exit code with a linked $folder folder"
  assert_contains "$ERR" "$WORK/feeds/$folder is a symbolic link; crowdfeed writes, prunes and uploads its own folders" \
    "linked $folder folder"
  assert_eq "$kept" "$(snapshot outside)" "files outside beside a linked $folder folder"
  rm "feeds/$folder" && mv "outside/$folder-moved" "feeds/$folder"
done

# Whatever stands at a by-hash name (a folder, a link, other bytes) is
# never taken for the object: pruned around, or replaced.
object=$(sha256sum feeds/malicious-domains.txt | cut -d' ' -f1)
rm "feeds/by-hash/SHA256/$object"
echo "evil.example" >"feeds/by-hash/SHA256/$object"
squatter=$(printf 'a%.0s' $(seq 64))
mkdir "feeds/by-hash/SHA256/$squatter"
python3 - "$WORK" "$squatter" <<'PY'
import json, sys
path = f"{sys.argv[1]}/state/by-hash.json"
ledger = json.load(open(path))
ledger["by-hash/SHA256/" + sys.argv[2]] = 1000000000
json.dump(ledger, open(path, "w"))
PY
rm -rf mirror/feeds state/destinations
run_status wall_clock "2026-11-29 01:10:00" "$CROWDFEED" publish --at 2026-11-29T01:00:00Z
assert_eq 0 "$STATUS" "publish beside a damaged by-hash object and a folder: $ERR"
assert_contains "$ERR" "by-hash/SHA256/$object does not hold what its name says; replacing it" "wrong object replaced"
assert_contains "$ERR" "not pruning by-hash/SHA256/$squatter" "folder reported"
assert_by_hash_consistent feeds "after a damaged by-hash object"
assert_by_hash_consistent mirror/feeds "the mirror after a damaged by-hash object"
[ -d "feeds/by-hash/SHA256/$squatter" ] || fail "the folder was removed"

# A hard link to a private file in the archive is not uploaded.
printf 'TOKEN=supersecret\n' >outside/secret.env
chmod 600 outside/secret.env
ln outside/secret.env feeds/archive/notes.txt
run_status wall_clock "2026-11-29 02:10:00" "$CROWDFEED" publish --at 2026-11-29T02:00:00Z
assert_eq 0 "$STATUS" "publish beside a private file: $ERR"
[ -z "$(grep -rl supersecret mirror)" ] || fail "a private file was uploaded"
assert_contains "$ERR" "not uploading \"$WORK/feeds/archive/notes.txt\": others may not read it" "private file reported"
rm feeds/archive/notes.txt

# A FIFO where crowdfeed reads its own files must not hang the run that
# holds the lock.
for file in feeds/manifest.json feeds/archive/history.csv state/last-run.json state/by-hash.json; do
  mv "$file" "$file.kept"
  mkfifo "$file"
  run_status timeout 60 env LD_PRELOAD="$FAKETIME_LIBRARY" FAKETIME="@2026-11-29 03:10:00" \
    FAKETIME_DONT_FAKE_MONOTONIC=1 "$CROWDFEED" publish --at 2026-11-29T03:00:00Z
  [ "$STATUS" -ne 124 ] || fail "the run hung on a FIFO at $file"
  assert_contains "$ERR" "$WORK/$file: not a regular file" "FIFO at $file named"
  [ -p "$file" ] && rm "$file"
  [ -e "$file" ] || mv "$file.kept" "$file"
  rm -f "$file.kept" "$file.damaged"
done

# 5. A feed name may not take a reserved name.
for name in manifest SHA256SUMS index excluded-domains archive by-hash Manifest other.added; do
  printf '[feeds]\nmalicious_name = "%s"\n' "$name" >reserved.toml
  run_status "$CROWDFEED" -c reserved.toml publish --dry-run
  assert_eq 2 "$STATUS" "exit code for the feed name $name"
  assert_contains "$ERR" "feeds.malicious_name \"$name\" would collide with" "feed name $name"
done
echo ok
