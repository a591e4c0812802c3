#include "community/allow_list.h"

#include <algorithm>

#include "util/sha256.h"
#include "votes/stores.h"

namespace crowdfeed {

void add_allow_list(const std::vector<AllowEntry>& entries, WhitelistSettings& settings, FetchedWhitelist& fetched) {
  if (entries.empty()) return;
  WhitelistSourceSettings source;
  source.name = std::string(kAllowListSource);
  source.kind = WhitelistSourceSettings::Kind::kTrusted;
  source.location = "the votes store";
  source.format = "plain";
  settings.sources.push_back(std::move(source));
  FetchedSource fetched_source;
  ParsedList parsed;
  for (const AllowEntry& entry : entries) {
    fetched_source.content += entry.indicator;
    fetched_source.content += '\n';
    parsed.entries.emplace_back(group_of(entry.type), entry.indicator);
  }
  parsed.stats.entries = entries.size();
  fetched_source.sha256 = sha256_hex(fetched_source.content);
  fetched_source.origin = "the votes store";
  fetched_source.parsed = std::move(parsed);
  fetched.sources.push_back(std::move(fetched_source));
}

std::vector<AllowEntry> read_allow_list(const VotesSettings& votes, TimePoint at) {
  if (!votes.tally_query.empty()) return {};
  return open_vote_store(votes, StoreAccess::kRead)->allowed(at);
}

std::optional<AllowEntry> covering_entry(const std::vector<AllowEntry>& entries, std::string_view indicator,
                                         IndicatorType type) {
  auto find = [&](std::string_view value) -> std::optional<AllowEntry> {
    auto found = std::lower_bound(entries.begin(), entries.end(), value,
                                  [](const AllowEntry& entry, std::string_view v) { return entry.indicator < v; });
    if (found != entries.end() && found->indicator == value && group_of(found->type) == group_of(type)) return *found;
    return std::nullopt;
  };
  if (type != IndicatorType::kDomain) return find(indicator);
  for (std::string_view name = indicator;;) {
    if (auto entry = find(name)) return entry;
    auto dot = name.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    name.remove_prefix(dot + 1);
  }
}

}  // namespace crowdfeed
