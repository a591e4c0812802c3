#include "feeds/build.h"

#include <fmt/format.h>

#include <algorithm>

#include "indicator/domain.h"
#include "indicator/public_suffix_list.h"

namespace crowdfeed {
namespace {

FeedEntry entry_from(const Tally& tally) {
  return {tally.indicator,     tally.malicious_votes, tally.non_malicious_votes,
          tally.first_vote_at, tally.last_vote_at,    tally.type};
}

void sort_entries(std::vector<FeedEntry>& entries) {
  auto by_value = [](const FeedEntry& a, const FeedEntry& b) { return a.value < b.value; };
  if (!std::is_sorted(entries.begin(), entries.end(), by_value)) std::sort(entries.begin(), entries.end(), by_value);
}

}  // namespace

FeedBuilder::FeedBuilder(const Policy& policy, const Whitelist& whitelist, const std::vector<FeedSpec>& feeds)
    : policy_(policy), whitelist_(whitelist) {
  for (const FeedSpec& spec : feeds) {
    routes_[static_cast<std::size_t>(spec.group)][static_cast<std::size_t>(spec.verdict)].push_back(
        feeds_.feeds.size());
    feeds_.feeds.push_back({spec.name, spec.verdict, {}, spec.group});
  }
}

void FeedBuilder::add(const Tally& tally) {
  Decision decision = decide(policy_, tally);
  if (!decision.verdict) return;
  const auto& targets =
      routes_[static_cast<std::size_t>(group_of(tally.type))][static_cast<std::size_t>(*decision.verdict)];
  if (targets.empty()) return;  // no feed of this type and verdict is configured
  // A name voted in when the public suffix list did not know it as a
  // suffix: listing it would cover every site registered under it, in
  // either feed (a non-malicious feed is an allow-list to some).
  if (tally.type == IndicatorType::kDomain && is_public_suffix(tally.indicator)) {
    feeds_.excluded.push_back({entry_from(tally), WhitelistListing{tally.indicator, 0, false, 0, true},
                               fmt::format("a public suffix ({})", public_suffix_list_info().origin)});
    return;
  }
  if (*decision.verdict == Verdict::kMalicious) {
    // An entry only ever matches indicators of its own type.
    if (auto listing = whitelist_.match(tally.indicator, tally.type)) {
      std::string rule = whitelist_.describe(*listing);
      feeds_.excluded.push_back({entry_from(tally), std::move(*listing), std::move(rule)});
      return;
    }
  }
  for (std::size_t target : targets) feeds_.feeds[target].entries.push_back(entry_from(tally));
}

FeedSet FeedBuilder::finish() && {
  for (Feed& feed : feeds_.feeds) sort_entries(feed.entries);
  return std::move(feeds_);
}

}  // namespace crowdfeed
