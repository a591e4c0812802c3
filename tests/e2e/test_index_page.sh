# The index page: a static, self-contained feeds/index.html, opened in
# headless Chromium (Debian's chromium) with every host name unresolvable.
# The parsed page must hold the files table with a row per published file
# and a chart per feed, Chromium must report no console error and no
# request, and its screenshot must show the charts' lines.
source "$(dirname "$0")/lib.sh"

chromium=$(command -v chromium || true)
[ -n "$chromium" ] || fail "chromium is needed (deploy/install-build-deps.sh --tests installs it)"
export CROWDFEED_CONFIG=$WORK/crowdfeed.toml
printf '[feeds]\ntitle = "crowdfeed <test> & co"\npublic_url = "https://feeds.example.net/cf"\n' >crowdfeed.toml
"$GEN_VOTES" --votes 3000 --domains 600 --seed 3 --now 1795780800 --csv votes.csv
"$CROWDFEED" -q import-votes votes.csv
# Six hours of history, the malicious feed growing by a few domains each hour.
for hour in 16 17 18 19 20 21; do
  for n in 1 2 3 4 5 6 7 8; do
    for voter in a b; do "$CROWDFEED" -q vote --malicious "h$hour-$n.example" --voter $voter --at "2026-11-27T$((hour - 1)):30:00Z"; done
  done
  "$CROWDFEED" -q publish --at "2026-11-27T$hour:00:00Z"
done
page=feeds/index.html
# Headless, offline: every host name resolves to nothing.
browser=("$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
  --disable-background-networking --disable-component-update --disable-sync --disable-extensions
  --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$WORK/profile")

# Self-contained: no script, stylesheet link, image or frame source, import or url().
grep -qiE '<script|<link|<img|<iframe|src=|@import|url\(' "$page" && fail "the page loads something: $(grep -oiE '<script|<link|<img|<iframe|src=|@import|url\(' "$page" | head -n 1)"
grep -q 'crowdfeed &lt;test&gt; &amp; co feeds' "$page" || fail "the title is not escaped"
grep -q 'read no gzip' "$page" || fail "the page does not say which tools read no gzip"
grep -q 'Found a false positive? <a href="https://example.org/crowdfeed/">Report it</a>' "$page" || fail "no report link"
grep -q '<code>dig FEED.rpz-test.example.org A</code>' "$page" || fail "no RPZ test entry on the page"

run_status timeout 120 "${browser[@]}" --enable-logging=stderr --v=0 --dump-dom "file://$WORK/$page"
assert_eq 0 "$STATUS" "chromium --dump-dom: $(echo "$ERR" | tail -n 3)"
echo "$OUT" >dom.html
echo "$ERR" >chromium.log
grep -E 'CONSOLE|net::ERR_' chromium.log && fail "chromium reported a console message or a failed request"
python3 - <<'PY' || fail "the page Chromium parsed lacks the files table or the charts"
import html.parser, json
class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.rows, self.links, self.charts, self.lines = [], 0, set(), [], 0
        self.groups, self.cells, self.hints = [], None, {}
    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        if tag == "table" and attributes.get("id") == "files": self.stack.append("files")
        if tag == "tbody" and "files" in self.stack:
            self.stack.append("tbody")
            self.groups.append(attributes.get("data-feed"))
        if tag == "tr" and "tbody" in self.stack and attributes.get("class") == "file":
            self.rows += 1
            self.cells = []
        if tag == "td" and self.cells is not None: self.cells.append("")
        if tag == "a" and "tbody" in self.stack: self.links.add(attributes["href"])
        if tag == "svg": self.charts.append(attributes)
        if tag == "polyline": self.lines += 1
    def handle_data(self, data):
        if self.cells: self.cells[-1] += data
    def handle_endtag(self, tag):
        # A file row's cells: format, file, gzip, entries, size, time, hint.
        if tag == "tr" and self.cells:
            self.hints[(self.groups[-1], self.cells[0])] = self.cells[-1]
            self.cells = None
page = Page()
page.feed(open("dom.html").read())
manifest = json.load(open("feeds/manifest.json"))
names = {"https://feeds.example.net/cf/" + f["name"] for f in manifest["files"]}
# One row a file, its .gz copy beside it; grouped by feed.
plain = [f for f in manifest["files"] if not f["format"].endswith("+gzip")]
assert page.rows == len(plain), (page.rows, len(plain))
assert names <= page.links, names - page.links
assert page.groups[:6] == ["malicious-domains", "non-malicious-domains", "malicious-ips", "non-malicious-ips",
                           "malicious-hashes", "non-malicious-hashes"], page.groups
# Import hints fit the verdict, and send no tool a .gz it cannot read.
assert "allowlist" not in page.hints[("malicious-domains", "adblock")], page.hints
assert "allowlist" in page.hints[("non-malicious-domains", "adblock")], page.hints
assert all(".gz" not in hint for hint in page.hints.values()), page.hints
# ... and the feed's type: an IP zone triggers on addresses, not names.
assert "address" in page.hints[("malicious-ips", "rpz")] and "subdomain" not in page.hints[("malicious-ips", "rpz")]
assert "domain" not in page.hints[("malicious-hashes", "txt")], page.hints
assert [c["data-feed"] for c in page.charts] == ["malicious-domains", "non-malicious-domains", "malicious-ips",
                                                 "non-malicious-ips", "malicious-hashes", "non-malicious-hashes"], page.charts
assert [c["data-points"] for c in page.charts] == ["6"] * 6, page.charts
assert page.lines == 6, page.lines
PY

run_status timeout 120 "${browser[@]}" --hide-scrollbars --window-size=1280,1500 --screenshot="$WORK/index.png" "file://$WORK/$page"
assert_eq 0 "$STATUS" "chromium --screenshot: $(echo "$ERR" | tail -n 3)"
read -r width height red < <(python3 "$SOURCE_DIR/tests/e2e/png_colours.py" index.png b3261e)
assert_eq "1280 1500" "$width $height" "screenshot size"
[ "$red" -gt 300 ] || fail "the charts' lines are not on the screenshot ($red pixels of the line colour)"
if [ -n "${CROWDFEED_SCREENSHOT:-}" ]; then cp index.png "$CROWDFEED_SCREENSHOT"; fi
echo ok
