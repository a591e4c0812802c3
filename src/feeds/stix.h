// STIX 2.1 as crowdfeed publishes it: the objects of a feed's bundle
// (NAME.stix.json) and of its hourly delta bundle (NAME.delta.stix.json),
// one object a line so that a bundle can be read back line by line.
//
// Identity. Every id is a version 5 UUID, so the same indicator keeps its
// id from hour to hour and consumers deduplicate by it. The namespace is
// the deployment's: kStixNamespace with the feeds' homepage as the name,
// so two deployments never share ids. Within it an indicator is named
// "indicator/VERDICT/TYPE/VALUE" ("indicator/malicious/domain/evil.example"):
// the same value voted the other way is another statement, another id.
//
// Versions. An indicator's `modified` is the version of the file it is
// published in, and `valid_until` a day and two update intervals after
// it; a bundle is versioned anew at least daily, so while the feeds are
// published every indicator is valid, and once they stop, each expires.
// `created` and `valid_from` are its first counted vote. `confidence` is crowdfeed's
// 0-100 confidence (policy/confidence.h).
#pragma once

#include <string>
#include <string_view>

#include "config/settings.h"
#include "feeds/feed.h"
#include "util/output.h"
#include "util/time.h"
#include "util/uuid.h"

namespace crowdfeed {

// The namespace of every deployment's namespace (a fixed, random UUID).
inline constexpr std::string_view kStixNamespace = "5eac5081-9b2a-495b-8067-4086cfd7f126";

// STIX's TLP 2.0 CLEAR marking definition (a well-known object).
inline constexpr std::string_view kTlpClearId = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";

// The ids and texts every object of one deployment refers to.
struct StixPublisher {
  std::string namespace_uuid;  // uuid_v5(kStixNamespace, homepage)
  NameBasedUuids names;        // in that namespace
  std::string identity_id;     // "identity--..."
  std::string licence_id;      // "marking-definition--..." carrying the licence and terms
};

StixPublisher stix_publisher(const FeedSettings& settings);

// "2026-12-08T10:00:00.000Z": STIX timestamps carry milliseconds.
std::string stix_time(TimePoint time);

// The STIX pattern that matches `value` of `type`: "[domain-name:value = 'evil.example']".
std::string stix_pattern(IndicatorType type, std::string_view value);

// "indicator--UUID" of `value` voted `verdict`.
std::string stix_indicator_id(const StixPublisher& publisher, Verdict verdict, IndicatorType type,
                              std::string_view value);

// The objects every bundle starts with, each on its own line: the
// publisher's identity, the TLP:CLEAR marking and the licence marking
// (the last without its line's end: what follows starts with ",\n").
void write_stix_preamble(const FeedSettings& settings, const StixPublisher& publisher, Output& out);

// The indicator objects of one file (`feed`'s, of `version`): what all of
// them share is made once.
class StixIndicatorWriter {
 public:
  StixIndicatorWriter(const StixPublisher& publisher, const Feed& feed, TimePoint version, TimePoint valid_until);
  // Appends `entry`'s object to `out`, on one line without a newline.
  void append(const FeedEntry& entry, std::string& out) const;

 private:
  const StixPublisher& publisher_;
  const Feed& feed_;
  TimePoint version_;
  TimePoint valid_until_;
  std::string modified_;  // ","modified":"…","name":"
  std::string valid_until_text_;
  std::string description_;  // "Voted VERDICT by community voters: "
  std::string types_;        // ","indicator_types":["…"],"pattern":
  std::string tail_;         // "confidence" onwards, after the number
};

// One indicator object, on one line without a newline.
std::string stix_indicator(const StixPublisher& publisher, const Feed& feed, const FeedEntry& entry, TimePoint version,
                           TimePoint valid_until);

// The bundle's first line, "{"type":"bundle","id":"bundle--...","objects":[",
// with an id derived from the file's name and version.
std::string stix_bundle_opening(const StixPublisher& publisher, std::string_view file_name, TimePoint version);

// A bundle is versioned anew once it is this old, even when nothing in it
// changed, so that its indicators' valid_until stays ahead of the clock
// while the feeds are published (see FeedFormat::refresh_after).
inline constexpr std::chrono::hours kStixRefresh{24};

// Until when the indicators of a file of `version` are valid: a day and
// two update intervals after it. A file still current is versioned anew
// before then; if publishing stops, its indicators expire.
TimePoint stix_valid_until(const FeedSettings& settings, TimePoint version);

}  // namespace crowdfeed
