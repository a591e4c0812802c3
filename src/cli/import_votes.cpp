// crowdfeed import-votes: bulk-load votes from CSV or JSON Lines.
#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "util/error.h"
#include "util/log.h"
#include "votes/import.h"
#include "votes/store.h"

namespace crowdfeed {
namespace {

struct ImportOptions {
  std::string file;
  std::string type;
  bool skip_invalid = false;
};

int run_import(const GlobalOptions& global, const ImportOptions& options) {
  Config config = load_configuration(global);
  VoteStore store = VoteStore::open_for_writing(config.database, config.busy_timeout_ms);
  VoteRules rules{now_utc(), config.max_clock_skew, parse_type_option(options.type)};
  ImportResult result = import_votes(store, options.file, options.skip_invalid, rules);

  for (const auto& problem : result.problems) {
    fmt::print(stderr, "crowdfeed: {}: {}:{}: {}\n", result.committed ? "warning" : "error", options.file, problem.line,
               problem.reason);
  }
  if (!result.committed) {
    throw Error(fmt::format("{}: {} invalid rows; nothing imported (--skip-invalid imports the {} valid rows)",
                            options.file, result.problems.size(), result.valid_rows));
  }
  log::info("{}: imported {} votes ({} new or newer, {} unchanged){}", options.file, result.valid_rows, result.applied,
            result.valid_rows - result.applied,
            result.problems.empty() ? "" : fmt::format("; skipped {} invalid rows", result.problems.size()));
  return kExitOk;
}

}  // namespace

Command add_import_votes_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<ImportOptions>();
  CLI::App* command = app.add_subcommand("import-votes", "import votes from a CSV or JSON Lines file");
  command
      ->add_option("file", options->file,
                   "indicator,vote,voter,cast_at[,type] rows (CSV) or objects (JSON Lines)")
      ->required();
  command->add_option("--type", options->type,
                      "every indicator's type: domain, ipv4, ipv6, md5, sha1, sha256 (default: told from each "
                      "one's shape, or the type column)");
  command->add_flag("--skip-invalid", options->skip_invalid, "import the valid rows even when some are invalid");
  return {command, [&global, options] { return run_import(global, *options); }};
}

}  // namespace crowdfeed
