#!/usr/bin/env bash
# Installs what crowdfeed needs to build, from Debian 12's packages; with
# --tests, also what its tests run: the real tools and servers they start
# on 127.0.0.1 (and the S3 test server and AdGuard's list parser from the
# npm registry, and a minimal Debian for the package test from apt's own
# mirror). Run as root
# (or with sudo available).
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ pkg-config
  # libraries
  libsqlitecpp-dev libsqlite3-dev libfmt-dev libhowardhinnant-date-dev libcli11-dev libtomlplusplus-dev
  libicu-dev libpsl-dev publicsuffix libcurl4-openssl-dev libssl-dev nlohmann-json3-dev libcsv-dev
  libarchive-dev zlib1g-dev libabsl-dev libigraph-dev libmicrohttpd-dev libpq-dev libsodium-dev libisal-dev
  catch2
  # the Debian package (cpack -G DEB): dpkg-shlibdeps, file, objcopy and readelf
  dpkg-dev file binutils
)
tests=false
[ "${1:-}" == "--tests" ] && tests=true
if $tests; then
  packages+=(
    # the sqlite3 shell as an independent oracle, strace for the kill test,
    # flock and pkill for the lock test, python3 for the test servers
    sqlite3 strace util-linux procps python3 ca-certificates
    # libfaketime sets the wall clock for runs that would be ahead of it
    faketime
    # the real tools that import the feeds
    bind9-utils bind9-dnsutils unbound dnsmasq-base
    # the servers that destinations upload to, and botocore's SigV4 signer
    nginx openssl python3-botocore openssh-server openssh-client
    # promtool checks the metrics file; headless Chromium opens the index page
    # and the community pages
    prometheus chromium
    # named serves the RPZ zone to a secondary in the zone transfer test
    bind9
    # the IP and hash feeds' consumers: firewall sets, ClamAV
    ipset nftables clamav
    # clang, its libFuzzer and sanitizer runtimes: the sanitized suite and fuzzing
    clang
    # the format check (clang-format) and the optional clang-tidy build
    clang-format clang-tidy
    # the manual pages checked with man and groff, the bash completion loaded
    # as bash-completion does, script(1) for a terminal in the progress test
    man-db groff-base bash-completion bsdutils
    # the package test: lintian, and a fresh Debian to install the package in
    lintian debootstrap debian-archive-keyring
    # networkx reads the cluster graphs back; Graphviz draws the DOT file
    python3-networkx graphviz
    # the vote server's tests and load test
    curl wrk
    # the PostgreSQL votes store's tests start a server of their own
    postgresql
    # minisign verifies the signatures crowdfeed writes, and makes a key of its own
    minisign
    # the security tools' consumers: Squid reads the dstdomain ACLs; scapy
    # writes the packet captures Suricata (from bookworm-backports, below)
    # reads; jq reads Suricata's eve.json
    squid python3-scapy jq
    # MISP's JSON schema of events is checked with jsonschema
    python3-jsonschema
    # the .gz copies are checked with gzip -t
    gzip
  )
  command -v npm >/dev/null || packages+=(nodejs npm)
fi

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
if $tests; then
  # Suricata 7 and suricata-update come from Debian's bookworm-backports.
  backports=/etc/apt/sources.list.d/bookworm-backports.sources
  if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d/; then
    # From the mirror apt already uses for bookworm's main component.
    mirror=$(apt-get indextargets --format '$(REPO_URI) $(CODENAME) $(COMPONENT) $(TARGET_OF)' |
      awk '!found && $2 == "bookworm" && $3 == "main" && $4 == "deb" { print $1; found = 1 }')
    [ -n "$mirror" ] || { echo "install-build-deps: apt knows no mirror for bookworm main" >&2; exit 1; }
    printf '%s\n' "Types: deb" "URIs: $mirror" "Suites: bookworm-backports" \
      "Components: main" "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" |
      "${sudo[@]}" tee "$backports" >/dev/null
  fi
fi
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
if $tests; then
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends -t bookworm-backports suricata suricata-update >/dev/null
  # The tests run Suricata and Squid offline, never as services.
  for service in suricata squid; do
    "${sudo[@]}" systemctl disable --now "$service" >/dev/null 2>&1 || true
  done
  # The S3-compatible test server, at the version package-lock.json pins.
  npm ci --prefix "$(dirname "$0")/../tests/s3" --no-audit --no-fund --loglevel=error
  # AdGuard's filter-list parser, which reads the adblock feeds back.
  npm ci --prefix "$(dirname "$0")/../tests/adguard" --no-audit --no-fund --loglevel=error
  # ajv and the OASIS STIX pattern grammar's parser (generated with
  # antlr-ng), which check the STIX bundles.
  npm ci --prefix "$(dirname "$0")/../tests/stix" --no-audit --no-fund --loglevel=error
  npm run --prefix "$(dirname "$0")/../tests/stix" --silent gen:pattern
  # puppeteer-core (drives Debian's chromium) and axe-core, for the
  # community pages' browser test.
  npm ci --prefix "$(dirname "$0")/../tests/browser" --no-audit --no-fund --loglevel=error
  # The fresh Debian the package test installs into, from apt's own mirror
  # (the test then installs offline).
  "${sudo[@]}" bash "$(dirname "$0")/../tests/debian/prepare_root.sh"
fi
