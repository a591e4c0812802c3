# A full publish of committed votes (tests/data/golden) gives, byte for
# byte, the files committed beside them: every feed in every format, the
# .gz copies, signatures, SHA256SUMS, manifest.json, index.html, the deltas
# and the archive, over two hours. A change to the code that changes what
# consumers download fails here; a deliberate one regenerates the files
# with CROWDFEED_GOLDEN_UPDATE=1 and says why in its commit.
source "$(dirname "$0")/lib.sh"

GOLDEN=$SOURCE_DIR/tests/data/golden
cp "$GOLDEN/crowdfeed.toml" "$GOLDEN/votes.csv" .
cp -r "$SOURCE_DIR/tests/data/whitelist" "$SOURCE_DIR/tests/data/psl" .
mkdir -m 0700 keys
install -m 0600 "$GOLDEN/keys/golden.key" keys/golden.key
install -m 0644 "$GOLDEN/keys/golden.pub" keys/golden.pub

cf() { "$CROWDFEED" --config crowdfeed.toml "$@"; }
cf import-votes votes.csv
cf publish --at 2026-11-30T01:00:00Z
# The second hour: two domains reach a verdict, one leaves the malicious feed.
for voter in golden-a golden-b golden-c; do
  cf vote --malicious new-threat.example.net --voter "$voter" --at 2026-11-30T01:20:00Z
  cf vote --non-malicious harmless.example.org --voter "$voter" --at 2026-11-30T01:20:00Z
done
cf publish --at 2026-11-30T02:00:00Z

if [ "${CROWDFEED_GOLDEN_UPDATE:-}" = 1 ]; then
  rm -rf "$GOLDEN/expected"
  cp -r feeds "$GOLDEN/expected"
  echo "regenerated $GOLDEN/expected"
  exit 0
fi
[ -d "$GOLDEN/expected" ] || fail "no $GOLDEN/expected: run with CROWDFEED_GOLDEN_UPDATE=1"
# Which files, then each file's bytes.
assert_eq "$(cd "$GOLDEN/expected" && find . -type f | LC_ALL=C sort)" \
  "$(cd feeds && find . -type f | LC_ALL=C sort)" "the published files"
differ=""
while read -r file; do
  cmp -s "$GOLDEN/expected/$file" "feeds/$file" || differ+=" $file"
done < <(cd feeds && find . -type f | LC_ALL=C sort)
if [ -n "$differ" ]; then
  for file in $differ; do
    case $file in
      *.gz) ;;
      *) diff -u "$GOLDEN/expected/$file" "feeds/$file" | sed -n 1,40p >&2 || true ;;
    esac
  done
  fail "files differ from the golden publish:$differ"
fi
echo ok
