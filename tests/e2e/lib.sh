# Helpers for the end-to-end tests: each test runs the built binary in a
# fresh temporary directory that is removed afterwards.
# CTest sets CROWDFEED, GEN_VOTES and SOURCE_DIR.
set -euo pipefail

: "${CROWDFEED:?run through ctest, which sets CROWDFEED}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/crowdfeed-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

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
