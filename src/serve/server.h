// crowdfeed serve: the public vote API, on libmicrohttpd.
//
//   GET  /vote.php?vote=0|1&value=INDICATOR[&type=T]   the original API (0 malicious)
//   GET  /vote?...                                     the same
//   POST /api/v1/votes        {"value", "vote", ["type"]} or an array of them, all or nothing
//   GET  /api/v1/indicators/VALUE                      the indicator page's facts (see serve/community.h)
//   GET  /, /indicator/VALUE, /disputes/ID, ...        the community pages (see serve/community.h)
//   GET  /healthz, GET /metrics                        liveness; Prometheus text
//
// Every answer is JSON ({"error": ...} with the parameter and the rule at
// fault) except /metrics. A voter authenticates with its token
// (Authorization: Bearer, or X-API-Key); without one a request votes only
// when serve.anonymous is on, as a keyed hash of its address. Limits come
// before any database work: connections (in all and per address), a
// timeout per connection, the body's size, a token bucket per address and
// per voter, a daily cap per voter.
#pragma once

#include <atomic>
#include <filesystem>

#include "config/settings.h"

namespace crowdfeed {

// What the vote server reads: its own settings, where votes live, the
// policy (the indicator answers give verdicts), and the file of the key
// anonymous voters' ids are made with (created when missing).
struct VoteServerSettings {
  ServeSettings serve;
  VotesSettings votes;
  Policy policy;
  std::filesystem::path anonymous_key_file;
  // The community pages: the feed set, the whitelist as the last run read
  // it, and the state directory holding its last good copies.
  FeedSettings feeds;
  WhitelistSettings whitelist;
  std::filesystem::path state_dir;
  std::filesystem::path cluster_output;  // cluster.output: the reports pages name; empty: none
};

// Serves until `stop` turns true (checked every few tenths of a second).
void serve_votes(const VoteServerSettings& settings, const std::atomic<bool>& stop);

// Throws UsageError naming the key when a [serve] setting is unusable.
void validate(const ServeSettings& serve);

}  // namespace crowdfeed
