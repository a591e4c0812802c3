#include "feeds/build.h"

#include <fmt/format.h>

#include <algorithm>

#include "indicator/domain.h"
#include "indicator/public_suffix_list.h"
#include "policy/confidence.h"

namespace crowdfeed {
namespace {

FeedEntry entry_from(const Tally& tally, int confidence = 0) {
  return {tally.indicator,     tally.malicious_votes, tally.non_malicious_votes,
          tally.first_vote_at, tally.last_vote_at,    tally.type,
          confidence};
}

void sort_entries(std::vector<FeedEntry>& entries) {
  auto by_value = [](const FeedEntry& a, const FeedEntry& b) { return a.value < b.value; };
  if (!std::is_sorted(entries.begin(), entries.end(), by_value)) std::sort(entries.begin(), entries.end(), by_value);
}

}  // namespace

FeedBuilder::FeedBuilder(const Policy& policy, const Whitelist& whitelist, const std::vector<FeedSpec>& feeds,
                         TimePoint at)
    : policy_(policy), whitelist_(whitelist), at_(at) {
  for (const FeedSpec& spec : feeds) {
    routes_[static_cast<std::size_t>(spec.group)][static_cast<std::size_t>(spec.verdict)].push_back(
        feeds_.feeds.size());
    feeds_.feeds.push_back({spec.name, spec.verdict, {}, spec.group});
  }
  entries_.resize(feeds_.feeds.size());
}

Placement FeedBuilder::place(const Tally& tally) const {
  Placement placement{decide(policy_, tally), nullptr, std::nullopt, {}};
  if (!placement.decision.verdict) return placement;
  const auto& targets =
      routes_[static_cast<std::size_t>(group_of(tally.type))][static_cast<std::size_t>(*placement.decision.verdict)];
  if (targets.empty()) return placement;  // no feed of this type and verdict is configured
  placement.targets = &targets;
  // A name voted in when the public suffix list did not know it as a
  // suffix: listing it would cover every site registered under it, in
  // either feed (a non-malicious feed is an allow-list to some).
  if (tally.type == IndicatorType::kDomain && is_public_suffix(tally.indicator)) {
    placement.excluded_by = WhitelistListing{tally.indicator, 0, false, 0, true};
    placement.exclusion = fmt::format("a public suffix ({})", public_suffix_list_info().origin);
    return placement;
  }
  if (*placement.decision.verdict == Verdict::kMalicious) {
    // An entry only ever matches indicators of its own type.
    if (auto listing = whitelist_.match(tally.indicator, tally.type)) {
      placement.exclusion = whitelist_.describe(*listing);
      placement.excluded_by = std::move(listing);
      return placement;
    }
  }
  return placement;
}

std::vector<std::string> FeedBuilder::feed_names(const Placement& placement) const {
  std::vector<std::string> names;
  if (!placement.listed()) return names;
  for (std::size_t target : *placement.targets) names.push_back(feeds_.feeds[target].name);
  return names;
}

void FeedBuilder::add(const Tally& tally) {
  Placement placement = place(tally);
  if (placement.excluded_by) {
    feeds_.excluded.push_back({entry_from(tally), std::move(*placement.excluded_by), std::move(placement.exclusion)});
    return;
  }
  if (!placement.listed()) return;
  const FeedEntry entry = entry_from(tally, confidence(policy_, tally, *placement.decision.verdict, at_));
  for (std::size_t target : *placement.targets) entries_[target].push_back(entry);
}

FeedSet FeedBuilder::finish() && {
  for (std::size_t i = 0; i < feeds_.feeds.size(); ++i) {
    std::vector<FeedEntry>& entries = feeds_.feeds[i].entries;
    std::deque<FeedEntry>& gathered = entries_[i];
    entries.reserve(gathered.size());
    // Block by block: what is moved out is freed as it goes.
    while (!gathered.empty()) {
      entries.push_back(std::move(gathered.front()));
      gathered.pop_front();
    }
    sort_entries(entries);
  }
  return std::move(feeds_);
}

}  // namespace crowdfeed
