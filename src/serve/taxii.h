// TAXII 2.1, read-only, under /taxii2/: discovery, one API root
// (/taxii2/api/), one collection per feed published in STIX, and for each
// its objects (added_after, limit, next, match[id|type|version|
// spec_version]), one object, its versions and the manifest. It serves
// what the last publish produced (community/stix_collections.h), read
// again when the published manifest changes; it computes no verdict.
//
// Who asks is checked before anything else: HTTP Basic (the password is
// the token; the user name is not checked) or Bearer with the token of a
// voter of the reader role (or a moderator); 401 without one that is
// known, 403 for another role. The server's rate limit per address applies
// first, as to the vote API. Pages hold at most kTaxiiPageSize objects.
#pragma once

#include <microhttpd.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "community/stix_collections.h"
#include "config/settings.h"
#include "serve/answer.h"
#include "serve/metrics.h"
#include "serve/voters_cache.h"

namespace crowdfeed {

inline constexpr std::size_t kTaxiiPageSize = 1000;
inline constexpr std::string_view kTaxiiMediaType = "application/taxii+json;version=2.1";
inline constexpr std::string_view kStixMediaType = "application/stix+json;version=2.1";

class TaxiiServer {
 public:
  TaxiiServer(const FeedSettings& feeds, std::filesystem::path feeds_dir, std::string public_url, VotersCache& voters,
              ServeMetrics& metrics);

  static bool serves(std::string_view url) { return url == "/taxii2" || url.starts_with("/taxii2/"); }

  // The answer to a GET (or HEAD) of `url`, once the server admitted the
  // client's rate.
  Answer answer(MHD_Connection* connection, std::string_view url);

 private:
  std::optional<Answer> refuse_caller(MHD_Connection* connection);
  std::shared_ptr<const StixCollections> snapshot();

  const FeedSettings& feeds_;
  std::filesystem::path feeds_dir_;
  std::string public_url_;
  VotersCache& voters_;
  ServeMetrics& metrics_;
  std::mutex snapshot_mutex_;
  std::shared_ptr<const StixCollections> snapshot_;
  std::string unreadable_;     // the manifest whose bundles could not be read
  std::string manifest_seen_;  // the manifest file's identity when last looked at
};

}  // namespace crowdfeed
