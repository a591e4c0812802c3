# The kept tallies and the unchanged-hour shortcut publish exactly what a
# run from scratch publishes, whatever happens between runs: see
# incremental_steps.py.
source "$(dirname "$0")/lib.sh"

python3 "$SOURCE_DIR/tests/e2e/incremental_steps.py" "$CROWDFEED" "${INCREMENTAL_RUNS:-300}" 1
