#!/usr/bin/env bash
# Prepares the fresh Debian that test_debian_package installs the package
# into: a minimal system made by debootstrap from this machine's own Debian
# mirror (the one apt uses), with the libraries the package depends on,
# systemd (sysusers, tmpfiles, systemd-analyze) and man-db already in it,
# so that the test itself installs offline with dpkg. Run as root by
# deploy/install-build-deps.sh --tests; does nothing when the root exists
# with the same packages.
#
#   tests/debian/prepare_root.sh [ROOT]   (default $CROWDFEED_DEBIAN_ROOT,
#                                          else /var/cache/crowdfeed-tests/debian-root)
set -euo pipefail

root=${1:-${CROWDFEED_DEBIAN_ROOT:-/var/cache/crowdfeed-tests/debian-root}}

suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
# The mirror apt already uses for this release's main component.
mirror=$(apt-get indextargets --format '$(REPO_URI) $(CODENAME) $(COMPONENT) $(TARGET_OF)' |
  awk -v suite="$suite" '$2 == suite && $3 == "main" && $4 == "deb" { print $1; exit }')
[ -n "$mirror" ] || { echo "prepare_root: apt knows no mirror for $suite main" >&2; exit 1; }

# What the package's Depends name (dpkg-shlibdeps and the postinst's
# tools); a new dependency makes the test's dpkg -i name it.
include=systemd,man-db,publicsuffix,libarchive13,libcsv3,libcurl4,libfmt9,libicu72,libpsl5,libsqlite3-0
include+=,libssl3,libstdc++6,libtomlplusplus3,zlib1g,libabsl20220623,libigraph3,libmicrohttpd12,libpq5,libsodium23,libisal2

# A root made for another list of packages is made again.
[ "$(cat "$root/.crowdfeed-ready" 2>/dev/null)" == "$include" ] && exit 0
rm -rf "$root.partial"
mkdir -p "$(dirname "$root")"
debootstrap --variant=minbase --include="$include" "$suite" "$root.partial" "$mirror" >"$root.log" 2>&1 ||
  { tail -n 20 "$root.log" >&2; exit 1; }
rm -rf "$root"
mv "$root.partial" "$root"
echo "$include" >"$root/.crowdfeed-ready"
