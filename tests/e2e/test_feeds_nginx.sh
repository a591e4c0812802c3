# The shipped nginx site for the feeds (deploy/nginx-crowdfeed-feeds.conf)
# serves what crowdfeed publishes as fetchers expect: strong ETag and
# Last-Modified, 304 for If-None-Match and If-Modified-Since, HEAD, the
# published .gz copy only with Accept-Encoding: gzip (Vary), STIX's media
# type, Cache-Control until five past the next hour, immutable by-hash
# copies; and an hour that leaves a file unchanged keeps its validators.
source "$(dirname "$0")/lib.sh"

nginx=$(command -v nginx || echo /usr/sbin/nginx)
{
  echo "indicator,vote,voter,cast_at"
  for voter in a b; do
    for value in evil.example.net 45.33.32.156; do echo "$value,malicious,$voter,2026-11-27T20:00:00Z"; done
  done
} >votes.csv
"$CROWDFEED" -q import-votes votes.csv
cat >crowdfeed.toml <<'TOML'
[feeds]
formats = ["txt", "stix", "squid"]
ip_formats = ["txt", "stix"]
hash_formats = ["txt"]
TOML
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
"$CROWDFEED" -q publish --at 2026-11-27T21:00:00Z 2>err.txt || fail "publish: $(cat err.txt)"
chmod -R a+rX feeds

# start_feeds_nginx [TIME]: the shipped site on a free loopback port
# ($port), serving feeds/, its clock reading TIME when given (libfaketime).
port=$(free_port)
start_feeds_nginx() {
  chmod 755 "$WORK" # nginx's worker runs as nobody
  sed -e "s|listen 80;|listen 127.0.0.1:$port;|" -e '/listen \[::\]:80;/d' \
    -e "s|root /var/lib/crowdfeed/feeds;|root $WORK/feeds;|" "$SOURCE_DIR/deploy/nginx-crowdfeed-feeds.conf" >site.conf
  grep -m 1 "root $WORK/feeds;" site.conf >/dev/null || fail "the site's root was not found to replace"
  nginx_conf "  include $WORK/site.conf;"
  "$nginx" -t -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log" 2>nginx-test.txt || fail "nginx -t: $(cat nginx-test.txt)"
  local warnings
  warnings=$(grep -E '\[(warn|emerg|alert|crit)\]' nginx-test.txt || true)
  [ -z "$warnings" ] || fail "nginx -t warns: $warnings"
  if [ -n "${1:-}" ]; then
    # exec: $! is nginx itself, which SIGQUIT then stops.
    wall_clock "$1" exec "$nginx" -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log" &
  else
    TZ=UTC "$nginx" -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log" &
  fi
  nginx_pid=$!
  SERVER_PIDS+=($nginx_pid)
  trap 'kill "${SERVER_PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; cleanup' EXIT
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  fail "nginx did not start: $(tail -n 3 nginx-error.log)"
}
stop_nginx() {
  kill -QUIT "$nginx_pid"
  wait "$nginx_pid" || true
}
# get PATH [CURL ARGS...]: the status in $CODE, the body's size in $SIZE,
# the headers in headers.txt, the body in body.
get() {
  local path=$1
  shift
  CODE=$(curl -s --noproxy '*' -D headers.raw -o body -w '%{http_code} %{size_download}' "$@" \
    "http://127.0.0.1:$port$path") || fail "curl $path"
  SIZE=${CODE#* }
  CODE=${CODE%% *}
  tr -d '\r' <headers.raw >headers.txt
}
header() {
  local line
  line=$(grep -i -m 1 "^$1:" headers.txt || true)
  echo "${line#*: }"
}
sha() {
  local sum
  sum=$(sha256sum "$1")
  echo "${sum%% *}"
}

start_feeds_nginx
txt=feeds/malicious-domains.txt
get /malicious-domains.txt
assert_eq 200 "$CODE" "GET"
assert_eq "$(sha $txt)" "$(sha body)" "the plain body"
etag=$(header ETag)
last_modified=$(header Last-Modified)
assert_eq "$(printf '"%x-%x"' "$(stat -c %Y $txt)" "$(stat -c %s $txt)")" "$etag" "a strong ETag from the file"
assert_eq "$(LC_ALL=C date -u -d "@$(stat -c %Y $txt)" '+%a, %d %b %Y %H:%M:%S GMT')" "$last_modified" \
  "Last-Modified from the file"
assert_eq "text/plain; charset=utf-8" "$(header Content-Type)" "the type of a list"
assert_eq "Accept-Encoding" "$(header Vary)" "Vary"
assert_eq "" "$(header Content-Encoding)" "Content-Encoding unasked"
[[ "$(header Cache-Control)" =~ ^max-age=[0-9]+$ ]] || fail "Cache-Control of a feed: $(header Cache-Control)"

get /malicious-domains.txt -H "If-None-Match: $etag"
assert_eq "304 0" "$CODE $SIZE" "If-None-Match"
get /malicious-domains.txt -H "If-Modified-Since: $last_modified"
assert_eq 304 "$CODE" "If-Modified-Since"
get /malicious-domains.txt -H 'If-None-Match: "0-0"'
assert_eq 200 "$CODE" "If-None-Match with another ETag"
get /malicious-domains.txt -I
assert_eq "200 0 $etag" "$CODE $SIZE $(header ETag)" "HEAD"
assert_eq "$(stat -c %s $txt)" "$(header Content-Length)" "HEAD's Content-Length"

get /malicious-domains.txt -H 'Accept-Encoding: gzip'
assert_eq "gzip" "$(header Content-Encoding)" "gzip when asked"
assert_eq "$(sha $txt.gz)" "$(sha body)" "the published .gz copy"
get /malicious-domains.txt -H 'Accept-Encoding: br'
assert_eq "" "$(header Content-Encoding)" "no gzip unasked"

get /malicious-domains.stix.json
assert_eq "application/stix+json;version=2.1" "$(header Content-Type)" "a STIX bundle's type"
get /manifest.json
assert_eq "public, max-age=60" "$(header Cache-Control)" "the manifest's lifetime"
get "/by-hash/SHA256/$(sha $txt)"
assert_eq "200 public, max-age=31536000, immutable" "$CODE $(header Cache-Control)" "a by-hash copy"

# An hour that changes the domains only: the IP list keeps its validators
# and answers 304 to them; the domain list has new ones.
get /malicious-ips.txt
ip_etag=$(header ETag)
ip_modified=$(header Last-Modified)
sleep 1 # a rewritten file would get a later mtime
{
  echo "indicator,vote,voter,cast_at"
  for voter in a b; do echo "new.example.org,malicious,$voter,2026-11-27T21:10:00Z"; done
} >votes2.csv
"$CROWDFEED" -q import-votes votes2.csv
"$CROWDFEED" -q publish --at 2026-11-27T22:00:00Z 2>err.txt || fail "publish: $(cat err.txt)"
get /malicious-ips.txt -H "If-None-Match: $ip_etag"
assert_eq 304 "$CODE" "an unchanged list's ETag in the next hour"
get /malicious-ips.txt
assert_eq "$ip_etag $ip_modified" "$(header ETag) $(header Last-Modified)" "an unchanged list's validators"
get /malicious-domains.txt -H "If-None-Match: $etag"
assert_eq 200 "$CODE" "a changed list with its old ETag"
assert_contains "$(cat body)" "new.example.org" "the changed list"
stop_nginx

# Cache-Control at given times of day: until five past the next hour, or
# five past this one in an hour's first five minutes.
for at in "10:03:00 120" "10:30:00 2100" "23:59:30 330"; do
  start_feeds_nginx "2026-11-29 ${at% *}"
  get /malicious-domains.txt
  assert_eq "max-age=${at#* }" "$(header Cache-Control)" "Cache-Control at ${at% *}"
  stop_nginx
done
