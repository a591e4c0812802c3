# Uploads over SFTP to Debian's OpenSSH server, started on a high loopback
# port with a test key: temporary name then rename, the host key checked
# against known_hosts or a fingerprint.
source "$(dirname "$0")/lib.sh"

[ -x /usr/sbin/sshd ] || fail "sshd is needed (deploy/install-build-deps.sh --tests installs openssh-server)"
[ "$(id -u)" -eq 0 ] || { echo "skipped: sshd needs root for privilege separation"; exit 77; }
ssh-keygen -q -t ed25519 -N '' -f host_key
ssh-keygen -q -t ed25519 -N '' -f client_key
cp client_key.pub authorized_keys
mkdir -p remote /run/sshd
port=$(free_port)
cat >sshd_config <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $WORK/host_key
AuthorizedKeysFile $WORK/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
PidFile $WORK/sshd.pid
Subsystem sftp internal-sftp
CONF
/usr/sbin/sshd -D -e -f "$WORK/sshd_config" 2>sshd.log &
sshd_pid=$!
trap 'kill $sshd_pid 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 host_key.pub)" >known_hosts

cat >crowdfeed.toml <<TOML
[feeds]
formats = ["txt", "rpz"]
[[destinations]]
name = "sftp"
url = "sftp://root@127.0.0.1:$port$WORK/remote/feeds"
key = "client_key"
known_hosts = "known_hosts"
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
"$CROWDFEED" -q import-votes "$SOURCE_DIR/deploy/sample-votes.csv"
add_oddly_named_file feeds
run_status "$CROWDFEED" publish --at 2026-11-27T21:00:00Z
assert_eq 0 "$STATUS" "publish over SFTP: $ERR"
diff -r feeds remote/feeds >/dev/null || fail "the SFTP server does not hold the published files"
assert_by_hash_consistent remote/feeds "the SFTP server"

# A change replaces the files it touches; no temporary file stays behind.
for voter in a b; do "$CROWDFEED" -q vote --malicious fresh.example --voter $voter --at 2026-11-27T21:30:00Z; done
run_status "$CROWDFEED" publish --at 2026-11-27T22:00:00Z
assert_eq 0 "$STATUS" "second publish over SFTP: $ERR"
diff -r feeds remote/feeds >/dev/null || fail "the SFTP server does not hold the new files"
grep -qx fresh.example remote/feeds/malicious-domains.txt || fail "the changed feed did not replace the old one"
[ -z "$(find remote -name '.*.upload')" ] || fail "temporary upload files were left behind"

# Three hours after 21:00, what only the 21:00 manifest listed is removed.
run_status "$CROWDFEED" publish --at 2026-11-28T00:00:00Z
assert_eq 0 "$STATUS" "the pruning run: $ERR"
[[ "$ERR" == *", 0 superseded deleted"* ]] && fail "nothing was deleted: $ERR"
diff -r feeds remote/feeds >/dev/null || fail "the SFTP server and the feeds differ after pruning"
assert_by_hash_consistent remote/feeds "the SFTP server after pruning"

# With its state file lost, a run asks the server for each by-hash file's
# size instead of sending it again (the named files it sends again).
rm -r state/destinations
run_status "$CROWDFEED" publish --at 2026-11-28T00:00:00Z
assert_eq 0 "$STATUS" "publish after losing the state: $ERR"
objects=$(grep -c '"by_hash"' feeds/manifest.json)
assert_contains "$ERR" "$objects unchanged" "by-hash files found on the server"

# A server whose host key does not match is refused, not retried.
sed -i '/^known_hosts/d' crowdfeed.toml
echo 'host_key_sha256 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"' >>crowdfeed.toml
for voter in a b; do "$CROWDFEED" -q vote --malicious another.example --voter $voter --at 2026-11-28T00:30:00Z; done
run_status "$CROWDFEED" publish --at 2026-11-28T01:00:00Z
assert_eq 1 "$STATUS" "exit code with a wrong host key"
assert_contains "$ERR" "mismatch sha256 fingerprint" "host key failure"
[[ "$ERR" == *retrying* ]] && fail "a host key mismatch was retried"
grep -qx another.example remote/feeds/malicious-domains.txt && fail "a file reached a server that failed verification"
echo ok
