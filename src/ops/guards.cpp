#include "ops/guards.h"

#include <fmt/format.h>

#include <unordered_set>

#include "domain/normalise.h"

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
                                          const PreviousCounts& previous) {
  std::vector<std::string> violations;
  check_size(guards, feeds.malicious, previous.malicious, violations);
  check_size(guards, feeds.non_malicious, previous.non_malicious, violations);
  std::unordered_set<std::string> canaries;
  for (const auto* list : {&guards.canaries, &guards.extra_canaries}) {
    for (const auto& canary : *list) {
      NormalisedDomain domain = normalise_domain(canary);
      if (domain.ok()) canaries.insert(domain.domain);
    }
  }
  for (const auto& entry : feeds.malicious.entries) {
    if (canaries.contains(entry.domain)) {
      violations.push_back(fmt::format("the canary domain {} would be in {}", entry.domain, feeds.malicious.name));
    }
  }
  return violations;
}

}  // namespace crowdfeed
