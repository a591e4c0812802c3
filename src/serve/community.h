// The community pages of crowdfeed serve: the home page, one page per
// indicator, disputes (filed from a form or POST /api/v1/disputes, each
// with its own page), signing in with a voter's token, voting from the
// indicator page, and the moderators' queue; each page with its JSON twin
// under /api/v1/. Pages read what the last publish produced (refreshed
// when manifest.json changes) and say what the next run will do through
// the same placement the run uses (see community/account.h).
//
// A form changes something only when it comes from this server's own
// pages: the browser says so (Sec-Fetch-Site, Origin), and it carries the
// CSRF token of the session cookie it was sent with (SameSite=Strict, so
// another site's form arrives without it).
#pragma once

#include <microhttpd.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "community/published.h"
#include "config/settings.h"
#include "serve/answer.h"
#include "serve/metrics.h"
#include "serve/rate_limit.h"
#include "serve/sessions.h"
#include "serve/store_pool.h"
#include "serve/voters_cache.h"

namespace crowdfeed {

struct CommunitySettings {
  ServeSettings serve;
  VotesSettings votes;
  Policy policy;
  FeedSettings feeds;
  WhitelistSettings whitelist;
  std::filesystem::path state_dir;
  std::filesystem::path feeds_dir;
  std::filesystem::path cluster_output;  // the reports the pages name; empty: none
  std::string pseudonym_key;             // keys the voters' pseudonyms
};

class CommunityPages {
 public:
  // Casts `vote` ("0" or "1") on `value` for `voter` under the API's
  // limits; returns why not, or an empty string.
  using CastVote =
      std::function<std::string(const std::string& voter, std::string_view vote, const std::string& value)>;
  // The anonymous id of a client (a keyed hash of its address).
  using AnonymousId = std::function<std::string(const std::string& client)>;

  CommunityPages(CommunitySettings settings, VotersCache& voters, ServeMetrics& metrics, CastVote cast,
                 AnonymousId anonymous);
  ~CommunityPages();
  CommunityPages(const CommunityPages&) = delete;
  CommunityPages& operator=(const CommunityPages&) = delete;

  // Whether `url` is one of the pages' (or their JSON twins').
  static bool serves(std::string_view url);
  // Whether a request to `url` with `method` sends a body to read first.
  static bool takes_body(std::string_view url, std::string_view method);

  // The answer to a request without a body (GET, HEAD, a POST without a
  // form), or to one whose `body` was read; `client` is who is counted.
  Answer answer(MHD_Connection* connection, std::string_view url, std::string_view method, const std::string& client,
                const std::string& body);

  // Prometheus lines: disputes and the time from filing to correction.
  std::string metrics_text();

 private:
  struct Snapshot;
  std::shared_ptr<const Snapshot> snapshot();
  void refresh_until_stopped();
  // What tells one set of inputs of the pages from the next: the published
  // manifest and the cluster output's maltego.csv.
  std::string inputs_identity() const;
  std::shared_ptr<const Snapshot> load_snapshot(const std::string& identity) const;
  std::shared_ptr<const Snapshot> first_snapshot() const;

  struct Caller;
  Caller caller_of(MHD_Connection* connection);
  Answer page(const Caller& caller, unsigned status, std::string_view title, std::string_view main) const;
  Answer get(const Caller& caller, std::string_view url, MHD_Connection* connection);
  Answer post(const Caller& caller, std::string_view url, MHD_Connection* connection, const std::string& client,
              const std::string& body);
  Answer indicator_page(const Caller& caller, std::string_view value, bool as_json);
  Answer file_dispute(const Caller& caller, const std::string& client, const std::string& indicator,
                      const std::string& kind, const std::string& reason, const std::string& contact, bool as_json);
  std::string pseudonym(const std::string& voter) const;

  CommunitySettings settings_;
  VotersCache& voters_;
  ServeMetrics& metrics_;
  CastVote cast_;
  AnonymousId anonymous_;
  Sessions sessions_;
  RateLimiter dispute_limiter_;
  StorePool readers_;

  std::mutex snapshot_mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::mutex stop_mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::thread refresher_;  // last: starts once the rest is ready
};

}  // namespace crowdfeed
