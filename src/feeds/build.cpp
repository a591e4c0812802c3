#include "feeds/build.h"

#include <algorithm>

namespace crowdfeed {
namespace {

FeedEntry entry_from(const Tally& tally) {
  return {tally.indicator, tally.malicious_votes, tally.non_malicious_votes, tally.first_vote_at, tally.last_vote_at};
}

void sort_entries(std::vector<FeedEntry>& entries) {
  auto by_domain = [](const FeedEntry& a, const FeedEntry& b) { return a.domain < b.domain; };
  if (!std::is_sorted(entries.begin(), entries.end(), by_domain)) std::sort(entries.begin(), entries.end(), by_domain);
}

}  // namespace

FeedBuilder::FeedBuilder(const Policy& policy, const Whitelist& whitelist, const FeedSettings& settings)
    : policy_(policy), whitelist_(whitelist) {
  feeds_.malicious.name = settings.malicious_name;
  feeds_.malicious.verdict = Verdict::kMalicious;
  feeds_.non_malicious.name = settings.non_malicious_name;
  feeds_.non_malicious.verdict = Verdict::kNonMalicious;
}

void FeedBuilder::add(const Tally& tally) {
  if (tally.type != IndicatorType::kDomain) return;  // the feeds hold domains only, for now
  Decision decision = decide(policy_, tally);
  if (decision.verdict == Verdict::kNonMalicious) {
    feeds_.non_malicious.entries.push_back(entry_from(tally));
  } else if (decision.verdict == Verdict::kMalicious) {
    if (auto listing = whitelist_.match(tally.indicator)) {
      std::string rule = whitelist_.describe(*listing);
      feeds_.excluded.push_back({entry_from(tally), std::move(*listing), std::move(rule)});
    } else {
      feeds_.malicious.entries.push_back(entry_from(tally));
    }
  }
}

FeedSet FeedBuilder::finish() && {
  sort_entries(feeds_.malicious.entries);
  sort_entries(feeds_.non_malicious.entries);
  return std::move(feeds_);
}

}  // namespace crowdfeed
