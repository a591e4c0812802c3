#include "community/corrections.h"

#include <unordered_set>

#include "community/published.h"
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
  // Each malicious feed's entries, and whether it reaches subdomains.
  struct Listed {
    IndicatorGroup group;
    bool covers_subdomains;
    std::unordered_set<std::string> entries;
  };
  std::vector<Listed> listed;
  for (const FeedSpec& feed : feed_set(feeds)) {
    if (feed.verdict != Verdict::kMalicious) continue;
    Listed& found = listed.emplace_back(Listed{feed.group, covers_subdomains(feed), {}});
    for (std::string& entry : read_plain_feed(feeds_dir / (feed.name + ".txt"))) found.entries.insert(std::move(entry));
  }
  // Blocked: listed itself, or, for a domain, through a listed parent in a
  // feed whose formats reach subdomains.
  auto blocked = [&](const Dispute& dispute) {
    for (const Listed& feed : listed) {
      if (feed.group != group_of(dispute.type)) continue;
      if (feed.entries.contains(dispute.indicator)) return true;
      auto in_feed = [&](std::string_view parent) { return feed.entries.contains(std::string(parent)); };
      if (feed.covers_subdomains && listed_parent(dispute.indicator, in_feed)) return true;
    }
    return false;
  };
  std::size_t marked = 0;
  const std::string published = format_version(version);
  for (const Dispute& dispute : waiting) {
    if (!corrected_by(dispute, blocked(dispute))) continue;
    store->mark_corrected(dispute.id, published, now);
    log::info("dispute {} on {} is corrected in version {}", dispute.id, dispute.indicator, published);
    ++marked;
  }
  return marked;
}

}  // namespace crowdfeed
