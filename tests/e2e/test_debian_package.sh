# The Debian package: cpack builds it from this build directory, lintian
# finds no error in it, every path it installs is the expected one, and it
# installs with dpkg into a fresh Debian (debootstrap's minimal system,
# prepared by tests/debian/prepare_root.sh): the crowdfeed user,
# /var/lib/crowdfeed (0750), a working binary, units that systemd-analyze
# verify accepts, a conffile that survives a reinstall and an upgrade, and a
# purge that removes the data. Everything in the fresh root runs in a
# network namespace of its own: the test downloads nothing. Needs root
# (chroot, unshare).
source "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || { echo "skipped: chroot and unshare need root"; exit 77; }
: "${BUILD_DIR:?run through ctest, which sets BUILD_DIR}"
: "${CPACK:?run through ctest, which sets CPACK}"
for tool in lintian dpkg-deb readelf unshare; do
  command -v "$tool" >/dev/null || fail "$tool is needed (bash deploy/install-build-deps.sh --tests)"
done
PREPARED=${CROWDFEED_DEBIAN_ROOT:-/var/cache/crowdfeed-tests/debian-root}
[ -e "$PREPARED/.crowdfeed-ready" ] ||
  fail "no fresh Debian in $PREPARED (bash deploy/install-build-deps.sh --tests prepares it)"
ARCH=$(dpkg --print-architecture)
ROOT=$WORK/root

# Whatever is mounted in the fresh root (its /proc, or what debootstrap
# left) is unmounted before the work folder is removed.
cleanup() {
  local mount
  for mount in $(awk -v root="$ROOT/" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r); do
    umount "$mount" || umount -l "$mount"
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

# in_root COMMAND...: runs COMMAND in the fresh root, with a clean
# environment and no network.
in_root() {
  unshare -n chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# as_crowdfeed COMMAND...: runs COMMAND in the fresh root as the service
# user, with the umask that the installed service sets.
as_crowdfeed() {
  local umask
  umask=$(sed -n 's/^UMask=//p' "$ROOT/usr/lib/systemd/system/crowdfeed.service")
  unshare -n chroot --userspec=crowdfeed:crowdfeed "$ROOT" env -i PATH=/usr/bin:/bin HOME=/var/lib/crowdfeed \
    sh -c 'umask "$1" && shift && cd / && exec "$@"' sh "${umask:?the service sets no UMask=}" "$@"
}

TIMES=()
started=$(date +%s)
step_done() {
  local now
  now=$(date +%s)
  TIMES+=("$1: $((now - started)) s")
  started=$now
}

# --- cmake --install under another prefix: the units name that prefix's
# binary, and installing again keeps an edited configuration (the new
# example goes beside it).
inst=$WORK/install
DESTDIR=$inst cmake --install "$BUILD_DIR" --prefix /usr >/dev/null
grep -qx 'ExecStart=/usr/bin/crowdfeed --config /etc/crowdfeed/crowdfeed.toml publish' \
  "$inst/usr/lib/systemd/system/crowdfeed.service" ||
  fail "cmake --install --prefix /usr: $(grep ExecStart= "$inst/usr/lib/systemd/system/crowdfeed.service")"
echo '# edited by the administrator' >>"$inst/etc/crowdfeed/crowdfeed.toml"
DESTDIR=$inst cmake --install "$BUILD_DIR" --prefix /usr >/dev/null
grep -qx '# edited by the administrator' "$inst/etc/crowdfeed/crowdfeed.toml" ||
  fail "cmake --install overwrote the edited configuration"
cmp -s "$SOURCE_DIR/deploy/crowdfeed.toml" "$inst/etc/crowdfeed/crowdfeed.toml.new" ||
  fail "cmake --install left the new example configuration nowhere"
step_done "cmake --install"

# --- The package, from this build directory.
"$CPACK" -G DEB --config "$BUILD_DIR/CPackConfig.cmake" -B "$WORK/pkg" >"$WORK/cpack.log" 2>&1 ||
  { cat "$WORK/cpack.log" >&2; fail "cpack -G DEB"; }
deb=$(echo "$WORK"/pkg/crowdfeed_*_"$ARCH".deb)
dbgsym=$(echo "$WORK"/pkg/crowdfeed-dbgsym_*_"$ARCH".ddeb)
[ -f "$deb" ] || fail "cpack made no crowdfeed_*_$ARCH.deb: $(ls "$WORK/pkg")"
[ -f "$dbgsym" ] || fail "cpack made no crowdfeed-dbgsym_*_$ARCH.ddeb: $(ls "$WORK/pkg")"
version=$(dpkg-deb -f "$deb" Version)
program_version=$("$CROWDFEED" --version | sed -n '1s/^crowdfeed //p')
[[ "$version" == "$program_version-"* ]] || fail "the package's version $version is not the binary's ($program_version)"
step_done "cpack"

# --- lintian: no error in either package (warnings are printed).
for package in "$deb" "$dbgsym"; do
  run_status lintian --allow-root --fail-on error --display-level '>=warning' "$package"
  echo "lintian $(basename "$package"):${OUT:+$'\n'$OUT}"
  [ "$STATUS" -eq 0 ] || fail "lintian found errors in $(basename "$package"): $OUT $ERR"
done
step_done "lintian"

# --- Every path in the package, and what the files say.
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./||; s|/$||' | grep -v '^$' | LC_ALL=C sort >"$WORK/paths"
LC_ALL=C sort >"$WORK/expected" <<'EOF'
etc
etc/crowdfeed
etc/crowdfeed/crowdfeed.toml
usr
usr/bin
usr/bin/crowdfeed
usr/lib
usr/lib/systemd
usr/lib/systemd/system
usr/lib/systemd/system/crowdfeed-serve.service
usr/lib/systemd/system/crowdfeed.service
usr/lib/systemd/system/crowdfeed.timer
usr/lib/sysusers.d
usr/lib/sysusers.d/crowdfeed.conf
usr/lib/tmpfiles.d
usr/lib/tmpfiles.d/crowdfeed.conf
usr/share
usr/share/bash-completion
usr/share/bash-completion/completions
usr/share/bash-completion/completions/crowdfeed
usr/share/doc
usr/share/doc/crowdfeed
usr/share/doc/crowdfeed/README.md
usr/share/doc/crowdfeed/changelog.Debian.gz
usr/share/doc/crowdfeed/copyright
usr/share/doc/crowdfeed/crowdfeed.cron
usr/share/doc/crowdfeed/docs
usr/share/doc/crowdfeed/docs/cluster-graph.png
usr/share/doc/crowdfeed/docs/community-dispute.png
usr/share/doc/crowdfeed/docs/community-home-phone.png
usr/share/doc/crowdfeed/docs/community-indicator.png
usr/share/doc/crowdfeed/docs/community-moderation.png
usr/share/doc/crowdfeed/docs/guide.md
usr/share/doc/crowdfeed/docs/index-page.png
usr/share/doc/crowdfeed/examples
usr/share/doc/crowdfeed/examples/nginx-crowdfeed-feeds.conf
usr/share/doc/crowdfeed/examples/nginx-crowdfeed-serve.conf
usr/share/man
usr/share/man/man1
usr/share/man/man1/crowdfeed.1.gz
usr/share/man/man5
usr/share/man/man5/crowdfeed.toml.5.gz
EOF
diff -u "$WORK/expected" "$WORK/paths" >&2 || fail "the package's paths differ from the expected ones"

x=$WORK/extracted
dpkg-deb -x "$deb" "$x"
dpkg-deb -e "$deb" "$x/DEBIAN"
[ -x "$x/usr/bin/crowdfeed" ] || fail "usr/bin/crowdfeed is not executable"
sections=$(readelf -S --wide "$x/usr/bin/crowdfeed")
[[ "$sections" != *" .debug_info "* && "$sections" != *" .symtab "* ]] || fail "usr/bin/crowdfeed is not stripped"
assert_contains "$sections" ".gnu_debuglink" "the binary's link to its debug file"
build_id=$(readelf -n "$x/usr/bin/crowdfeed" | sed -n 's/.*Build ID: *//p')
[ -n "$build_id" ] || fail "usr/bin/crowdfeed has no build ID"
assert_contains "$(dpkg-deb -c "$dbgsym")" "./usr/lib/debug/.build-id/${build_id:0:2}/${build_id:2}.debug" \
  "the dbgsym package's debug file for the binary's build ID"
assert_eq "/etc/crowdfeed/crowdfeed.toml" "$(cat "$x/DEBIAN/conffiles")" "DEBIAN/conffiles"
for script in postinst prerm postrm; do
  [ -x "$x/DEBIAN/$script" ] || fail "DEBIAN/$script is missing or not executable"
done
service=$x/usr/lib/systemd/system/crowdfeed.service
grep -qx 'ExecStart=/usr/bin/crowdfeed --config /etc/crowdfeed/crowdfeed.toml publish' "$service" ||
  fail "ExecStart does not run the installed binary: $(grep ExecStart= "$service")"
grep -qx 'Documentation=man:crowdfeed(1) man:crowdfeed.toml(5) file:///usr/share/doc/crowdfeed/README.md' "$service" ||
  fail "Documentation= does not name the installed documents: $(grep Documentation= "$service")"
for directive in Restart=on-failure RestartSec=5min 'RestartPreventExitStatus=2 3' UMask=0027 User=crowdfeed \
  ReadWritePaths=/var/lib/crowdfeed; do
  grep -qx "$directive" "$service" || fail "the service lacks $directive"
done
grep -q ' /usr/bin/crowdfeed --config /etc/crowdfeed/crowdfeed.toml ' "$x/usr/share/doc/crowdfeed/crowdfeed.cron" ||
  fail "the cron example does not run the installed binary"
assert_eq 'u crowdfeed - "crowdfeed feed publisher" /var/lib/crowdfeed' \
  "$(grep -v '^#' "$x/usr/lib/sysusers.d/crowdfeed.conf")" "the sysusers.d entry"
assert_eq 'd /var/lib/crowdfeed 0750 crowdfeed crowdfeed -' \
  "$(grep -v '^#' "$x/usr/lib/tmpfiles.d/crowdfeed.conf")" "the tmpfiles.d entry"
for page in "$x"/usr/share/man/man*/*.gz "$x/usr/share/doc/crowdfeed/changelog.Debian.gz"; do
  gzip -t "$page" || fail "$page is not valid gzip"
done
bash -n "$x/usr/share/bash-completion/completions/crowdfeed" || fail "the bash completion does not parse"
# Every file the package installs names its paths under /usr (the README
# and the guide describe installs under either prefix, so they may mention
# /usr/local).
leaks=$(grep -rIl --exclude=README.md --exclude=guide.md /usr/local "$x" || true)
for page in "$x"/usr/share/man/man*/*.gz; do
  if zgrep -q /usr/local "$page"; then leaks+=" $page"; fi
done
[ -z "$leaks" ] || fail "/usr/local in the package: $leaks"
step_done "package contents"

# --- A copy of the fresh Debian, and the package installed with dpkg (its
# dependencies are already there: a new one makes dpkg name it).
cp -a "$PREPARED" "$ROOT"
mount -t proc proc "$ROOT/proc"
mkdir "$ROOT/packages"
cp "$deb" "$ROOT/packages/"
run_status in_root dpkg -i "/packages/$(basename "$deb")"
[ "$STATUS" -eq 0 ] || fail "dpkg -i crowdfeed: $OUT $ERR"
step_done "fresh root and dpkg -i"

user=$(in_root getent passwd crowdfeed) || fail "no crowdfeed user after installation"
[[ "$user" == crowdfeed:x:*:*:crowdfeed\ feed\ publisher:/var/lib/crowdfeed:/usr/sbin/nologin ]] ||
  fail "the crowdfeed user: $user"
in_root getent group crowdfeed >/dev/null || fail "no crowdfeed group after installation"
assert_eq "750 crowdfeed:crowdfeed" "$(in_root stat -c '%a %U:%G' /var/lib/crowdfeed)" "/var/lib/crowdfeed"
# The same program (its version and commit; the libraries are the root's).
assert_eq "$("$CROWDFEED" --version | head -n 2)" "$(in_root crowdfeed --version | head -n 2)" \
  "crowdfeed --version in the fresh root"
in_root dpkg --verify crowdfeed || fail "dpkg --verify crowdfeed"
assert_contains "$(in_root dpkg-query -W -f='${Conffiles}' crowdfeed)" "/etc/crowdfeed/crowdfeed.toml" \
  "the installed package's conffiles"
[ ! -e "$ROOT/etc/systemd/system/timers.target.wants/crowdfeed.timer" ] ||
  fail "installing the package enabled the timer"

# The service's run (without systemd: the same user and umask): the votes
# database is private, the feeds are public.
past=$(date -u -d '-2 hours' +%Y-%m-%dT%H:00:00Z)
for voter in a b; do
  as_crowdfeed crowdfeed -q -c /etc/crowdfeed/crowdfeed.toml vote --malicious evil.example.com --voter $voter --at "$past"
done
as_crowdfeed crowdfeed -q -c /etc/crowdfeed/crowdfeed.toml publish
grep -qx evil.example.com "$ROOT/var/lib/crowdfeed/feeds/malicious-domains.txt" ||
  fail "the run as the crowdfeed user published no feed"
assert_eq "600 crowdfeed:crowdfeed" "$(in_root stat -c '%a %U:%G' /var/lib/crowdfeed/votes.db)" "the votes database"
# A monitoring user in the crowdfeed group runs the status check, and
# cannot read the votes (voter ids).
in_root useradd --system --no-create-home --groups crowdfeed monitor
run_status unshare -n chroot --userspec=monitor:monitor --groups=crowdfeed "$ROOT" env -i PATH=/usr/bin:/bin \
  sh -c 'cd / && crowdfeed -c /etc/crowdfeed/crowdfeed.toml status'
assert_eq 0 "$STATUS" "status as a member of the crowdfeed group: $OUT $ERR"
assert_contains "$OUT" "CROWDFEED OK" "status as a member of the crowdfeed group"
unshare -n chroot --userspec=monitor:monitor --groups=crowdfeed "$ROOT" cat /var/lib/crowdfeed/votes.db >/dev/null 2>&1 &&
  fail "a member of the crowdfeed group can read the votes database"
assert_eq "644" "$(in_root stat -c '%a' /var/lib/crowdfeed/feeds/malicious-domains.txt)" "a feed file"
# The feeds' folders stay readable by a web server, whatever the umask.
for folder in feeds feeds/by-hash feeds/by-hash/SHA256 feeds/archive; do
  assert_eq "755" "$(in_root stat -c '%a' /var/lib/crowdfeed/$folder)" "the folder $folder"
done
step_done "installed files and a run"

# --- systemd-analyze verify on the installed units (man-db is in the root,
# so the man: links are checked too). A copy whose ExecStart names a
# missing binary must fail the same check.
run_status in_root systemd-analyze verify crowdfeed.service crowdfeed.timer crowdfeed-serve.service
[ "$STATUS" -eq 0 ] || fail "systemd-analyze verify: $OUT $ERR"
mkdir "$ROOT/broken"
sed 's|^ExecStart=/usr/bin/crowdfeed |ExecStart=/usr/bin/crowdfeed-missing |' \
  "$ROOT/usr/lib/systemd/system/crowdfeed.service" >"$ROOT/broken/crowdfeed.service"
run_status in_root systemd-analyze verify /broken/crowdfeed.service
[ "$STATUS" -ne 0 ] || fail "systemd-analyze verify accepted a service whose binary is missing"
assert_contains "$ERR" "/usr/bin/crowdfeed-missing is not executable" "verify's complaint"
step_done "systemd-analyze verify"

# --- The conffile: an edit survives a reinstall of the same version, and an
# upgrade that ships a changed file (which dpkg then leaves beside it as
# .dpkg-dist). An enabled timer stays enabled across the upgrade.
echo '# edited by the administrator' >>"$ROOT/etc/crowdfeed/crowdfeed.toml"
edited=$(sha256sum <"$ROOT/etc/crowdfeed/crowdfeed.toml")
run_status in_root dpkg -i "/packages/$(basename "$deb")"
[ "$STATUS" -eq 0 ] || fail "dpkg -i, a reinstall: $OUT $ERR"
assert_eq "$edited" "$(sha256sum <"$ROOT/etc/crowdfeed/crowdfeed.toml")" "the edited configuration after a reinstall"

in_root systemctl enable crowdfeed.timer 2>/dev/null || fail "systemctl enable crowdfeed.timer"
[ -L "$ROOT/etc/systemd/system/timers.target.wants/crowdfeed.timer" ] || fail "systemctl enable crowdfeed.timer made no link"
# The next version: the same package with a changed configuration file.
next=$WORK/next
dpkg-deb -R "$deb" "$next"
echo '# a setting added in the next version' >>"$next/etc/crowdfeed/crowdfeed.toml"
sed -i "s/^Version: .*/Version: $version+next1/" "$next/DEBIAN/control"
(cd "$next" && find etc usr -type f -exec md5sum {} + >DEBIAN/md5sums)
dpkg-deb --root-owner-group --build "$next" "$ROOT/packages/crowdfeed_next.deb" >/dev/null
run_status in_root dpkg -i --force-confold /packages/crowdfeed_next.deb
[ "$STATUS" -eq 0 ] || fail "the upgrade: $OUT $ERR"
assert_eq "$version+next1" "$(in_root dpkg-query -W -f='${Version}' crowdfeed)" "the version after the upgrade"
assert_eq "$edited" "$(sha256sum <"$ROOT/etc/crowdfeed/crowdfeed.toml")" "the edited configuration after an upgrade"
grep -q '^# a setting added in the next version$' "$ROOT/etc/crowdfeed/crowdfeed.toml.dpkg-dist" ||
  fail "the upgrade left the new configuration nowhere"
[ -L "$ROOT/etc/systemd/system/timers.target.wants/crowdfeed.timer" ] || fail "the upgrade disabled the timer"
step_done "reinstall and upgrade"

# --- remove keeps the configuration and the data; purge deletes them and
# the timer's link, and leaves the user.
run_status in_root dpkg -r crowdfeed
[ "$STATUS" -eq 0 ] || fail "dpkg -r: $OUT $ERR"
[ ! -e "$ROOT/usr/bin/crowdfeed" ] || fail "remove left the binary"
[ -f "$ROOT/etc/crowdfeed/crowdfeed.toml" ] || fail "remove deleted the configuration"
[ -f "$ROOT/var/lib/crowdfeed/votes.db" ] || fail "remove deleted the votes database"
run_status in_root dpkg -P crowdfeed
[ "$STATUS" -eq 0 ] || fail "dpkg -P: $OUT $ERR"
[ ! -e "$ROOT/var/lib/crowdfeed" ] || fail "purge left /var/lib/crowdfeed"
[ ! -e "$ROOT/etc/crowdfeed" ] || fail "purge left /etc/crowdfeed: $(ls -A "$ROOT/etc/crowdfeed")"
[ ! -L "$ROOT/etc/systemd/system/timers.target.wants/crowdfeed.timer" ] || fail "purge left the timer enabled"
in_root getent passwd crowdfeed >/dev/null || fail "purge deleted the crowdfeed user"
step_done "remove and purge"

printf '%s\n' "${TIMES[@]}"
echo ok
