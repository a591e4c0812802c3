#include "votes/recount.h"

#include <fmt/format.h>

namespace crowdfeed {
namespace {

std::string describe(const std::optional<CountedTally>& counts) {
  if (!counts) return "no votes";
  auto time = [](const std::optional<TimePoint>& at) { return at ? format_iso8601(*at) : std::string("none"); };
  return fmt::format("{} {} malicious, {} non-malicious, cast {} to {}", counts->type, counts->malicious,
                     counts->non_malicious, time(counts->first_cast_at), time(counts->last_cast_at));
}

}  // namespace

std::string describe_recount_difference(std::string_view indicator, const std::optional<CountedTally>& kept,
                                        const std::optional<CountedTally>& recounted) {
  return fmt::format("{}: kept {}; recounted {}", indicator, describe(kept), describe(recounted));
}

}  // namespace crowdfeed
