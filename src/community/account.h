// One indicator's account, as the community pages and their JSON twins
// give it: what the last publish did with it (each feed, since which
// hour), what the next hourly run will do and exactly why (the policy's
// thresholds, the whitelist or the allow-list of an accepted dispute, a
// public suffix), through the same FeedBuilder::place the run uses, its
// votes by day and by voter, its confidence and its disputes.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cluster/outputs.h"
#include "community/published.h"
#include "config/settings.h"
#include "feeds/build.h"
#include "indicator/indicator.h"
#include "votes/disputes.h"
#include "votes/store.h"
#include "votes/tally.h"

namespace crowdfeed {

// What the account is built from; the references must outlive the call.
struct AccountSources {
  const VotesSettings& votes;
  const Policy& policy;
  VoteStore* store;           // open already (nullptr: opened as needed, or votes.tally_query)
  const FeedBuilder& placer;  // the configured feeds and the whitelist (allow-list included)
  const PublishedFeeds& published;
  const std::vector<AllowEntry>& allowed;  // the allow-list in force now
  // The clustered threat reports that name an indicator, when a cluster
  // output is configured (see crowdfeed cluster); nullptr: none.
  std::function<std::vector<ClusteredReport>(const std::string& indicator)> reports = nullptr;
};

struct PublishedListing {
  std::string feed;
  bool listed = false;
  std::optional<TimePoint> since;  // when listed: the hour, if still archived
  // When not listed itself: the listed parent through which the feed's
  // subdomain-covering formats (RPZ, Unbound, ...) still reach it.
  std::string through_parent;
};

struct DayOfVotes {
  TimePoint day{};  // midnight UTC
  std::int64_t counted = 0;
  std::int64_t uncounted = 0;
};

struct VoterOfIndicator {
  std::string voter;  // the store's name: the pages show a pseudonym
  Verdict verdict = Verdict::kMalicious;
  std::int64_t weight = 1;  // 0: not counted
  TimePoint cast_at{};
};

struct IndicatorAccount {
  std::string value;
  IndicatorType type = IndicatorType::kDomain;
  std::optional<Tally> tally;
  std::optional<Verdict> verdict;        // the policy's, before the whitelist
  std::string reason;                    // the policy's reason, in words
  std::vector<std::string> next_feeds;   // where the next run lists it
  std::string why;                       // one sentence: listed where, or why not
  std::string excluded_by;               // the whitelist's rule that keeps it out, if any
  std::optional<AllowEntry> allowed_by;  // the accepted dispute that keeps it out, if any
  int confidence = 0;
  std::vector<PublishedListing> published;
  std::vector<DayOfVotes> days;          // the last kShownDays days, oldest first
  std::vector<VoterOfIndicator> voters;  // newest first, at most kShownVoters
  std::int64_t more_voters = 0;
  std::vector<Dispute> disputes;         // newest first
  std::vector<ClusteredReport> reports;  // the clustered threat reports that name it
};

inline constexpr int kShownDays = 30;
inline constexpr std::size_t kShownVoters = 50;

// The account of a normalised indicator as of `now`: the next run counts
// every vote cast until then.
IndicatorAccount account_of(const AccountSources& sources, const NormalisedIndicator& indicator, TimePoint now);

}  // namespace crowdfeed
