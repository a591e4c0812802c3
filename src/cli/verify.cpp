// crowdfeed verify: checks published feeds as a careful consumer would
// (see publish/verify.h); exit 0 only when everything holds.
#include "publish/verify.h"

#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "feeds/signatures.h"
#include "util/error.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

struct VerifyCommandOptions {
  std::string location;
  std::vector<std::string> public_keys;
  std::string feed_set;
  int max_age_hours = 24;
  int timeout_seconds = 600;
  std::string archive;
};

int run_verify(const GlobalOptions& global, const VerifyCommandOptions& options) {
  VerifyOptions verify;
  std::vector<std::string> keys = options.public_keys;
  if (keys.empty()) {
    // The operator's own key pair, when the configuration has one.
    Config config = load_configuration(global);
    fs::path configured = default_public_key_path(config.signing);
    std::error_code error;
    if (configured.empty() || !fs::exists(configured, error)) {
      throw UsageError(
          "no public key: give --public-key KEY, the publisher's minisign key (\"RW...\" or a minisign.pub file)");
    }
    keys.push_back(configured.string());
  }
  for (const auto& key : keys) {
    try {
      verify.keys.push_back(read_public_key(key, options.public_keys.empty() ? "signing.public_key" : "--public-key"));
    } catch (const Error& error) {
      throw UsageError(error.what());
    }
  }
  if (!options.archive.empty()) {
    verify.archive_hour = floor_to_hour(parse_time_option("--archive", options.archive));
    // An archived hour is old by nature: --max-age applies to the current files.
  } else if (options.max_age_hours > 0) {
    verify.max_age = std::chrono::hours(options.max_age_hours);
  }
  verify.feed_set = options.feed_set;
  verify.timeout_seconds = options.timeout_seconds;
  VerifyReport report = verify_published(options.location, verify);
  for (const auto& problem : report.problems) fmt::print("FAILED: {}\n", printable(problem));
  if (!report.problems.empty()) {
    fmt::print("verify: {} problem(s) in {}; do not use these files\n", report.problems.size(),
               printable(options.location));
    return kExitFailure;
  }
  if (verify.archive_hour) {
    fmt::print("verify: OK: the archived hour {} of the feeds {}, signed by the key {}: {} archived lists checked\n",
               report.hour, quote_text(report.feed_set), report.key_id, report.files);
    return kExitOk;
  }
  fmt::print(
      "verify: OK: the feeds {}, hour {}, signed by the key {}: {} signatures and {} files (by-hash copies "
      "included) checked\n",
      quote_text(report.feed_set), report.hour, report.key_id, report.signatures, report.files);
  return kExitOk;
}

}  // namespace

Command add_verify_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<VerifyCommandOptions>();
  CLI::App* command =
      app.add_subcommand("verify", "check published feeds' signatures and digests, as a careful consumer would");
  command->add_option("location", options->location, "the feeds folder, or its http(s):// URL")->required();
  command->add_option("--public-key", options->public_keys,
                      "the publisher's minisign public key, \"RW...\" or a minisign.pub file; repeat it during a "
                      "key rotation (default: signing.public_key, else the secret key's .pub)");
  command->add_option("--feed-set", options->feed_set,
                      "the feed set (the publisher's feeds.title) every signature must name (default: any, the same "
                      "in all)");
  command
      ->add_option("--max-age", options->max_age_hours,
                   "fail when the newest hour is older than this many hours (default 24; 0: any age)")
      ->check(CLI::Range(0, 100000));
  command->add_option("--archive", options->archive,
                      "check the archived hour HOUR (ISO 8601) against its own signed manifest instead of the "
                      "current files");
  command
      ->add_option("--timeout", options->timeout_seconds,
                   "seconds for every HTTP request of the check, in all (default 600)")
      ->check(CLI::Range(1, 86400));
  return {command, [&global, options] { return run_verify(global, *options); }, {}};
}

}  // namespace crowdfeed
