// One community vote: a voter says an indicator (a domain, an IP address, a
// file hash) is malicious or non-malicious.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "indicator/indicator.h"
#include "util/time.h"

namespace crowdfeed {

// The values are the public vote API's: vote=0 meant malicious, vote=1
// non-malicious. They are also what the votes table stores.
enum class Verdict : int { kMalicious = 0, kNonMalicious = 1 };

struct Vote {
  std::string indicator;  // normalised for its type
  Verdict verdict = Verdict::kMalicious;
  std::string voter;
  TimePoint cast_at{};
  IndicatorType type = IndicatorType::kDomain;
};

const char* verdict_name(Verdict verdict);

// "malicious", "non-malicious", "0" or "1"; nullopt otherwise.
std::optional<Verdict> parse_verdict(std::string_view text);

}  // namespace crowdfeed
