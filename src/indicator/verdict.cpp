#include "indicator/verdict.h"

namespace crowdfeed {

const char* verdict_name(Verdict verdict) {
  return verdict == Verdict::kMalicious ? "malicious" : "non-malicious";
}

std::optional<Verdict> parse_verdict(std::string_view text) {
  if (text == "malicious" || text == "0") return Verdict::kMalicious;
  if (text == "non-malicious" || text == "1") return Verdict::kNonMalicious;
  return std::nullopt;
}

}  // namespace crowdfeed
