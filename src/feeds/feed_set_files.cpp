#include "feeds/feed_set_files.h"

#include <fmt/format.h>

#include <algorithm>

#include "feeds/formats.h"
#include "feeds/layout.h"
#include "feeds/misp.h"
#include "feeds/suricata.h"
#include "util/error.h"
#include "util/log.h"

namespace crowdfeed {
namespace {

constexpr std::string_view kMispManifestName = "misp/manifest.json";
constexpr std::string_view kMispHashesName = "misp/hashes.csv";
constexpr std::string_view kMispDefinitionsName = "misp-feeds.json";

// Which feeds are published in MISP and in Suricata's formats.
struct Consumers {
  std::vector<const Feed*> misp;
  std::vector<SuricataFeed> suricata;
};

Consumers consumers_of(const FeedSettings& settings, const FeedSet& feeds) {
  Consumers consumers;
  for (const Feed& feed : feeds.feeds) {
    SuricataFeed suricata{&feed, {}};
    for (const FeedFormat* format : formats_of(settings, feed)) {
      if (format->name() == "misp") consumers.misp.push_back(&feed);
      if (is_suricata_format(format->name())) suricata.formats.push_back(format);
    }
    if (!suricata.formats.empty()) consumers.suricata.push_back(std::move(suricata));
  }
  return consumers;
}

const ManifestFile& published_file(const std::vector<ManifestFile>& published, const std::string& name) {
  auto found =
      std::find_if(published.begin(), published.end(), [&](const ManifestFile& file) { return file.name == name; });
  if (found == published.end()) throw Error(fmt::format("{} was not published", name));
  return *found;
}

}  // namespace

std::vector<std::string> feed_set_file_names(const FeedSettings& settings, const FeedSet& feeds) {
  Consumers consumers = consumers_of(settings, feeds);
  std::vector<std::string> names;
  if (!consumers.misp.empty()) {
    names.emplace_back(kMispManifestName);
    names.emplace_back(kMispHashesName);
  }
  if (!settings.public_url.empty() && !consumers.misp.empty()) names.emplace_back(kMispDefinitionsName);
  if (!consumers.suricata.empty()) {
    names.emplace_back(kSuricataRulesName);
    names.emplace_back(kIprepCategoriesName);
    names.emplace_back(kSuricataArchiveName);
  }
  return names;
}

std::vector<FeedSetFile> render_feed_set_files(const FeedSettings& settings, const FeedSelection& selection,
                                               const FeedSet& feeds, const std::vector<ManifestFile>& published) {
  Consumers consumers = consumers_of(settings, feeds);
  std::vector<FeedSetFile> files;
  if (!consumers.misp.empty()) {
    std::int64_t values = 0;
    for (const Feed* feed : consumers.misp) values += static_cast<std::int64_t>(feed->entries.size());
    files.push_back({std::string(kMispManifestName), "misp", "misp-manifest",
                     render_misp_manifest(settings, consumers.misp, published),
                     static_cast<std::int64_t>(consumers.misp.size())});
    files.push_back(
        {std::string(kMispHashesName), "misp", "misp-hashes", render_misp_hashes(settings, consumers.misp), values});
    if (settings.public_url.empty()) {
      log::warning("misp-feeds.json is not written: MISP's feed definitions need feeds.public_url");
    } else {
      std::vector<const Feed*> all;
      for (const Feed& feed : feeds.feeds) all.push_back(&feed);
      files.push_back({std::string(kMispDefinitionsName), "misp", "misp-feeds",
                       render_misp_feed_definitions(settings, consumers.misp, all),
                       static_cast<std::int64_t>(all.size() + 1)});
    }
  }
  if (!consumers.suricata.empty()) {
    // The rules' header: the feed set's, as of its newest list.
    TimePoint newest{};
    std::vector<ArchiveMember> members;
    for (const SuricataFeed& each : consumers.suricata) {
      for (const FeedFormat* format : each.formats) {
        const ManifestFile& file = published_file(published, format->file_name(*each.feed, settings));
        newest = std::max(newest, file.last_modified);
        // The archive's copy of the list, rendered again as published.
        std::optional<Feed> selected = format->selection(*each.feed);
        const Feed& listed = selected ? *selected : *each.feed;
        auto header = feed_header(settings, selection, listed, file.last_modified, format->syntax());
        StringOutput copy;
        format->write({listed, header, settings, file.last_modified}, copy);
        members.push_back({"rules/" + file.name, std::move(copy.text)});
      }
    }
    Feed all{"crowdfeed", Verdict::kMalicious, {}, IndicatorGroup::kDomain};
    std::vector<std::string> header;
    for (const HeaderField& field : feed_header(settings, selection, all, newest, "Suricata rules")) {
      if (field.name == "Title") {
        header.push_back(fmt::format("Title: {} Suricata rules", settings.title));
      } else if (field.name != "Description" && field.name != kEntriesField) {
        header.push_back(fmt::format("{}: {}", field.name, field.value));
      }
    }
    header.push_back(fmt::format("Sids: {} to {}", kSuricataSidBase + 10, kSuricataSidBase + 609));
    std::string rules = render_suricata_rules(settings, consumers.suricata, header, false);
    std::int64_t count = 0;
    for (std::size_t at = rules.find("\nalert "); at != std::string::npos; at = rules.find("\nalert ", at + 1)) ++count;
    files.push_back({std::string(kSuricataRulesName), "suricata", "suricata-rules", rules, count});
    files.push_back({std::string(kIprepCategoriesName), "suricata", "iprep-categories",
                     render_iprep_categories(settings, consumers.suricata),
                     static_cast<std::int64_t>(consumers.suricata.size())});
    members.insert(members.begin(), {"rules/" + std::string(kSuricataRulesName),
                                     render_suricata_rules(settings, consumers.suricata, header, true)});
    files.push_back(
        {std::string(kSuricataArchiveName), "suricata", "suricata-update", render_tar_gz(members, newest), count});
  }
  return files;
}

}  // namespace crowdfeed
