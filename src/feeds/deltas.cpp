#include "feeds/deltas.h"

#include <algorithm>

#include "feeds/archive.h"
#include "feeds/layout.h"
#include "feeds/manifest.h"
#include "util/error.h"
#include "util/safe_path.h"
#include "util/sha256.h"

namespace crowdfeed {

namespace fs = std::filesystem;

FeedChanges compare_feeds(const Feed& feed, const std::vector<std::string>& previous, std::optional<TimePoint> since) {
  FeedChanges changes{feed.name, feed.entries.size(), {}, {}, since};
  // Two merges of the sorted lists: the first counts, so that the second
  // fills lists of the exact size (a first publication adds a million).
  auto merge = [&](auto&& removed, auto&& added) {
    auto old_value = previous.begin();
    auto new_entry = feed.entries.begin();
    while (old_value != previous.end() || new_entry != feed.entries.end()) {
      if (new_entry == feed.entries.end() || (old_value != previous.end() && *old_value < new_entry->value)) {
        removed(*old_value++);
      } else if (old_value == previous.end() || new_entry->value < *old_value) {
        added((new_entry++)->value);
      } else {
        ++old_value;
        ++new_entry;
      }
    }
  };
  std::size_t removed = 0, added = 0;
  merge([&](const std::string&) { ++removed; }, [&](const std::string&) { ++added; });
  changes.removed.reserve(removed);
  changes.added.reserve(added);
  merge([&](const std::string& value) { changes.removed.push_back(value); },
        [&](const std::string& value) { changes.added.push_back(value); });
  return changes;
}

std::vector<std::string> plain_feed_entries(std::string_view text) {
  std::vector<std::string> values;
  while (!text.empty()) {
    auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.front() != '#') values.emplace_back(line);
  }
  std::sort(values.begin(), values.end());
  return values;
}

std::vector<std::string> read_plain_feed(const fs::path& path) {
  return plain_feed_entries(read_regular_file(path).value_or(""));
}

namespace {

// A published plain list is crowdfeed's own file: read without following a
// link, and with a bound.
constexpr std::size_t kMaxListBytes = std::size_t{4} << 30;

std::string read_file(const fs::path& path) {
  return read_beneath(path.parent_path(), path.filename().string(), kMaxListBytes);
}

// The published plain list of `listed`, or nullopt when the file on disk is
// not the one the manifest lists (a run killed half-way replaced it).
std::optional<std::vector<std::string>> verified_list(const fs::path& feeds_dir, const ManifestFile* listed) {
  if (listed == nullptr) return std::nullopt;
  std::string text;
  try {
    text = read_file(feeds_dir / listed->name);
  } catch (const Error&) {
    return std::nullopt;
  }
  if (sha256_hex(text) != listed->sha256) return std::nullopt;
  return plain_feed_entries(text);
}

bool same_entries(const Feed& feed, const std::vector<std::string>& values) {
  return std::equal(feed.entries.begin(), feed.entries.end(), values.begin(), values.end(),
                    [](const FeedEntry& entry, const std::string& value) { return entry.value == value; });
}

// A same-hour rerun with unchanged entries: the deltas the published
// manifest lists, as they are; nullopt when they cannot be verified.
std::optional<FeedChanges> published_changes(const fs::path& feeds_dir, const Manifest& published, const Feed& feed) {
  const ManifestFile* added = published.find(feed.name + ".added.txt");
  const ManifestFile* removed = published.find(feed.name + ".removed.txt");
  auto added_values = verified_list(feeds_dir, added);
  auto removed_values = verified_list(feeds_dir, removed);
  if (!added_values || !removed_values || added->since != removed->since) return std::nullopt;
  return FeedChanges{feed.name, feed.entries.size(), std::move(*added_values), std::move(*removed_values),
                     added->since};
}

}  // namespace

std::vector<FeedChanges> changes_since_published(const std::filesystem::path& feeds_dir, const FeedSet& feeds,
                                                 TimePoint hour) {
  hour = floor_to_hour(hour);
  std::optional<Manifest> published = read_manifest(feeds_dir / kManifestName);
  Archive archive(feeds_dir);
  std::vector<FeedChanges> changes;
  for (const Feed& feed : feeds.feeds) {
    std::string plain = feed.name + ".txt";
    const ManifestFile* listed = published ? published->find(plain) : nullptr;
    if (auto values = verified_list(feeds_dir, listed)) {
      if (published->hour == hour && same_entries(feed, *values)) {
        if (auto kept = published_changes(feeds_dir, *published, feed)) {
          changes.push_back(std::move(*kept));
          continue;
        }
      }
      changes.push_back(compare_feeds(feed, *values, listed->last_modified));
    } else if (auto archived = archive.list_before(hour + std::chrono::hours(1), plain)) {
      // The last completed publication up to this hour is in the archive.
      changes.push_back(compare_feeds(feed, plain_feed_entries(archived->text), archived->last_modified));
    } else {
      changes.push_back(compare_feeds(feed, {}, std::nullopt));
    }
  }
  return changes;
}

}  // namespace crowdfeed
