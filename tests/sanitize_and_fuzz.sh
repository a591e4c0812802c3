#!/usr/bin/env bash
# The second half of CI: the whole suite again, built with clang under
# AddressSanitizer and UndefinedBehaviorSanitizer (every report fatal and
# kept in a folder that must stay empty), then each libFuzzer target for
# FUZZ_SECONDS (default 30) on a copy of its committed corpus.
#   bash tests/sanitize_and_fuzz.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-sanitize}
seconds=${FUZZ_SECONDS:-30}
reports=$(mktemp -d "${TMPDIR:-/tmp}/crowdfeed-sanitizer-reports.XXXXXX")

# One build serves both: -DCROWDFEED_FUZZ=ON compiles everything with
# -fsanitize=fuzzer-no-link,address,undefined and adds the fuzz targets.
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCROWDFEED_FUZZ=ON
cmake --build "$build"

# allocator_release_to_os_interval_ms=-1: otherwise ASan's allocator reads
# the clock while it holds a lock, and under libfaketime (the tests' wall_clock)
# that first clock_gettime looks up symbols, allocates and waits for the same
# lock for ever, in a library constructor before main.
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:allocator_release_to_os_interval_ms=-1:log_path=$reports/asan"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:log_path=$reports/ubsan"
# The sampled tests run sampled here (the normal suite also runs their full
# sweeps, labelled slow): this run looks for memory errors in the same
# code, not at every point again.
status=0
ctest --test-dir "$build" --output-on-failure -j3 -LE slow || status=$?
if [ -n "$(ls -A "$reports")" ]; then
  echo "sanitizer reports:" >&2
  cat "$reports"/* >&2
  status=1
fi
[ "$status" -eq 0 ] || exit "$status"

# Fuzzing: no report files here, libFuzzer prints the report and the input.
unset ASAN_OPTIONS UBSAN_OPTIONS
for target in "$build"/tests/fuzz/fuzz_*; do
  name=$(basename "$target")
  corpus=$(mktemp -d)
  cp -r "tests/fuzz/corpus/${name#fuzz_}/." "$corpus"
  echo "== $name for $seconds s"
  "$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$reports/$name-" \
    -print_final_stats=1 "$corpus" 2>&1 | grep -E '^(Done|stat::number_of_executed_units|.*(ERROR|invariant|runtime error))' || true
  rm -rf "$corpus"
  if compgen -G "$reports/$name-*" >/dev/null; then
    echo "$name found a failing input: $(ls "$reports/$name"-*)" >&2
    exit 1
  fi
done
rm -rf "$reports"
echo "sanitized suite and fuzzing: 0 failed"
