// The STIX objects the last publish produced, as TAXII collections: one
// collection per feed published in STIX, holding the objects of its bundle
// (NAME.stix.json) and the revoked indicators of its hour's delta bundle
// (NAME.delta.stix.json). Nothing is computed here: the objects are read
// from the published files (their immutable by-hash copies, held open),
// and only where each object's line lies is kept in memory.
//
// An object's date_added is the version it carries (its `modified`, else
// its `created`): when the publish that added that version ran. Objects
// are in date_added order, then by id, which is the order TAXII pages them
// in.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.h"
#include "util/safe_path.h"

namespace crowdfeed {

struct StixObjectRef {
  std::string id;          // "indicator--…"
  std::string type;        // "indicator"
  std::string date_added;  // a STIX timestamp, "2026-11-27T21:00:00.000Z"
  std::size_t file = 0;    // which of the snapshot's open files holds it
  std::uint64_t offset = 0;
  std::uint32_t length = 0;
};

struct StixCollection {
  std::string id;  // a UUID, stable for the feed (see feeds/stix.h)
  std::string feed;
  std::string title;
  std::string description;
  std::vector<StixObjectRef> objects;  // by date_added, then id; one version each
};

class StixCollections {
 public:
  // What `feeds_dir` holds now (empty when nothing is published, or no
  // feed is published in STIX). Throws Error when a listed bundle cannot
  // be read.
  static std::shared_ptr<const StixCollections> load(const std::filesystem::path& feeds_dir,
                                                     const FeedSettings& settings);

  const std::vector<StixCollection>& collections() const { return collections_; }
  const StixCollection* find(std::string_view id) const;
  // The object's JSON text, as published.
  std::string read(const StixObjectRef& object) const;
  // The published manifest this snapshot was read from ("" when none).
  const std::string& manifest_sha256() const { return manifest_sha256_; }

 private:
  std::vector<StixCollection> collections_;
  std::vector<FileDescriptor> files_;
  std::string manifest_sha256_;
};

}  // namespace crowdfeed
