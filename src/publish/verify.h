// `crowdfeed verify`: what a careful consumer checks of a published feeds
// directory, read from a folder or over HTTP(S): the minisign signatures
// of manifest.json and SHA256SUMS (and of every file, when the manifest
// says every file is signed), their trusted comments against the
// manifest's hour and versions, and every file's SHA-256 under its name
// and its by-hash name.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "util/minisign.h"
#include "util/time.h"

namespace crowdfeed {

struct VerifyOptions {
  std::vector<minisign::PublicKey> keys;  // a signature by any of them counts
  // The feed set (feeds.title) every signature must name; empty: any, as
  // long as they all name the same.
  std::string feed_set;
  // The newest hour may be at most this old (a stale mirror); unset: any age.
  std::optional<std::chrono::hours> max_age = std::nullopt;
  int timeout_seconds = 600;  // every HTTP request of the check, in all
  // Check this archived hour (archive/YYYY/MM/DD/HH/: its manifest against
  // the manifest's signature kept beside it, and each archived list against
  // the manifest) instead of the current files.
  std::optional<TimePoint> archive_hour = std::nullopt;
};

struct VerifyReport {
  std::vector<std::string> problems;  // empty: everything holds
  std::string hour;                   // the manifest's, as its signature's trusted comment names it
  std::string feed_set;               // as the signatures name it
  std::string key_id;                 // the key that signed the manifest
  std::size_t files = 0;              // files whose digests were checked (by-hash copies included)
  std::size_t signatures = 0;         // signatures verified
};

// Checks the feeds published at `location`: a folder (or file:// URL), or
// an http(s):// URL of the folder. Nothing the manifest lists is read
// unless the manifest's own signature holds. Never throws for what it finds (that is a problem in the
// report); throws UsageError for a location it cannot use.
VerifyReport verify_published(const std::string& location, const VerifyOptions& options);

}  // namespace crowdfeed
