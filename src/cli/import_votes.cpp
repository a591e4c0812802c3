// crowdfeed import-votes: bulk-load votes from CSV or JSON Lines.
#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "util/error.h"
#include "util/log.h"
#include "votes/import.h"
#include "votes/stores.h"

namespace crowdfeed {
namespace {

// Invalid rows reported one by one without --all-errors; the rest are
// counted.
constexpr std::size_t kReportedProblems = 20;

struct ImportOptions {
  std::string file;
  std::string type;
  bool skip_invalid = false;
  bool all_errors = false;
};

int run_import(const GlobalOptions& global, const ImportOptions& options) {
  Config config = load_configuration(global);
  std::unique_ptr<VoteStore> store = open_vote_store(config.votes, StoreAccess::kWrite);
  VoteRules rules{now_utc(), config.max_clock_skew, parse_type_option(options.type)};
  std::size_t kept = options.all_errors ? std::numeric_limits<std::size_t>::max() : kReportedProblems;
  ImportResult result = import_votes(*store, options.file, options.skip_invalid, rules, kept);

  for (const auto& problem : result.problems) {
    log::write(result.committed ? log::Level::kWarning : log::Level::kError,
               fmt::format("{}:{}: {}", options.file, problem.line, problem.reason));
  }
  if (result.invalid_rows > result.problems.size()) {
    log::write(result.committed ? log::Level::kWarning : log::Level::kError,
               fmt::format("{}: {} more invalid rows not shown (--all-errors shows every one)", options.file,
                           result.invalid_rows - result.problems.size()));
  }
  if (!result.committed) {
    throw Error(fmt::format("{}: {} invalid rows; nothing imported (--skip-invalid imports the {} valid rows)",
                            options.file, result.invalid_rows, result.valid_rows));
  }
  log::info("{}: imported {} votes ({} new or newer, {} unchanged){}", options.file, result.valid_rows, result.applied,
            result.valid_rows - result.applied,
            result.invalid_rows == 0 ? "" : fmt::format("; skipped {} invalid rows", result.invalid_rows));
  return kExitOk;
}

}  // namespace

Command add_import_votes_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<ImportOptions>();
  CLI::App* command = app.add_subcommand("import-votes", "import votes from a CSV or JSON Lines file");
  command->add_option("file", options->file, "indicator,vote,voter,cast_at[,type] rows (CSV) or objects (JSON Lines)")
      ->required();
  command->add_option("--type", options->type,
                      "every indicator's type: domain, ipv4, ipv6, md5, sha1, sha256 (default: told from each "
                      "one's shape, or the type column)");
  command->add_flag("--skip-invalid", options->skip_invalid, "import the valid rows even when some are invalid");
  command->add_flag("--all-errors", options->all_errors,
                    fmt::format("report every invalid row (default: the first {} and a count)", kReportedProblems));
  return {command, [&global, options] { return run_import(global, *options); }, {}};
}

}  // namespace crowdfeed
