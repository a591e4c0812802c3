#include "community/published.h"

#include "feeds/archive.h"
#include "feeds/deltas.h"
#include "feeds/formats.h"
#include "feeds/layout.h"
#include "feeds/manifest.h"
#include "util/decompress.h"
#include "util/safe_path.h"
#include "util/sha256.h"

namespace crowdfeed {

namespace fs = std::filesystem;

const PublishedFeed* PublishedFeeds::find(const std::string& name) const {
  for (const PublishedFeed& feed : feeds) {
    if (feed.name == name) return &feed;
  }
  return nullptr;
}

bool covers_subdomains(const FeedSpec& feed) {
  if (feed.group != IndicatorGroup::kDomain) return false;
  const Feed probe{feed.name, feed.verdict, {}, feed.group};
  for (const std::string& name : feed.formats) {
    const FeedFormat* format = find_feed_format(name);
    if (format != nullptr && format->publishes(probe) && format->covers_subdomains()) return true;
  }
  return false;
}

std::optional<std::string> listed_parent(std::string_view domain, const std::function<bool(std::string_view)>& listed) {
  for (auto dot = domain.find('.'); dot != std::string_view::npos; dot = domain.find('.')) {
    domain.remove_prefix(dot + 1);
    if (listed(domain)) return std::string(domain);
  }
  return std::nullopt;
}

std::string published_manifest_sha256(const fs::path& feeds_dir) {
  std::optional<std::string> text = read_regular_file(feeds_dir / kManifestName);
  return text ? sha256_hex(*text) : std::string();
}

namespace {

// The entries of an archived hour's delta list; empty when it has none.
std::vector<std::string> archived_list(const Archive& archive, TimePoint hour, const std::string& name) {
  fs::path path = archive.hour_directory(hour) / (name + ".gz");
  if (!fs::exists(fs::symlink_status(path))) return {};
  return plain_feed_entries(decompress_if_compressed(read_archive_file(path)));
}

}  // namespace

PublishedFeeds read_published_feeds(const fs::path& feeds_dir, const std::vector<FeedSpec>& feeds) {
  PublishedFeeds published;
  std::optional<std::string> manifest_text = read_regular_file(feeds_dir / kManifestName);
  if (!manifest_text) return published;
  Manifest manifest = parse_manifest(*manifest_text);
  published.published = true;
  published.version = manifest.version();
  published.generated = manifest.generated;
  published.manifest_sha256 = sha256_hex(*manifest_text);
  const Archive archive(feeds_dir);
  const std::vector<TimePoint> hours = archive.archived_hours();
  if (!hours.empty()) published.oldest_archived_hour = hours.front();
  for (const FeedSpec& spec : feeds) {
    const std::string& name = spec.name;
    PublishedFeed feed;
    feed.name = name;
    feed.group = spec.group;
    feed.verdict = spec.verdict;
    feed.covers_subdomains = covers_subdomains(spec);
    if (manifest.find(name + ".txt") != nullptr) {
      for (std::string& entry : read_plain_feed(feeds_dir / (name + ".txt"))) {
        feed.listed.emplace(std::move(entry), std::nullopt);
      }
    }
    feed.entries = static_cast<std::int64_t>(feed.listed.size());
    // The hour each entry was last added in: the archive's delta lists,
    // oldest first, so that a later addition wins.
    for (TimePoint hour : hours) {
      for (const std::string& entry : archived_list(archive, hour, name + ".added.txt")) {
        if (auto found = feed.listed.find(entry); found != feed.listed.end()) found->second = hour;
      }
    }
    // The newest hour's changes, from the live delta lists.
    auto changes = [&](const std::string& file, std::vector<std::string>& shown, std::int64_t& count) {
      if (manifest.find(file) == nullptr) return;
      std::vector<std::string> entries = read_plain_feed(feeds_dir / file);
      count = static_cast<std::int64_t>(entries.size());
      if (entries.size() > kShownChanges) entries.resize(kShownChanges);
      shown = std::move(entries);
    };
    changes(name + ".added.txt", feed.added, feed.added_count);
    changes(name + ".removed.txt", feed.removed, feed.removed_count);
    published.feeds.push_back(std::move(feed));
  }
  return published;
}

}  // namespace crowdfeed
