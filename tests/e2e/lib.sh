# Helpers for the end-to-end tests: each test runs the built binary in a
# fresh temporary directory that is removed afterwards.
# CTest sets CROWDFEED, GEN_VOTES, SOURCE_DIR, BUILD_DIR and CPACK.
set -euo pipefail

: "${CROWDFEED:?run through ctest, which sets CROWDFEED}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/crowdfeed-e2e.XXXXXX")
# cleanup: what every test does last (a test's own EXIT trap calls it too).
cleanup() {
  stop_postgres
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"

# The votes database's schema version this crowdfeed writes
# (VoteStore::kSchemaVersion).
SCHEMA_VERSION=8

# wall_clock TIME COMMAND...: runs COMMAND with this machine's clock reading
# TIME ("2026-11-29 02:10:00", UTC) through libfaketime, for runs that
# crowdfeed would otherwise refuse as being ahead of the clock. The
# monotonic clock (timeouts) stays real.
FAKETIME_LIBRARY=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
wall_clock() {
  [ -e "$FAKETIME_LIBRARY" ] || fail "libfaketime is needed (apt-get install faketime)"
  local time=$1
  shift
  TZ=UTC LD_PRELOAD=$FAKETIME_LIBRARY FAKETIME="@$time" FAKETIME_DONT_FAKE_MONOTONIC=1 "$@"
}

# start_server SCRIPT DIR [MODE]: starts tests/e2e/SCRIPT (one of the
# Python test servers) on 127.0.0.1 with its files in DIR, answering as MODE
# says, waits until it wrote DIR/port, and stops it when the test ends.
SERVER_PIDS=()
start_server() {
  mkdir -p "$2"
  [ -z "${3:-}" ] || echo "$3" >"$2/mode"
  python3 "$SOURCE_DIR/tests/e2e/$1" "$2" &
  SERVER_PIDS+=($!)
  trap 'kill "${SERVER_PIDS[@]}" 2>/dev/null || true; cleanup' EXIT
  for _ in $(seq 100); do
    [ -s "$2/port" ] && return 0
    sleep 0.1
  done
  fail "$1 did not start"
}

# free_port: a TCP port of 127.0.0.1 that nothing listens on now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# nginx_conf SERVERS: writes $WORK/nginx.conf, an nginx in the foreground
# with its pid, logs and temporary files in $WORK, and SERVERS (server
# blocks, or an include) in its http block.
nginx_conf() {
  mkdir -p "$WORK/nginx-temp"
  chown nobody "$WORK/nginx-temp"
  cat >"$WORK/nginx.conf" <<CONF
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events {}
http {
  access_log $WORK/nginx-access.log;
  client_body_temp_path $WORK/nginx-temp/body;
  proxy_temp_path $WORK/nginx-temp/proxy;
  fastcgi_temp_path $WORK/nginx-temp/fastcgi;
  uwsgi_temp_path $WORK/nginx-temp/uwsgi;
  scgi_temp_path $WORK/nginx-temp/scgi;
$1
}
CONF
}

# start_webdav_nginx PORT [DIRECTIVES]: Debian's nginx on 127.0.0.1:PORT,
# serving $WORK/www with WebDAV PUT and DELETE under /feeds/ (DIRECTIVES,
# such as authentication, go into that location), stopped when the test
# ends.
start_webdav_nginx() {
  local nginx
  nginx=$(command -v nginx || echo /usr/sbin/nginx)
  [ -x "$nginx" ] || fail "nginx is needed (deploy/install-build-deps.sh installs it)"
  chmod 755 "$WORK" # nginx's worker runs as nobody
  mkdir -p "$WORK/www/feeds"
  chown -R nobody "$WORK/www"
  nginx_conf "  server {
    listen 127.0.0.1:$1;
    root $WORK/www;
    location /feeds/ {
      dav_methods PUT DELETE;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
      client_max_body_size 100m;
      ${2:-}
    }
  }"
  "$nginx" -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log" &
  SERVER_PIDS+=($!)
  trap 'kill "${SERVER_PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; cleanup' EXIT
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && break; sleep 0.1; done
}

# start_squid ACL_FILE NAME...: Debian's Squid in the foreground on a free
# loopback port ($squid_port; pid in $squid_pid, files in $WORK/squid),
# denying the destinations ACL_FILE lists (acl dstdomain) and letting the
# rest through. Each NAME resolves to 127.0.0.1 through Squid's own hosts
# file; any other name is asked of 127.0.0.1:53 only, so nothing leaves
# the machine. Fails when `squid -k parse` complains of the file (Squid
# only warns of some overlapping entries there, and starts anyway). Waits
# until it accepts connections. `via_squid URL` prints the status Squid
# answers URL with.
start_squid() {
  local acl=$1 dir=$WORK/squid squid
  shift
  squid=$(command -v squid || echo /usr/sbin/squid)
  [ -x "$squid" ] || fail "squid is needed (deploy/install-build-deps.sh installs it)"
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    chmod 755 "$WORK" # started as root, squid runs as proxy
    chown proxy "$dir"
  fi
  squid_port=$(free_port)
  echo "127.0.0.1 $*" >"$dir/hosts"
  cat >"$dir/squid.conf" <<CONF
http_port 127.0.0.1:$squid_port
pid_filename $dir/squid.pid
cache_log $dir/cache.log
access_log stdio:$dir/access.log
cache_store_log none
coredump_dir $dir
netdb_filename none
cache deny all
visible_hostname crowdfeed-test
pinger_enable off
shutdown_lifetime 0 seconds
hosts_file $dir/hosts
dns_nameservers 127.0.0.1
dns_timeout 2 seconds
udp_incoming_address 127.0.0.1
udp_outgoing_address 127.0.0.1
acl crowdfeed dstdomain -n "$acl"
http_access deny crowdfeed
http_access allow localhost
http_access deny all
CONF
  "$squid" -k parse -f "$dir/squid.conf" 2>"$dir/parse.txt" || fail "squid -k parse: $(cat "$dir/parse.txt")"
  local complaints
  complaints=$(grep -E 'WARNING|Warning|ERROR|FATAL' "$dir/parse.txt" || true)
  [ -z "$complaints" ] || fail "squid -k parse complains: $complaints"
  "$squid" -N -f "$dir/squid.conf" >"$dir/squid.out" 2>&1 &
  squid_pid=$!
  SERVER_PIDS+=($squid_pid)
  trap 'kill "${SERVER_PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; cleanup' EXIT
  for _ in $(seq 200); do
    grep -m 1 'Accepting HTTP Socket connections' "$dir/cache.log" >/dev/null 2>&1 && return 0
    kill -0 "$squid_pid" 2>/dev/null || break
    sleep 0.05
  done
  fail "squid did not start: $(tail -n 5 "$dir/cache.log" "$dir/squid.out" 2>/dev/null)"
}
via_squid() {
  curl -s --noproxy '' -x "http://127.0.0.1:$squid_port" -m 20 -o /dev/null -w '%{http_code}' "$1" || true
}

# start_serve PORT LOG: starts `crowdfeed serve` (its configuration from
# CROWDFEED_CONFIG) with its output in LOG, its pid in $server, and waits
# until it answers /healthz on 127.0.0.1:PORT.
start_serve() {
  "$CROWDFEED" serve >"$2" 2>&1 &
  server=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0
    sleep 0.1
  done
  fail "crowdfeed serve did not start: $(tail -n 3 "$2")"
}

# start_unbound FEED_CONF NAME...: a real Unbound on a free loopback port
# ($dns_port, kept across calls), in the foreground with its pid in
# $unbound_pid, including FEED_CONF (a feed's .unbound.conf) and answering
# the local zone "example." with an address for each NAME (so that a name
# the feed does not block answers NOERROR). Waits until it answers the
# first NAME. `dns_query NAME` prints the status of its answer for NAME.
start_unbound() {
  local feed=$1 name number=1
  shift
  dns_port=${dns_port:-$(free_port)}
  {
    printf 'server:
  interface: 127.0.0.1@%s
  port: %s
  do-ip6: no
  do-daemonize: no
' "$dns_port" "$dns_port"
    printf '  chroot: ""
  username: ""
  directory: "%s"
  pidfile: ""
  use-syslog: no
' "$WORK"
    printf '  logfile: "%s/unbound.log"
  access-control: 127.0.0.0/8 allow
  module-config: "iterator"
' "$WORK"
    printf '  local-zone: "example." static
'
    for name in "$@"; do
      printf '  local-data: "%s. A 192.0.2.%s"
' "$name" "$number"
      number=$((number + 1))
    done
    printf 'include: "%s"
' "$feed"
  } >"$WORK/unbound.conf"
  unbound -c "$WORK/unbound.conf" &
  unbound_pid=$!
  for _ in $(seq 50); do [ -n "$(dns_query "$1")" ] && return 0; sleep 0.1; done
  fail "unbound did not start: $(tail -n 3 "$WORK/unbound.log" 2>/dev/null)"
}
dns_query() {
  dig +time=2 +tries=1 -p "$dns_port" @127.0.0.1 "$1" A | grep -o 'status: [A-Z]*' | cut -d' ' -f2
}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# assert_eq EXPECTED ACTUAL WHAT
assert_eq() {
  [ "$1" == "$2" ] || fail "$3: expected [$1], got [$2]"
}

# assert_contains TEXT NEEDLE WHAT
assert_contains() {
  [[ "$1" == *"$2"* ]] || fail "$3: [$1] does not contain [$2]"
}

# run_status COMMAND...: runs it, keeping stdout in $OUT, stderr in $ERR and
# the exit code in $STATUS, whatever it is.
run_status() {
  set +e
  "$@" >"$WORK/.out" 2>"$WORK/.err"
  STATUS=$?
  set -e
  OUT=$(cat "$WORK/.out")
  ERR=$(cat "$WORK/.err")
}

# The domains of a plain feed file: its lines that are not comments.
domains_of() {
  grep -v '^#' "$1" || true
}

# A fingerprint of every file in a directory (names, sizes, contents, inodes).
snapshot() {
  (cd "$1" && find . -type f -printf '%p %s %i\n' | sort && cat $(find . -type f | sort) | sha256sum)
}

# The regular files under a directory, relative to it, one a line, sorted.
files_under() {
  (cd "$1" && find . -type f -printf '%P\n' | LC_ALL=C sort)
}

# assert_by_hash_consistent DIR WHAT: every by-hash object in DIR holds the
# content its name says, and every file DIR's manifest lists is there under
# its by_hash name.
assert_by_hash_consistent() {
  local dir=$1 what=$2 wrong path
  if [ -d "$dir/by-hash/SHA256" ]; then
    wrong=$(cd "$dir/by-hash/SHA256" && find . -maxdepth 1 -type f -printf '%f\0' | xargs -0r sha256sum |
      awk '$1 != $2 { print $2 }')
    [ -z "$wrong" ] || fail "$what: by-hash files that do not hold what their names say: $wrong"
  fi
  for path in $(grep -o '"by_hash": "[^"]*"' "$dir/manifest.json" | cut -d'"' -f4); do
    [ -f "$dir/$path" ] || fail "$what: the manifest lists $path, which is not there"
  done
}

# add_oddly_named_file FEEDS_DIR: a file under FEEDS_DIR/archive whose name
# holds every character a URL or an SFTP command must encode or quote; the
# upload tests check that it reaches each destination under its own name.
ODD_NAME="notes/a b+c&d=e#f?g%h'i\"j é.txt"
add_oddly_named_file() {
  mkdir -p "$1/archive/notes"
  printf 'a note beside the archive\n' >"$1/archive/$ODD_NAME"
}

# PostgreSQL, for the votes store's second backend. start_postgres starts
# a server of Debian's postgresql package in $WORK/pg, listening on a Unix
# socket there only (no TCP port), as the postgres user when run as root,
# and exports the libpq variables that reach it; cleanup stops it.
PG_DIR=
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
start_postgres() {
  PG_BIN=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1)
  [ -n "$PG_BIN" ] || fail "PostgreSQL is needed (apt-get install postgresql)"
  PG_DIR=$WORK/pg
  mkdir -p "$PG_DIR"
  if [ "$(id -u)" -eq 0 ]; then
    chmod o+x "$WORK"
    chown postgres "$PG_DIR"
  fi
  as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U crowdfeed -E UTF8 --no-sync >"$PG_DIR/initdb.log" ||
    fail "initdb failed: $(cat "$PG_DIR/initdb.log")"
  # A port number of its own names its socket and shared memory, so that
  # tests running side by side never meet.
  PG_PORT=$(free_port)
  pg_ctl_ start
  export PGHOST=$PG_DIR PGPORT=$PG_PORT PGUSER=crowdfeed PGDATABASE=postgres
  psql -qX -c 'CREATE DATABASE crowdfeed' >/dev/null
  export PGDATABASE=crowdfeed
}
# pg_ctl_ start|stop|restart [ARGS...]: the test's server.
pg_ctl_() {
  local action=$1
  shift
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-k $PG_DIR -c listen_addresses='' -p $PG_PORT" "$action" "$@" >/dev/null
}
stop_postgres() {
  [ -n "$PG_DIR" ] && [ -e "$PG_DIR/data/postmaster.pid" ] || return 0
  pg_ctl_ stop -m immediate 2>/dev/null || true
}
# pg_sql SQL: a query's rows on the test's server, fields separated by |.
pg_sql() {
  psql -qXAt -v ON_ERROR_STOP=1 -c "$1"
}

# The backend a test's votes go to: sqlite, or, when CTest runs the test's
# postgresql variant (CROWDFEED_TEST_BACKEND=postgresql), PostgreSQL, chosen
# through CROWDFEED_STORE so that the test's configuration stays as it is.
BACKEND=${CROWDFEED_TEST_BACKEND:-sqlite}
if [ "$BACKEND" = postgresql ]; then
  start_postgres
  export CROWDFEED_STORE=postgresql:
fi
# votes_sql FILE SQL: a query's rows (fields separated by |) on the votes
# store: the SQLite database FILE, or the test's PostgreSQL.
votes_sql() {
  if [ "$BACKEND" = postgresql ]; then pg_sql "$2"; else sqlite3 "$1" "$2"; fi
}
# votes_dump FILE: every byte the votes store holds, as far as a test can
# read it: the SQLite database FILE with its -wal, or a dump of the test's
# PostgreSQL database.
votes_dump() {
  if [ "$BACKEND" = postgresql ]; then pg_dump --data-only; else cat "$1"*; fi
}
