// One community vote: a voter says an indicator (a domain, an IP address, a
// file hash) is malicious or non-malicious.
#pragma once

#include <string>

#include "indicator/indicator.h"
#include "indicator/verdict.h"
#include "util/time.h"

namespace crowdfeed {

struct Vote {
  std::string indicator;  // normalised for its type
  Verdict verdict = Verdict::kMalicious;
  std::string voter;
  TimePoint cast_at{};
  IndicatorType type = IndicatorType::kDomain;
};

}  // namespace crowdfeed
