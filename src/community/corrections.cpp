#include "community/corrections.h"

#include <unordered_set>

#include "feeds/deltas.h"
#include "feeds/settings.h"
#include "util/log.h"
#include "votes/stores.h"

namespace crowdfeed {

std::size_t record_corrections(const VotesSettings& votes, const FeedSettings& feeds,
                               const std::filesystem::path& feeds_dir, TimePoint version, TimePoint now) {
  if (!votes.tally_query.empty()) return 0;  // a site's own tallies: no disputes
  std::unique_ptr<VoteStore> store = open_vote_store(votes, StoreAccess::kRead);
  std::vector<Dispute> waiting;
  for (Dispute& dispute : store->disputes({DisputeStatus::kAccepted, "", 1000000})) {
    if (dispute.corrected_version.empty()) waiting.push_back(std::move(dispute));
  }
  if (waiting.empty()) return 0;
  std::unordered_set<std::string> listed[kIndicatorGroups];
  for (const FeedSpec& feed : feed_set(feeds)) {
    if (feed.verdict != Verdict::kMalicious) continue;
    for (std::string& entry : read_plain_feed(feeds_dir / (feed.name + ".txt"))) {
      listed[static_cast<std::size_t>(feed.group)].insert(std::move(entry));
    }
  }
  std::size_t marked = 0;
  const std::string published = format_version(version);
  for (const Dispute& dispute : waiting) {
    bool malicious = listed[static_cast<std::size_t>(group_of(dispute.type))].contains(dispute.indicator);
    if (!corrected_by(dispute, malicious)) continue;
    store->mark_corrected(dispute.id, published, now);
    log::info("dispute {} on {} is corrected in version {}", dispute.id, dispute.indicator, published);
    ++marked;
  }
  return marked;
}

}  // namespace crowdfeed
