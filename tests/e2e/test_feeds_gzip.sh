# The .gz copies at both levels of feeds.gzip: each is one gzip member that
# gzip -t accepts and that Python's gzip and zlib modules decompress to the
# plain file's bytes; the manifest's digests are the files'; "small" is
# smaller than "fast"; false publishes no .gz copy and stops listing them.
source "$(dirname "$0")/lib.sh"

"$GEN_VOTES" --votes 40000 --domains 6000 --csv votes.csv
"$CROWDFEED" import-votes --skip-invalid votes.csv 2>/dev/null
for i in $(seq 1 40); do
  for voter in a b c; do
    "$CROWDFEED" vote --malicious "8.8.$i.9" --voter "$voter" --at 2026-11-27T20:10:00Z
  done
done

# check_copies: every .gz the manifest lists against its plain file.
check_copies() {
  local copies
  copies=$(python3 -c 'import json, sys
print("\n".join(f["name"] for f in json.load(open("feeds/manifest.json"))["files"] if f["name"].endswith(".gz")))')
  [ -n "$copies" ] || fail "no .gz copy listed"
  for copy in $copies; do
    gzip -t "feeds/$copy" || fail "gzip -t refuses $copy"
  done
  python3 - <<'PY' || fail "a .gz copy does not hold its plain file"
import gzip, hashlib, json, zlib
manifest = json.load(open("feeds/manifest.json"))
for listed in manifest["files"]:
    name = listed["name"]
    data = open("feeds/" + name, "rb").read()
    assert hashlib.sha256(data).hexdigest() == listed["sha256"], name + ": digest"
    assert len(data) == listed["size"], name + ": size"
    if not name.endswith(".gz"):
        continue
    plain = open("feeds/" + name[:-3], "rb").read()
    assert gzip.decompress(data) == plain, name + ": content"
    # One member, nothing after it.
    inflater = zlib.decompressobj(16 + 15)
    assert inflater.decompress(data) == plain and inflater.eof and inflater.unused_data == b"", name + ": one member"
    assert data[3] == 0 and data[4:8] == b"\0\0\0\0", name + ": a name or a time in the header"
PY
}
gz_bytes() {
  python3 -c 'import json
print(sum(f["size"] for f in json.load(open("feeds/manifest.json"))["files"] if f["name"].endswith(".gz")))'
}

"$CROWDFEED" publish --at 2026-11-27T21:00:00Z
check_copies
fast=$(gz_bytes)

printf '[feeds]\ngzip = "small"\n' >crowdfeed.toml
"$CROWDFEED" --config crowdfeed.toml publish --at 2026-11-27T22:00:00Z
check_copies
small=$(gz_bytes)
((small < fast)) || fail "small copies ($small bytes) not smaller than fast ones ($fast bytes)"
# The plain files did not change, and neither did their Last-Modified.
grep -q '^# Last modified: 2026-11-27T21:00:00Z$' feeds/malicious-domains.txt || fail "the plain list was versioned anew"

printf '[feeds]\ngzip = false\n' >crowdfeed.toml
"$CROWDFEED" --config crowdfeed.toml publish --at 2026-11-27T23:00:00Z
if grep -m 1 '\.gz"' feeds/manifest.json; then fail "the manifest still lists .gz copies"; fi

printf '[feeds]\ngzip = "tiny"\n' >crowdfeed.toml
status=0
"$CROWDFEED" --config crowdfeed.toml publish --at 2026-11-28T00:00:00Z 2>err.txt || status=$?
((status != 0)) || fail "gzip = \"tiny\" was accepted"
assert_contains "$(cat err.txt)" "crowdfeed.toml:2: 'feeds.gzip' must be true, false" "the error names the file, line and key"
echo ok
