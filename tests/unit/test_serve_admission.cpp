#include <catch2/catch.hpp>

#include "serve/admission.h"
#include "util/time.h"

using namespace crowdfeed;

namespace {

// Clocks that move only when the test moves them.
struct FakeClocks {
  std::chrono::steady_clock::time_point steady{std::chrono::seconds(1000)};
  std::chrono::system_clock::time_point wall = *parse_time("2026-12-07T23:59:30Z");
  AdmissionClocks clocks() {
    return {[this] { return steady; }, [this] { return wall; }};
  }
};

std::string retry_after(const Answer& answer) {
  for (const auto& [name, value] : answer.headers) {
    if (name == "Retry-After") return value;
  }
  return "";
}

}  // namespace

TEST_CASE("a client over its rate waits as long as the bucket needs to refill, measured on the injected clock") {
  ServeSettings serve;
  serve.address_rate = 0.5;  // a request every two seconds
  serve.address_burst = 2;
  ServeMetrics metrics;
  FakeClocks time;
  Admission admission(serve, metrics, time.clocks());
  CHECK_FALSE(admission.admit_address("192.0.2.1", 1));
  CHECK_FALSE(admission.admit_address("192.0.2.1", 1));
  auto refused = admission.admit_address("192.0.2.1", 3);
  REQUIRE(refused);
  CHECK(refused->status == 429);
  CHECK(retry_after(*refused) == "2");
  CHECK_FALSE(admission.admit_address("192.0.2.2", 1));  // another client has its own bucket
  time.steady += std::chrono::seconds(2);
  CHECK_FALSE(admission.admit_address("192.0.2.1", 1));
  std::string text = metrics.text(0);
  CHECK_THAT(text, Catch::Contains("crowdfeed_serve_rate_limited_total{scope=\"address\"} 1"));
  CHECK_THAT(text, Catch::Contains("crowdfeed_serve_votes_refused_total{reason=\"rate_limited\"} 3"));
}

TEST_CASE("a voter's daily cap holds until the next UTC day, and votes not stored are given back") {
  ServeSettings serve;
  serve.daily_cap = 3;
  ServeMetrics metrics;
  FakeClocks time;
  Admission admission(serve, metrics, time.clocks());
  const std::int64_t day = admission.today();
  CHECK_FALSE(admission.admit_votes("alice", 3, day));
  auto capped = admission.admit_votes("alice", 1, day);
  REQUIRE(capped);
  CHECK(capped->status == 429);
  CHECK_THAT(capped->body, Catch::Contains("serve.daily_cap"));
  CHECK(retry_after(*capped) == "30");  // midnight is 30 seconds away
  admission.give_back("alice", 1, day);
  CHECK_FALSE(admission.admit_votes("alice", 1, day));
  time.wall += std::chrono::seconds(31);
  CHECK(admission.today() == day + 1);
  CHECK_FALSE(admission.admit_votes("alice", 3, admission.today()));
}

TEST_CASE("a batch larger than a voter's burst is refused as a bad request, not to be retried") {
  ServeSettings serve;
  serve.voter_burst = 10;
  ServeMetrics metrics;
  FakeClocks time;
  Admission admission(serve, metrics, time.clocks());
  auto refused = admission.admit_votes("bob", 11, admission.today());
  REQUIRE(refused);
  CHECK(refused->status == 400);
  CHECK_THAT(refused->body, Catch::Contains("serve.voter_burst"));
}
