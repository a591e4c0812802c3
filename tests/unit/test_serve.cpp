#include <catch2/catch.hpp>

#include "serve/rate_limit.h"
#include "serve/tokens.h"

using namespace crowdfeed;
using namespace std::chrono_literals;

TEST_CASE("a token bucket lets a burst through, then its rate, and says when to retry") {
  RateLimiter limiter(2.0, 5.0);  // 2 a second, bursts of 5
  auto start = RateLimiter::Clock::time_point{} + 100s;
  double retry = 0;
  for (int i = 0; i < 5; ++i) CHECK(limiter.take("a", 1, start, retry));
  CHECK_FALSE(limiter.take("a", 1, start, retry));
  CHECK(retry == Approx(0.5));
  CHECK(limiter.take("b", 1, start, retry));  // another key has its own bucket
  CHECK(limiter.take("a", 1, start + 500ms, retry));
  CHECK_FALSE(limiter.take("a", 1, start + 500ms, retry));
  CHECK(limiter.take("a", 5, start + 60s, retry));  // refilled, never beyond the burst
  CHECK_FALSE(limiter.take("a", 1, start + 60s, retry));
  CHECK_FALSE(limiter.take("a", 6, start + 120s, retry));  // more than a burst: never
  CHECK(retry < 0);
}

TEST_CASE("tokens are random, and kept as their SHA-256") {
  std::string one = new_token(), two = new_token();
  CHECK(one.size() == 68);
  CHECK(one.starts_with("cfv_"));
  CHECK(one != two);
  CHECK(token_sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(same_secret("abc", "abc"));
  CHECK_FALSE(same_secret("abc", "abd"));
  CHECK_FALSE(same_secret("abc", "abcd"));
}
