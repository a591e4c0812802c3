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

# 5. A feed name may not take a reserved name.
for name in manifest SHA256SUMS index excluded-domains archive by-hash Manifest other.added; do
  printf '[feeds]\nmalicious_name = "%s"\n' "$name" >reserved.toml
  run_status "$CROWDFEED" -c reserved.toml publish --dry-run
  assert_eq 2 "$STATUS" "exit code for the feed name $name"
  assert_contains "$ERR" "feeds.malicious_name \"$name\" would collide with" "feed name $name"
done
echo ok
