#include "ops/guards.h"

#include <fmt/format.h>

#include <unordered_set>

#include "indicator/indicator.h"
#include "util/error.h"

namespace crowdfeed {
namespace {

void check_size(const GuardSettings& guards, const Feed& feed, std::size_t before, std::vector<std::string>& out) {
  std::size_t now = feed.entries.size();
  if (before > 0 && now == 0) {
    out.push_back(fmt::format("{} would become empty (it has {} entries)", feed.name, before));
    return;
  }
  // Ratios mean little on a small feed; emptiness is checked whatever the size.
  if (before < static_cast<std::size_t>(guards.min_entries)) return;
  double change = (static_cast<double>(now) - static_cast<double>(before)) / static_cast<double>(before);
  if (-change > guards.max_shrink) {
    out.push_back(fmt::format("{} would shrink from {} to {} entries ({:.0f}%, more than max_shrink {:.0f}%)",
                              feed.name, before, now, -change * 100, guards.max_shrink * 100));
  }
  if (change > guards.max_growth) {
    out.push_back(fmt::format("{} would grow from {} to {} entries (+{:.0f}%, more than max_growth {:.0f}%)", feed.name,
                              before, now, change * 100, guards.max_growth * 100));
  }
}

}  // namespace

std::vector<std::string> guard_violations(const GuardSettings& guards, const FeedSet& feeds,
                                          const std::vector<std::size_t>& previous) {
  std::vector<std::string> violations;
  for (std::size_t i = 0; i < feeds.feeds.size(); ++i) {
    check_size(guards, feeds.feeds[i], i < previous.size() ? previous[i] : 0, violations);
  }
  // Canaries of every type, normalised as votes are; the configuration
  // checks that each one is valid.
  std::unordered_set<std::string> canaries;
  for (const auto* list : {&guards.canaries, &guards.ip_canaries, &guards.extra_canaries}) {
    for (const auto& canary : *list) {
      NormalisedIndicator indicator = normalise_indicator(canary);
      if (indicator.ok()) canaries.insert(indicator.value);
    }
  }
  for (const Feed& feed : feeds.feeds) {
    if (feed.verdict != Verdict::kMalicious) continue;
    for (const auto& entry : feed.entries) {
      if (canaries.contains(entry.value)) {
        violations.push_back(
            fmt::format("the canary {} {} would be in {}", type_name(entry.type), entry.value, feed.name));
      }
    }
  }
  return violations;
}

void validate(const GuardSettings& guards) {
  if (!(guards.max_shrink >= 0 && guards.max_shrink <= 1))
    throw UsageError("guards.max_shrink must be between 0 and 1");
  if (!(guards.max_growth >= 0)) throw UsageError("guards.max_growth must not be negative");
  if (guards.min_entries < 0) throw UsageError("guards.min_entries must not be negative");
  for (const auto& [key, list] :
       {std::pair{"canaries", &guards.canaries}, std::pair{"ip_canaries", &guards.ip_canaries},
        std::pair{"extra_canaries", &guards.extra_canaries}}) {
    for (const auto& canary : *list) {
      NormalisedIndicator indicator = normalise_indicator(canary);
      if (!indicator.ok()) {
        throw UsageError(fmt::format("guards.{}: {:?} {}", key, canary, indicator.problem));
      }
      if (list == &guards.ip_canaries && group_of(indicator.type) != IndicatorGroup::kIp) {
        throw UsageError(fmt::format("guards.ip_canaries: {:?} is not an IP address", canary));
      }
    }
  }
}

}  // namespace crowdfeed
