#include "community/account.h"

#include <fmt/format.h>

#include "community/allow_list.h"
#include "policy/confidence.h"
#include "util/text.h"
#include "votes/stores.h"
#include "votes/tally_query.h"

namespace crowdfeed {

namespace {

std::string listed_in(const std::vector<std::string>& feeds) {
  return fmt::format("listed in {}", join_names(feeds));
}

}  // namespace

IndicatorAccount account_of(const AccountSources& sources, const NormalisedIndicator& indicator, TimePoint now) {
  IndicatorAccount account;
  account.value = indicator.value;
  account.type = indicator.type;
  TallyWindow window = tally_window(sources.policy, now);
  window.until = window.now;

  for (const PublishedFeed& feed : sources.published.feeds) {
    if (feed.group != group_of(indicator.type)) continue;
    PublishedListing listing{feed.name, false, std::nullopt};
    if (auto found = feed.listed.find(indicator.value); found != feed.listed.end()) {
      listing.listed = true;
      listing.since = found->second;
    } else if (feed.covers_subdomains) {
      auto listed = [&](std::string_view parent) { return feed.listed.contains(std::string(parent)); };
      listing.through_parent = listed_parent(indicator.value, listed).value_or("");
    }
    account.published.push_back(std::move(listing));
  }

  VoteStore* store = sources.votes.tally_query.empty() ? sources.store : nullptr;
  account.tally = store != nullptr ? store->tally(indicator.value, window.since, window.until, trust_of(sources.policy))
                                   : read_tally(sources.votes, sources.policy, window, indicator.value);
  if (!account.tally) {
    account.reason = "no votes counted";
    account.why = "not listed: no votes counted";
  } else {
    Placement placement = sources.placer.place(*account.tally);
    account.verdict = placement.decision.verdict;
    account.reason = placement.decision.reason;
    account.next_feeds = sources.placer.feed_names(placement);
    if (account.verdict) {
      account.confidence = confidence(sources.policy, *account.tally, *account.verdict, confidence_day(window.until));
    }
    // The allow-list of accepted disputes, as the run applies it: a trusted
    // whitelist entry (sources.placer may hold it already, or not).
    if (placement.listed() && *account.verdict == Verdict::kMalicious) {
      account.allowed_by = covering_entry(sources.allowed, indicator.value, indicator.type);
      if (account.allowed_by) account.next_feeds.clear();
    } else if (placement.excluded_by) {
      account.allowed_by = covering_entry(sources.allowed, indicator.value, indicator.type);
      account.excluded_by = placement.exclusion;
    }
    if (account.allowed_by) {
      account.why = fmt::format("not listed: voted {}, kept out by the allow-list of accepted dispute {}",
                                verdict_name(*account.verdict), account.allowed_by->dispute);
    } else if (placement.excluded_by) {
      account.why = fmt::format("not listed: voted {}, kept out by the whitelist (entry {}, {})",
                                verdict_name(*account.verdict), placement.excluded_by->entry, placement.exclusion);
    } else if (!account.verdict) {
      account.why = fmt::format("not listed: {}", placement.decision.reason);
    } else if (account.next_feeds.empty()) {
      account.why = fmt::format("not listed: no {} {} feed is configured", verdict_name(*account.verdict),
                                group_name(group_of(indicator.type)));
    } else {
      account.why = listed_in(account.next_feeds);
    }
  }

  // The votes: by day (counted or not) and by voter.
  const TimePoint first_day = TimePoint(std::chrono::floor<std::chrono::days>(now)) - std::chrono::days(kShownDays - 1);
  for (int i = 0; i < kShownDays; ++i) account.days.push_back({first_day + std::chrono::days(i), 0, 0});
  const std::vector<CountedVote> votes =
      store != nullptr ? read_counted_votes(*store, sources.policy, window, indicator.value)
                       : read_counted_votes(sources.votes, sources.policy, window, indicator.value);
  for (const CountedVote& counted : votes) {
    if (counted.vote.cast_at >= first_day && counted.vote.cast_at <= now) {
      DayOfVotes& day =
          account.days[static_cast<std::size_t>((counted.vote.cast_at - first_day) / std::chrono::days(1))];
      ++(counted.weight > 0 ? day.counted : day.uncounted);
    }
    if (account.voters.size() < kShownVoters) {
      account.voters.push_back({counted.vote.voter, counted.vote.verdict, counted.weight, counted.vote.cast_at});
    } else {
      ++account.more_voters;
    }
  }
  if (sources.reports) account.reports = sources.reports(indicator.value);
  if (store != nullptr) {
    account.disputes = store->disputes({std::nullopt, indicator.value, 50});
  } else if (sources.votes.tally_query.empty()) {
    account.disputes =
        open_vote_store(sources.votes, StoreAccess::kRead)->disputes({std::nullopt, indicator.value, 50});
  }
  return account;
}

}  // namespace crowdfeed
