#!/usr/bin/env bash
# Installs everything crowdfeed needs to build and to run its tests, from
# Debian 12's packages. Run as root (or with sudo available).
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ pkg-config
  # libraries
  libsqlitecpp-dev libsqlite3-dev libfmt-dev libhowardhinnant-date-dev libcli11-dev libtomlplusplus-dev
  libidn2-dev libpsl-dev publicsuffix libcurl4-openssl-dev libssl-dev nlohmann-json3-dev libcsv-dev
  libarchive-dev
  catch2
  # tests: the sqlite3 shell as an independent oracle, strace for the kill
  # test, flock and pkill for the lock test, python3 for JSON checks
  sqlite3 strace util-linux procps python3 ca-certificates
  # tests: the real tools that import the feeds
  bind9-utils bind9-dnsutils unbound dnsmasq-base
  # tests: the servers that destinations upload to
  nginx openssl
)

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
