// The files that speak of the feed set rather than of one feed, written
// after the feeds: the MISP feed's misp/manifest.json and misp/hashes.csv
// and MISP's feed definitions (misp-feeds.json), and Suricata's rules, its
// reputation categories and the archive suricata-update adds as a source.
// Each exists only while a feed is published in a format that needs it.
#pragma once

#include <string>
#include <vector>

#include "feeds/feed.h"
#include "feeds/header.h"
#include "feeds/manifest.h"

namespace crowdfeed {

struct FeedSetFile {
  std::string name;    // in the feeds directory: "misp/manifest.json"
  std::string group;   // the manifest's "feed": the consumer, "misp" or "suricata"
  std::string format;  // the manifest's format: "misp-manifest"
  std::string content;
  std::int64_t entries = 0;
};

// The names render_feed_set_files gives, for checking before anything is
// written.
std::vector<std::string> feed_set_file_names(const FeedSettings& settings, const FeedSet& feeds);

// The files for `feeds`, once each feed's files are published as
// `published` lists them (a MISP event's version is its timestamp in the
// MISP manifest; Suricata's archive carries the lists as published).
std::vector<FeedSetFile> render_feed_set_files(const FeedSettings& settings, const FeedSelection& selection,
                                               const FeedSet& feeds, const std::vector<ManifestFile>& published);

}  // namespace crowdfeed
