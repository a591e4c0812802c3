// The readers of crowdfeed's own files, which a crash, a full disk or a
// person may have damaged: manifest.json, last-run.json, history.csv,
// state/by-hash.json and a destination's state (the first byte chooses).
// Each either refuses the input or reads something that survives a round
// trip through its writer unchanged, and names read back are always plain
// relative names.
#include "feeds/by_hash.h"
#include "feeds/layout.h"
#include "feeds/manifest.h"
#include "fuzz_common.h"
#include "ops/history.h"
#include "ops/run_report.h"
#include "publish/destination_state.h"
#include "util/error.h"
#include "util/safe_path.h"

namespace {

using namespace crowdfeed;

void manifest(std::string_view text) {
  Manifest read;
  try {
    read = parse_manifest(text);
  } catch (const std::exception&) {
    return;
  }
  for (const auto& file : read.files) {
    if (!is_relative_name(file.name)) fuzz::violated("a manifest name that leaves its folder", file.name);
  }
  std::string rendered = render_manifest(read);
  if (render_manifest(parse_manifest(rendered)) != rendered) fuzz::violated("the manifest does not round-trip");
}

void run_report(std::string_view text) {
  RunReport read;
  try {
    read = parse_run_report(text);
  } catch (const std::exception&) {
    return;
  }
  read.finish(read.result, read.exit_code, read.finished, read.duration_seconds);  // no overflow
  std::string rendered = render_run_report(read);
  if (render_run_report(parse_run_report(rendered)) != rendered) fuzz::violated("the run report does not round-trip");
}

void history(std::string_view text) {
  std::vector<HistoryRow> rows = parse_history_csv(text, "fuzz");
  if (parse_history_csv(render_history_csv(rows), "fuzz") != rows) fuzz::violated("history.csv does not round-trip");
}

nlohmann::json parse_json(std::string_view text) {
  return nlohmann::json::parse(text, nullptr, false);
}

void by_hash(std::string_view text) {
  nlohmann::json json = parse_json(text);
  try {
    ByHashLedger ledger(json);
    nlohmann::json written = ledger.to_json();
    for (const auto& [name, seconds] : written.items()) {
      if (!is_by_hash_name(name)) fuzz::violated("a by-hash ledger name that is not one", name);
    }
    if (ByHashLedger(written).to_json() != written) fuzz::violated("the by-hash ledger does not round-trip");
  } catch (const DamagedFileError&) {
  }
}

void destination_state(std::string_view text) {
  nlohmann::json json = parse_json(text);
  DestinationState state("/nonexistent/state.json", "s3://bucket/feeds/");
  try {
    state.read_json(json);
  } catch (const std::exception&) {
    return;
  }
  for (const auto& [name, sha256] : state.files()) {
    if (!is_relative_name(name)) fuzz::violated("a destination state name that leaves its folder", name);
  }
  DestinationState again("/nonexistent/state.json", "s3://bucket/feeds/");
  again.read_json(state.to_json());
  if (again.files() != state.files()) fuzz::violated("the destination state does not round-trip");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  fuzz::quiet();
  if (size == 0) return 0;
  std::string_view text = fuzz::as_text(data + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      manifest(text);
      break;
    case 1:
      run_report(text);
      break;
    case 2:
      history(text);
      break;
    case 3:
      by_hash(text);
      break;
    default:
      destination_state(text);
      break;
  }
  return 0;
}
