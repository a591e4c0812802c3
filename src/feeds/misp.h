// The MISP feed as MISP's feed fetcher reads it (a feed of
// source_format "misp"): in the folder misp/, one event per feed
// (<uuid>.json), manifest.json (event uuid -> info, date, timestamp, ...)
// and hashes.csv (the MD5 of every listed value and its event's uuid).
//
// What MISP does with it decides the design:
// - It fetches an event only when the manifest's timestamp is newer than
//   its copy's, and updates an attribute (matched by uuid) only when the
//   attribute's timestamp is newer. So ids are name-based UUIDs in the
//   deployment's namespace, an attribute's timestamp changes only when the
//   attribute does (it is carried forward from the event as last
//   published), and the event's timestamp is its file's version.
// - It never deletes an attribute that is missing from a newer event, so
//   a value that leaves a feed stays in its event for kMispTombstoneDays
//   with "deleted": true (and out of hashes.csv).
// - It ignores the distribution in a feed (the subscriber's setting
//   applies), so none is written.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/settings.h"
#include "feeds/feed.h"
#include "feeds/manifest.h"
#include "util/uuid.h"

namespace crowdfeed {

// The namespace of every deployment's MISP namespace (a fixed, random UUID).
inline constexpr std::string_view kMispNamespace = "6c3c8655-6c99-4735-aea9-08e7ac1603cb";

// How long an attribute that left its feed stays in the event as deleted,
// so that subscribers who fetch less often than hourly delete it too.
inline constexpr int kMispTombstoneDays = 7;

// The uuid of `feed`'s event.
std::string misp_event_uuid(const FeedSettings& settings, std::string_view feed);

// The uuid of the organisation that publishes the events.
std::string misp_org_uuid(const FeedSettings& settings);

// The uuid of the attribute holding `value` in `feed`'s event.
std::string misp_attribute_uuid(const FeedSettings& settings, std::string_view feed, std::string_view value);

// The same for many values of one feed.
class MispAttributeUuids {
 public:
  MispAttributeUuids(const FeedSettings& settings, std::string_view feed);
  std::string operator()(std::string_view value) const;

 private:
  NameBasedUuids names_;
  std::string prefix_;
};

// The value of the comment attribute every event carries its licence in.
std::string misp_licence_text(const FeedSettings& settings);

// The event's title ("crowdfeed malicious domains").
std::string misp_event_info(const FeedSettings& settings, const Feed& feed);

// MISP's attribute type and category for an indicator type: "domain" in
// "Network activity", "ip-dst", "md5" in "Payload delivery", ...
std::string_view misp_type(IndicatorType type);
std::string_view misp_category(IndicatorType type);

// misp/manifest.json for the events `published` lists (their manifest
// entries: the event file's version is the event's timestamp), in the
// feed set's order.
std::string render_misp_manifest(const FeedSettings& settings, const std::vector<const Feed*>& feeds,
                                 const std::vector<ManifestFile>& published);

// misp/hashes.csv: "md5(value),event-uuid" for every listed value and
// licence attribute (every attribute not deleted, as MISP's own feed
// generator lists them).
std::string render_misp_hashes(const FeedSettings& settings, const std::vector<const Feed*>& feeds);

// misp-feeds.json: the feed definitions MISP's "Import feeds from JSON"
// takes, one for the MISP feed and one for each plain list (as a CSV
// feed of one value column, comment lines skipped), with absolute URLs
// under feeds.public_url.
std::string render_misp_feed_definitions(const FeedSettings& settings, const std::vector<const Feed*>& misp_feeds,
                                         const std::vector<const Feed*>& all_feeds);

}  // namespace crowdfeed
