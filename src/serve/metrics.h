// The vote server's Prometheus figures (GET /metrics): requests by route
// and status, votes accepted and refused by reason, rate limiting, the
// latency histogram and the request bodies held in memory. Written with
// util/prometheus, as the publish run's textfile is.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "util/prometheus.h"

namespace crowdfeed {

// The upper bounds of the latency histogram's buckets, in seconds.
constexpr std::array<double, 11> kLatencyBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};

// The vote server's figures, counted as requests are answered.
class ServeMetrics {
 public:
  void request(const std::string& route, unsigned status, double seconds) {
    std::lock_guard lock(mutex_);
    ++requests_[{route, status}];
    std::size_t bucket = 0;
    while (bucket < kLatencyBuckets.size() && seconds > kLatencyBuckets[bucket]) ++bucket;
    ++latency_[bucket];
    latency_sum_ += seconds;
    ++latency_count_;
  }
  void accepted(std::size_t votes) {
    std::lock_guard lock(mutex_);
    accepted_ += votes;
  }
  void refused(const std::string& reason, std::size_t votes = 1) {
    std::lock_guard lock(mutex_);
    refused_[reason] += votes;
  }
  void limited(const std::string& scope) {
    std::lock_guard lock(mutex_);
    ++limited_[scope];
  }
  std::string text(std::size_t buffered_bytes) {
    std::lock_guard lock(mutex_);
    PrometheusText out;
    out.family("crowdfeed_serve_requests_total", "counter", "HTTP requests answered, by route and status.");
    for (const auto& [key, count] : requests_) {
      out.sample("crowdfeed_serve_requests_total", count,
                 fmt::format("route=\"{}\",status=\"{}\"", prometheus_label(key.first), key.second));
    }
    out.family("crowdfeed_serve_votes_accepted_total", "counter", "Votes stored.");
    out.sample("crowdfeed_serve_votes_accepted_total", accepted_);
    out.family("crowdfeed_serve_votes_refused_total", "counter", "Votes refused, by reason.");
    for (const auto& [reason, count] : refused_) {
      out.sample("crowdfeed_serve_votes_refused_total", count, fmt::format("reason=\"{}\"", prometheus_label(reason)));
    }
    out.family("crowdfeed_serve_rate_limited_total", "counter",
               "Requests refused by a rate limit or the daily cap, by scope.");
    for (const auto& [scope, count] : limited_) {
      out.sample("crowdfeed_serve_rate_limited_total", count, fmt::format("scope=\"{}\"", prometheus_label(scope)));
    }
    out.family("crowdfeed_serve_request_seconds", "histogram", "Time from a request's arrival to its answer.");
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      cumulative += latency_[i];
      out.sample("crowdfeed_serve_request_seconds_bucket", cumulative, fmt::format("le=\"{}\"", kLatencyBuckets[i]));
    }
    out.sample("crowdfeed_serve_request_seconds_bucket", latency_count_, "le=\"+Inf\"");
    out.sample("crowdfeed_serve_request_seconds_sum", latency_sum_);
    out.sample("crowdfeed_serve_request_seconds_count", latency_count_);
    out.family("crowdfeed_serve_buffered_body_bytes", "gauge",
               "Request bodies held in memory now (serve.max_buffered_bytes).");
    out.sample("crowdfeed_serve_buffered_body_bytes", buffered_bytes);
    return std::move(out).text();
  }

 private:
  std::mutex mutex_;
  std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;
  std::uint64_t accepted_ = 0;
  std::map<std::string, std::uint64_t> refused_;
  std::map<std::string, std::uint64_t> limited_;
  std::array<std::uint64_t, kLatencyBuckets.size() + 1> latency_{};
  double latency_sum_ = 0;
  std::uint64_t latency_count_ = 0;
};

}  // namespace crowdfeed
