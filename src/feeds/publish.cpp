#include "feeds/publish.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

#include "feeds/formats.h"
#include "feeds/header.h"
#include "feeds/manifest.h"
#include "util/atomic_file.h"
#include "util/csv_line.h"
#include "util/error.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kManifestName = "manifest.json";
constexpr std::string_view kChecksumsName = "SHA256SUMS";
constexpr std::string_view kExcludedName = "excluded-domains.csv";

// The domains voted malicious that the whitelist kept out, and why: the
// false positives the whitelist caught, for the operator to review.
std::string render_excluded(const std::vector<Exclusion>& excluded) {
  std::string text = "domain,whitelist_entry,rule,malicious_votes,non_malicious_votes,last_vote_at\n";
  for (const auto& exclusion : excluded) {
    text += fmt::format("{},{},{},{},{},{}\n", exclusion.entry.domain, exclusion.listing.entry,
                        csv_field(exclusion.rule), exclusion.entry.malicious_votes,
                        exclusion.entry.non_malicious_votes, format_iso8601(exclusion.entry.last_vote_at));
  }
  return text;
}

FeedChanges compare(const Feed& feed, const std::vector<std::string>& previous) {
  FeedChanges changes{feed.name, feed.entries.size(), {}, {}};
  auto old_domain = previous.begin();
  auto new_entry = feed.entries.begin();
  while (old_domain != previous.end() || new_entry != feed.entries.end()) {
    if (new_entry == feed.entries.end() || (old_domain != previous.end() && *old_domain < new_entry->domain)) {
      changes.removed.push_back(*old_domain++);
    } else if (old_domain == previous.end() || new_entry->domain < *old_domain) {
      changes.added.push_back((new_entry++)->domain);
    } else {
      ++old_domain;
      ++new_entry;
    }
  }
  return changes;
}

// The Last-Modified that `format` should give `feed`: the previous one when
// the file rendered with it would be byte-identical to what was published.
TimePoint last_modified_for(const FeedFormat& format, const Feed& feed, const Config& config,
                            const ManifestFile* previous, TimePoint run_time) {
  if (previous == nullptr) return run_time;
  auto header = feed_header(config, feed, previous->last_modified);
  HashingOutput rendering;
  format.write({feed, header}, rendering);
  return rendering.sha256() == previous->sha256 ? previous->last_modified : run_time;
}

}  // namespace

std::vector<std::string> read_plain_feed(const fs::path& path) {
  std::vector<std::string> domains;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.front() != '#') domains.push_back(std::move(line));
  }
  std::sort(domains.begin(), domains.end());
  return domains;
}

PublishReport publish_feeds(const Config& config, const FeedSet& feeds, TimePoint run_time, bool dry_run) {
  const fs::path& directory = config.feeds_dir;
  if (!dry_run) {
    std::error_code error;
    fs::create_directories(directory, error);
    if (error) throw Error(fmt::format("cannot create feeds directory {}: {}", directory.string(), error.message()));
  }
  std::optional<Manifest> previous = read_manifest(directory / kManifestName);

  PublishReport report;
  Manifest manifest{run_time, floor_to_hour(run_time), {}};
  for (const Feed* feed : {&feeds.malicious, &feeds.non_malicious}) {
    report.feeds.push_back(compare(*feed, read_plain_feed(directory / (feed->name + ".txt"))));
    for (const auto& format : feed_formats()) {
      std::string name = format->file_name(*feed);
      const ManifestFile* before = previous ? previous->find(name) : nullptr;
      TimePoint last_modified = last_modified_for(*format, *feed, config, before, run_time);
      auto header = feed_header(config, *feed, last_modified);
      ManifestFile file{
          name, feed->name,   std::string(format->name()), 0, static_cast<std::int64_t>(feed->entries.size()),
          "",   last_modified};
      if (dry_run) {
        HashingOutput rendering;
        format->write({*feed, header}, rendering);
        file.size = rendering.size();
        file.sha256 = rendering.sha256();
        if (!before || before->sha256 != file.sha256) report.changed_files.push_back(name);
      } else {
        AtomicFile out(directory / name);
        format->write({*feed, header}, out);
        if (out.commit()) report.changed_files.push_back(name);
        file.size = out.size();
        file.sha256 = out.sha256();
      }
      manifest.files.push_back(std::move(file));
    }
  }

  std::string excluded = render_excluded(feeds.excluded);
  std::string excluded_sha256 = sha256_hex(excluded);
  const ManifestFile* excluded_before = previous ? previous->find(kExcludedName) : nullptr;
  bool excluded_changed = !excluded_before || excluded_before->sha256 != excluded_sha256;
  manifest.files.push_back({std::string(kExcludedName), "excluded-domains", "csv", excluded.size(),
                            static_cast<std::int64_t>(feeds.excluded.size()), excluded_sha256,
                            excluded_changed ? run_time : excluded_before->last_modified});
  if (dry_run) {
    if (excluded_changed) report.changed_files.emplace_back(kExcludedName);
  } else if (write_file_atomically(directory / kExcludedName, excluded)) {
    report.changed_files.emplace_back(kExcludedName);
  }

  // Written last: a reader who finds a manifest finds every file it lists.
  if (!dry_run) {
    if (write_file_atomically(directory / kChecksumsName, render_sha256sums(manifest))) {
      report.changed_files.emplace_back(kChecksumsName);
    }
    write_file_atomically(directory / kManifestName, render_manifest(manifest));
  }
  return report;
}

}  // namespace crowdfeed
