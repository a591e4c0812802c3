// crowdfeed serve: the public vote API, on libmicrohttpd.
//
//   GET  /vote.php?vote=0|1&value=INDICATOR[&type=T]   the original API (0 malicious)
//   GET  /vote?...                                     the same
//   POST /api/v1/votes        {"value", "vote", ["type"]} or an array of them, all or nothing
//   GET  /api/v1/indicators/VALUE                      its votes and verdict, as explain
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

#include "config/config.h"

namespace crowdfeed {

// Serves until `stop` turns true (checked every few tenths of a second).
void serve_votes(const Config& config, const std::atomic<bool>& stop);

}  // namespace crowdfeed
