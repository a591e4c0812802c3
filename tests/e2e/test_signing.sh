# Signed feeds, checked with the tool consumers already have, Debian's
# minisign, and with `crowdfeed verify`, on a folder and over HTTP from a
# real web server (nginx, which the run uploads to with WebDAV PUT):
# keys from `crowdfeed keygen` and from `minisign -G` (with a passphrase),
# a changed byte, another key's signature and an old signature replayed
# beside newer files, signatures that stay byte-identical while nothing
# changes, and a wrong passphrase that publishes nothing.
source "$(dirname "$0")/lib.sh"

command -v minisign >/dev/null || fail "minisign is needed (deploy/install-build-deps.sh --tests installs it)"

# --- crowdfeed keygen --------------------------------------------------------
mkdir -m 755 open
run_status "$CROWDFEED" keygen -o open
assert_eq 2 "$STATUS" "keygen into a folder others may read"
assert_contains "$ERR" "open is open to others (mode 0755)" "keygen's refusal"
[ ! -e open/crowdfeed.key ] || fail "keygen wrote a secret key into a folder others may read"
mkdir -m 770 group-writable
run_status "$CROWDFEED" keygen -o group-writable
assert_eq 2 "$STATUS" "keygen into a folder its group may write"
run_status env -u NO_SUCH_PASSPHRASE "$CROWDFEED" keygen -o new-keys --passphrase-env NO_SUCH_PASSPHRASE
assert_eq 1 "$STATUS" "keygen with an unset passphrase variable"
assert_contains "$ERR" "\$NO_SUCH_PASSPHRASE, which should hold the signing key's passphrase, is not set" "keygen's passphrase"
[ ! -e new-keys ] || fail "a failed keygen left its folder behind"
"$CROWDFEED" keygen -o keys >keygen.txt
assert_eq 700 "$(stat -c %a keys)" "the new key folder's mode"
assert_eq 600 "$(stat -c %a keys/crowdfeed.key)" "the secret key's mode"
key=$(sed -n 2p keys/crowdfeed.pub)
key_id=$(sed -n 's/^untrusted comment: minisign public key //p' keys/crowdfeed.pub)
grep -qxF "$key" keygen.txt || fail "keygen does not print the public key: $(cat keygen.txt)"
grep -qF "Key id: $key_id" keygen.txt || fail "keygen does not print the key id"
cp keys/crowdfeed.key key-before
run_status "$CROWDFEED" keygen -o keys
assert_eq 2 "$STATUS" "keygen over an existing key"
assert_contains "$ERR" "crowdfeed.key exists" "keygen's refusal to replace a key"
cmp -s key-before keys/crowdfeed.key || fail "a refused keygen changed the secret key"
# minisign itself signs with crowdfeed's secret key.
echo hello >hello.txt
minisign -S -s keys/crowdfeed.key -m hello.txt </dev/null >/dev/null
minisign -Vqm hello.txt -p keys/crowdfeed.pub || fail "minisign rejects a signature by crowdfeed's key"

# --- a web server to upload to and verify from --------------------------------
port=$(free_port)
start_webdav_nginx "$port"
url="http://127.0.0.1:$port/feeds/"

# write_config SIGNING: the configuration, with SIGNING as its [signing] table.
write_config() {
  cat >crowdfeed.toml <<TOML
[feeds]
title = "Test feeds"
formats = ["txt", "hosts", "rpz"]
ip_formats = ["txt"]
hash_formats = ["txt"]
[upload]
base_delay_ms = 10
max_delay_ms = 50
[[destinations]]
name = "web"
url = "$url"
$1
TOML
}
write_config '[signing]
secret_key = "keys/crowdfeed.key"
sign_files = true'
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
"$CROWDFEED" -q import-votes "$SOURCE_DIR/deploy/sample-votes.csv"
run_status "$CROWDFEED" publish --at 2026-11-27T21:00:00Z
assert_eq 0 "$STATUS" "a signed publication: $ERR"

# Every signature verifies with minisign, and there is one for every file
# the manifest lists, SHA256SUMS and the manifest.
listed=$(python3 -c 'import json,sys; print("\n".join(f["name"] for f in json.load(open(sys.argv[1]))["files"]))' \
  feeds/manifest.json)
expected_signatures=$(printf '%s\nSHA256SUMS\nmanifest.json\n' "$listed" | sed 's/$/.minisig/' | LC_ALL=C sort)
assert_eq "$expected_signatures" "$(cd feeds && ls -1 ./*.minisig | sed 's|^\./||' | LC_ALL=C sort)" \
  "the signature files"
verify_all_with_minisign() { # DIR PUBLIC_KEY_FILE
  local signature
  for signature in "$1"/*.minisig; do
    minisign -Vqm "${signature%.minisig}" -x "$signature" -p "$2" ||
      fail "minisign rejects $signature"
  done
}
verify_all_with_minisign feeds keys/crowdfeed.pub
# minisign checks an archived hour's manifest too, once it is unpacked.
gunzip -c feeds/archive/2026/11/27/21/manifest.json.gz >archived-manifest.json
minisign -Vqm archived-manifest.json -x feeds/archive/2026/11/27/21/manifest.json.minisig -p keys/crowdfeed.pub ||
  fail "minisign rejects the archived manifest's signature"
# The README's check for consumers, as they would run it.
(cd feeds && minisign -Vm SHA256SUMS -P "$key" >/dev/null && sha256sum --quiet -c SHA256SUMS) ||
  fail "the consumers' one-line check fails"
assert_eq "$(printf 'feeds:Test feeds\thour:2026-11-27T21:00:00Z\tversion:202611272100\tfile:SHA256SUMS')" \
  "$(minisign -QVm feeds/SHA256SUMS -P "$key")" "SHA256SUMS's trusted comment"
assert_eq "$(printf 'feeds:Test feeds\thour:2026-11-27T21:00:00Z\tversion:202611272100\tfile:malicious-domains.txt')" \
  "$(minisign -QVm feeds/malicious-domains.txt -P "$key")" "a feed's trusted comment"
# The manifest and the index page carry the key.
python3 - feeds/manifest.json "$key" "$key_id" <<'PY' || fail "the manifest does not name the signing key"
import json, sys
signing = json.load(open(sys.argv[1]))["signing"]
assert signing["format"] == "minisign" and signing["public_key"] == sys.argv[2], signing
assert signing["key_id"] == sys.argv[3] and signing["every_file"] is True, signing
PY
grep -qF "$key" feeds/index.html || fail "the index page does not show the public key"
grep -qF "minisign -Vm SHA256SUMS -P $key" feeds/index.html || fail "the index page does not show the check"

# What was uploaded is what was signed; each signature went right after its
# file, the manifest's last of all.
diff -r feeds www/feeds >/dev/null || fail "the server does not hold exactly the published files"
verify_all_with_minisign www/feeds keys/crowdfeed.pub
grep -o 'PUT /feeds/[^ ]*' nginx-access.log | sed 's|PUT /feeds/||' >order.txt
assert_eq "manifest.json
manifest.json.minisig" "$(tail -n 2 order.txt)" "the last two uploads"
previous=""
while read -r name; do
  if [[ "$name" == archive/*.minisig ]]; then
    # An archived hour keeps its manifest gzipped, the signature after it.
    assert_eq "${name%.minisig}.gz" "$previous" "the upload before $name"
  elif [[ "$name" == *.minisig ]]; then
    assert_eq "${name%.minisig}" "$previous" "the upload before $name"
  fi
  previous=$name
done <order.txt

# crowdfeed verify: the folder and the URL.
run_status "$CROWDFEED" verify --max-age 0 --public-key "$key" feeds
assert_eq 0 "$STATUS" "verify the feeds folder: $OUT $ERR"
assert_contains "$OUT" "verify: OK: the feeds \"Test feeds\", hour 2026-11-27T21:00:00Z, signed by the key $key_id" \
  "verify's summary"
# The hours here are old: by default, verify fails feeds over a day old.
run_status "$CROWDFEED" verify --public-key "$key" feeds
assert_eq 1 "$STATUS" "verify of feeds over a day old, by default"
assert_contains "$OUT" "older than --max-age 24 (a stale copy?)" "verify's default age limit"
# Another feed set signed with the same key is not this one.
run_status "$CROWDFEED" verify --max-age 0 --public-key "$key" --feed-set "Production feeds" feeds
assert_eq 1 "$STATUS" "verify of another feed set"
assert_contains "$OUT" "FAILED: manifest.json.minisig: signed for the feeds \"Test feeds\", not \"Production feeds\"" \
  "verify of another feed set"
run_status "$CROWDFEED" verify --max-age 0 --public-key keys/crowdfeed.pub "$url"
assert_eq 0 "$STATUS" "verify the feeds over HTTP: $OUT $ERR"
# Without --public-key, the configured key pair's public key.
run_status "$CROWDFEED" verify --max-age 0 feeds
assert_eq 0 "$STATUS" "verify with the configured key: $OUT $ERR"

# --- unchanged: byte-identical signatures, nothing uploaded ------------------
signatures_fingerprint() { (cd feeds && stat -c '%n %i %Y %s' ./*.minisig && cat ./*.minisig | sha256sum); }
before=$(signatures_fingerprint)
: >nginx-access.log
sleep 1.1 # so that a rewrite would show in the mtime
run_status "$CROWDFEED" publish --at 2026-11-27T21:00:00Z
assert_eq 0 "$STATUS" "a rerun in the same hour: $ERR"
assert_contains "$ERR" "destination \"web\" is current: 0 files uploaded" "the rerun's upload"
assert_eq "$before" "$(signatures_fingerprint)" "the signatures after a rerun in the same hour"
# Rebuilding everything (--force) gives the very same bytes: Ed25519 is deterministic.
cp -a feeds h21
"$CROWDFEED" -q publish --at 2026-11-27T21:00:00Z --force
for signature in h21/*.minisig; do
  cmp -s "$signature" "feeds/${signature#h21/}" || fail "$signature changed when the same hour was built again"
done
# The next hour without a new vote: the feed files and their signatures
# stay as they are; the delta files, SHA256SUMS and the manifest move on.
: >nginx-access.log
run_status "$CROWDFEED" publish --at 2026-11-27T22:00:00Z
assert_eq 0 "$STATUS" "an unchanged hour: $ERR"
for name in malicious-domains.txt malicious-domains.rpz non-malicious-domains.txt.gz; do
  cmp -s "h21/$name.minisig" "feeds/$name.minisig" || fail "$name.minisig changed in an hour without changes"
  ! grep -q "PUT /feeds/$name" nginx-access.log || fail "$name or its signature was uploaded again"
done
cmp -s h21/SHA256SUMS.minisig feeds/SHA256SUMS.minisig && fail "SHA256SUMS.minisig still names the last hour"
verify_all_with_minisign feeds keys/crowdfeed.pub
run_status "$CROWDFEED" verify --max-age 0 "$url"
assert_eq 0 "$STATUS" "verify the unchanged hour over HTTP: $OUT $ERR"
assert_contains "$OUT" "hour 2026-11-27T22:00:00Z" "the unchanged hour's verification"
cp -a feeds h22

# --- what must be rejected ----------------------------------------------------
# rejected NAME DIR EXPECTED: crowdfeed verify of DIR fails, saying EXPECTED.
rejected() {
  run_status "$CROWDFEED" verify --max-age 0 --public-key "$key" "$2"
  assert_eq 1 "$STATUS" "crowdfeed verify with $1"
  assert_contains "$OUT" "$3" "crowdfeed verify with $1"
}
# A byte changed in SHA256SUMS, and in a feed file (its size kept).
rm -rf t && cp -a h22 t
sed -i '1s/^./X/' t/SHA256SUMS
minisign -Vqm t/SHA256SUMS -P "$key" 2>/dev/null && fail "minisign accepts a changed SHA256SUMS"
rejected "a changed SHA256SUMS" t "FAILED: SHA256SUMS.minisig: the signature does not match the file's content"
rm -rf t && cp -a h22 t
sed -i '$s/^./x/' t/malicious-domains.txt
minisign -Vqm t/malicious-domains.txt -P "$key" 2>/dev/null && fail "minisign accepts a changed feed file"
(cd t && sha256sum --quiet -c SHA256SUMS >/dev/null 2>&1) && fail "sha256sum accepts a changed feed file"
rejected "a changed feed file" t "FAILED: malicious-domains.txt: "
# A signature made by another key, with the very same trusted comment.
"$CROWDFEED" keygen -o other >/dev/null
rm -rf t && cp -a h22 t
comment=$(minisign -QVm t/SHA256SUMS -P "$key")
minisign -S -s other/crowdfeed.key -m t/SHA256SUMS -t "$comment" </dev/null >/dev/null
minisign -Vqm t/SHA256SUMS -P "$key" 2>/dev/null && fail "minisign accepts another key's signature"
rejected "another key's signature" t "SHA256SUMS.minisig: signed by the key $(sed -n 's/^untrusted comment: minisign public key //p' other/crowdfeed.pub), which is not a key given"
# An old signature replayed beside newer files: minisign rejects it, its
# file being another.
rm -rf t && cp -a h22 t
cp h21/SHA256SUMS.minisig t/
minisign -Vqm t/SHA256SUMS -P "$key" 2>/dev/null && fail "minisign accepts the last hour's signature of SHA256SUMS"
rejected "the last hour's signature" t "SHA256SUMS.minisig: the signature does not match"
# The old file replayed with its own signature is a valid pair for
# minisign, whose trusted comment shows the old hour; crowdfeed verify
# rejects it by that hour.
cp h21/SHA256SUMS h21/SHA256SUMS.minisig t/
minisign -Vqm t/SHA256SUMS -P "$key" || fail "the old pair is no longer a valid signature"
assert_contains "$(minisign -QVm t/SHA256SUMS -P "$key")" "hour:2026-11-27T21:00:00Z" "the replayed pair's trusted comment"
rejected "the last hour's SHA256SUMS and its signature" t \
  "SHA256SUMS.minisig: signed for the hour 2026-11-27T21:00:00Z (version 202611272100), but SHA256SUMS is for the hour 2026-11-27T22:00:00Z"
# Feed files signed again by another key: one line for that key, however
# many files it signed.
rm -rf t && cp -a h22 t
for name in malicious-domains.txt malicious-domains.rpz non-malicious-domains.txt; do
  minisign -S -s other/crowdfeed.key -m "t/$name" -t "$(minisign -QVm "t/$name" -P "$key")" </dev/null >/dev/null
done
rejected "files signed by another key" t "... and 2 more signatures by the key "
assert_eq 1 "$(grep -c 'which is not a key given' <<<"$OUT")" "lines naming the unknown key"
# A file:// URL is the folder.
run_status "$CROWDFEED" verify --max-age 0 --public-key "$key" "file://$WORK/h22"
assert_eq 0 "$STATUS" "verify of a file:// URL: $OUT"
# A whole old copy (a stale mirror) is consistent, and too old for --max-age.
run_status "$CROWDFEED" verify --public-key "$key" --max-age 24 h21
assert_eq 1 "$STATUS" "verify --max-age of an old copy"
assert_contains "$OUT" "older than --max-age 24 (a stale copy?)" "verify --max-age"
# The server's copy changed behind the publisher's back.
echo "google.com" >>www/feeds/malicious-domains.txt
run_status "$CROWDFEED" verify --max-age 0 --public-key "$key" "$url"
assert_eq 1 "$STATUS" "verify a changed server copy"
assert_contains "$OUT" "FAILED: malicious-domains.txt: " "verify a changed server copy"
cp feeds/malicious-domains.txt www/feeds/
rm -f www/feeds/malicious-domains.txt.minisig
run_status "$CROWDFEED" verify --max-age 0 --public-key "$key" "$url"
assert_contains "$OUT" "FAILED: malicious-domains.txt.minisig: missing" "verify a server copy without a signature"

# An archived hour keeps its manifest's signature: verify --archive checks
# its lists against it, and finds a changed list or a manifest of another hour.
assert_contains "$(grep -c 'verify --archive HOUR' feeds/index.html)" 1 "the index page says what is signed"
for hour in 2026-11-27T21:00:00Z 2026-11-27T22:00:00Z; do
  run_status "$CROWDFEED" verify --public-key "$key" --archive "$hour" feeds
  assert_eq 0 "$STATUS" "verify --archive $hour: $OUT"
  assert_contains "$OUT" "verify: OK: the archived hour $hour" "verify --archive $hour"
done
run_status "$CROWDFEED" verify --public-key "$key" --archive 2026-11-27T22:00:00Z "$url"
assert_eq 0 "$STATUS" "verify --archive over HTTP: $OUT"
rm -rf t && cp -a feeds t
archived=t/archive/2026/11/27/22
gunzip -c "$archived/malicious-domains.txt.gz" | sed '1s/^./X/' | gzip -n >"$archived/changed.gz"
mv "$archived/changed.gz" "$archived/malicious-domains.txt.gz"
run_status "$CROWDFEED" verify --public-key "$key" --archive 2026-11-27T22:00:00Z t
assert_eq 1 "$STATUS" "verify --archive with a changed archived list"
assert_contains "$OUT" "FAILED: malicious-domains.txt.gz holds " "the changed archived list named"
rm -rf t && cp -a feeds t
cp t/archive/2026/11/27/21/manifest.json.gz t/archive/2026/11/27/22/manifest.json.gz
run_status "$CROWDFEED" verify --public-key "$key" --archive 2026-11-27T22:00:00Z t
assert_eq 1 "$STATUS" "verify --archive with another hour's manifest"
assert_contains "$OUT" "FAILED: manifest.json.minisig: " "the swapped manifest refused by its signature"

# A hostile mirror. A manifest whose signature fails is not even parsed.
rm -rf t && cp -a h22 t
printf '[[[[[[[[' >t/manifest.json
rejected "an unsigned manifest" t "FAILED: manifest.json.minisig: the signature does not match the file's content"
assert_eq 1 "$(grep -c FAILED <<<"$OUT")" "problems reported for an unsigned manifest (nothing it lists is read)"
# A server that answers slowly meets one deadline; one that sends an
# endless error page is cut short.
cat >hostile.py <<'PY'
import http.server, pathlib, sys, time
mode = sys.argv[1]
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        # padded: each file of h22 as it is, then more without end.
        path = pathlib.Path("h22") / self.path.lstrip("/")
        if mode == "padded" and not path.is_file():
            self.send_error(404)
            return
        if mode == "slow":
            time.sleep(30)
        self.send_response(200 if mode == "padded" else 404)
        self.end_headers()
        filler = b"not found " * 6554
        if mode == "padded":
            self.wfile.write(path.read_bytes())
            if not path.name.endswith((".txt", ".csv", ".json", ".gz")) or path.name == "manifest.json":
                return
            filler = b"evil.example\n" * 5000
        try:
            while True:
                self.wfile.write(filler)
        except OSError:
            pass
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
pathlib.Path(f"hostile-{mode}.port").write_text(str(server.server_address[1]))
server.serve_forever()
PY
for mode in slow endless padded; do
  python3 hostile.py $mode &
  SERVER_PIDS+=($!)
  for _ in $(seq 50); do [ -s hostile-$mode.port ] && break; sleep 0.1; done
done
run_status "$CROWDFEED" verify --max-age 0 --timeout 2 --public-key "$key" "http://127.0.0.1:$(cat hostile-slow.port)/"
assert_eq 1 "$STATUS" "verify against a server that does not answer"
assert_contains "$OUT" "FAILED: manifest.json: GET http://127.0.0.1:$(cat hostile-slow.port)/manifest.json: " \
  "verify against a server that does not answer"
run_status "$CROWDFEED" verify --max-age 0 --public-key "$key" "http://127.0.0.1:$(cat hostile-endless.port)/"
assert_eq 1 "$STATUS" "verify against an endless error page"
assert_contains "$OUT" "FAILED: manifest.json: GET http://127.0.0.1:$(cat hostile-endless.port)/manifest.json: HTTP status 404, with an answer longer than any error page needs" \
  "verify against an endless error page"
# A mirror that sends each feed file and then more, without end: reading
# stops one byte past the size the signed manifest gives.
run_status "$CROWDFEED" verify --max-age 0 --timeout 300 --public-key "$key" "http://127.0.0.1:$(cat hostile-padded.port)/"
assert_eq 1 "$STATUS" "verify against a mirror that pads every file"
size=$(stat -c %s h22/malicious-domains.txt)
assert_contains "$OUT" "FAILED: malicious-domains.txt: GET http://127.0.0.1:$(cat hostile-padded.port)/malicious-domains.txt: larger than $size bytes" \
  "verify stops at the signed size"

# --- a passphrase-protected key made by minisign -G ---------------------------
printf 'a passphrase\na passphrase\n' | minisign -G -p minisign.pub -s minisign.key >/dev/null
minisign_key=$(sed -n 2p minisign.pub)
write_config '[signing]
secret_key = "minisign.key"
passphrase_env = "FEED_KEY_PASSPHRASE"'
snapshot feeds >before.txt
cp state/last-inputs.json last-inputs-before.json
for passphrase in "" "not the passphrase"; do
  run_status env FEED_KEY_PASSPHRASE="$passphrase" "$CROWDFEED" publish --at 2026-11-27T23:00:00Z
  # A person must mend it: exit 2, as for a configuration error.
  assert_eq 2 "$STATUS" "a publication with the passphrase \"$passphrase\""
  if [ -z "$passphrase" ]; then
    assert_contains "$ERR" "\$FEED_KEY_PASSPHRASE, which should hold the signing key's passphrase, is not set or empty" \
      "a missing passphrase"
  else
    assert_contains "$ERR" "signing.secret_key $WORK/minisign.key: wrong passphrase for this secret key" "a wrong passphrase"
  fi
  assert_eq "$(cat before.txt)" "$(snapshot feeds)" "the feeds after a refused passphrase"
  assert_contains "$(cat state/last-run.json)" '"result": "failed"' "the run report after a refused passphrase"
done
cmp -s last-inputs-before.json state/last-inputs.json || fail "a refused passphrase changed what the last run recorded"
run_status env FEED_KEY_PASSPHRASE="a passphrase" "$CROWDFEED" publish --at 2026-11-27T23:00:00Z
assert_eq 0 "$STATUS" "a publication with minisign's key: $ERR"
(cd feeds && minisign -Vqm SHA256SUMS -P "$minisign_key" && minisign -Vqm manifest.json -P "$minisign_key") ||
  fail "minisign rejects the signatures by its own key"
[ ! -e feeds/malicious-domains.txt.minisig ] || fail "a feed's signature is left after sign_files was turned off"
[ ! -e www/feeds/malicious-domains.txt.minisig ] || fail "the server keeps a feed's signature after sign_files was turned off"
run_status "$CROWDFEED" verify --max-age 0 --public-key minisign.pub "$url"
assert_eq 0 "$STATUS" "verify the minisign key's signatures over HTTP: $OUT"
# The passphrase from a file, which others must not read.
echo "a passphrase" >passphrase.txt
chmod 644 passphrase.txt
write_config '[signing]
secret_key = "minisign.key"
passphrase_file = "passphrase.txt"'
run_status "$CROWDFEED" publish --at 2026-11-28T00:00:00Z
assert_eq 2 "$STATUS" "a passphrase file others may read"
assert_contains "$ERR" "signing.passphrase_file $WORK/passphrase.txt is readable by others (mode 0644); chmod 600 it" \
  "a passphrase file others may read"
chmod 600 passphrase.txt
run_status "$CROWDFEED" publish --at 2026-11-28T00:00:00Z
assert_eq 0 "$STATUS" "a passphrase from a file: $ERR"
minisign -Vqm feeds/SHA256SUMS -P "$minisign_key" || fail "minisign rejects the signature made with the file's passphrase"

# A public key beside the secret key that is another key's is refused
# before anything is written.
write_config '[signing]
secret_key = "minisign.key"
public_key = "other/crowdfeed.pub"
passphrase_file = "passphrase.txt"'
run_status "$CROWDFEED" publish --at 2026-11-28T00:00:00Z
assert_eq 2 "$STATUS" "a public key that is not the secret key's"
assert_contains "$ERR" "the public key $WORK/other/crowdfeed.pub (key " "a public key that is not the secret key's"

# --- a key rotation: the next key announced beside the signing one ------------
write_config "[signing]
secret_key = \"keys/crowdfeed.key\"
announce_public_keys = [\"$minisign_key\"]"
run_status "$CROWDFEED" publish --at 2026-11-28T01:00:00Z
assert_eq 0 "$STATUS" "a publication announcing a second key: $ERR"
python3 - feeds/manifest.json "$key" "$minisign_key" <<'PY' || fail "the manifest does not announce the second key"
import json, sys
signing = json.load(open(sys.argv[1]))["signing"]
assert signing["public_key"] == sys.argv[2], signing
assert [k["public_key"] for k in signing["announced_keys"]] == [sys.argv[3]], signing
PY
grep -qF "$minisign_key" feeds/index.html || fail "the index page does not announce the second key"
# A consumer who already holds both keys verifies across the switch.
run_status "$CROWDFEED" verify --max-age 0 --public-key minisign.pub --public-key "$key" "$url"
assert_eq 0 "$STATUS" "verify with both keys: $OUT"
run_status "$CROWDFEED" verify --max-age 0 --public-key minisign.pub "$url"
assert_eq 1 "$STATUS" "verify with the next key only, before the switch"

# A title too long for the trusted comments is refused before anything is written.
printf '[feeds]\ntitle = "%s"\n[signing]\nsecret_key = "keys/crowdfeed.key"\n' "$(printf 'x%.0s' $(seq 1100))" >long-title.toml
run_status "$CROWDFEED" -c long-title.toml publish --dry-run
assert_eq 2 "$STATUS" "a title over 1024 bytes with signing"
assert_contains "$ERR" "feeds.title is longer than 1024 bytes" "a title over 1024 bytes with signing"

# A key in a folder another user may write in, or owns, is refused as
# OpenSSH refuses such keys: that user could have put their own key there.
mkdir -m 700 shared-keys
cp -p keys/crowdfeed.key shared-keys/
chmod 777 shared-keys
printf '[feeds]\ntitle = "Test feeds"\n[signing]\nsecret_key = "shared-keys/crowdfeed.key"\n' >shared-key.toml
run_status "$CROWDFEED" -c shared-key.toml publish --dry-run
assert_eq 2 "$STATUS" "a key in a world-writable folder"
assert_contains "$ERR" "which others may write in (mode 0777)" "a key in a world-writable folder"
chmod 700 shared-keys
chown nobody shared-keys
run_status "$CROWDFEED" -c shared-key.toml publish --dry-run
assert_eq 2 "$STATUS" "a key in a folder of another user"
assert_contains "$ERR" "which belongs to another user" "a key in a folder of another user"
chown "$(id -u)" shared-keys
chown nobody shared-keys/crowdfeed.key
run_status "$CROWDFEED" -c shared-key.toml publish --dry-run
assert_eq 2 "$STATUS" "a key file of another user"
chown "$(id -u)" shared-keys/crowdfeed.key
run_status "$CROWDFEED" -c shared-key.toml publish --dry-run
assert_eq 0 "$STATUS" "the same key in a folder of its own: $ERR"

# --- signing stops --------------------------------------------------------------
write_config ""
"$CROWDFEED" -q publish --at 2026-11-28T02:00:00Z
# Earlier hours' archived manifests keep the signatures they were published with.
[ -z "$(find feeds www/feeds -name '*.minisig' -not -path '*/archive/*')" ] || fail "signatures are left after signing stopped"
[ ! -e feeds/archive/2026/11/28/02/manifest.json.minisig ] || fail "an hour archived unsigned has a signature"
[ -e feeds/archive/2026/11/28/01/manifest.json.minisig ] || fail "a signed hour's archived signature is gone"
grep -q '"signing"' feeds/manifest.json && fail "the manifest still names a signing key"
echo ok
