#include "whitelist/whitelist.h"

#include <fmt/format.h>

#include <bit>

#include "util/error.h"

namespace crowdfeed {

Whitelist::Whitelist(std::vector<WhitelistSource> sources, std::int64_t min_observed)
    : sources_(std::move(sources)), min_observed_(min_observed) {
  if (sources_.size() > kMaxSources) throw UsageError(fmt::format("at most {} whitelist sources", kMaxSources));
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    if (sources_[i].trusted) trusted_mask_ |= std::uint64_t{1} << i;
  }
}

void Whitelist::add(std::string_view domain, std::size_t source) {
  auto found = entries_.find(domain);
  if (found == entries_.end()) found = entries_.emplace(std::string(domain), 0).first;
  found->second |= std::uint64_t{1} << source;
}

WhitelistListing Whitelist::listing(const std::string& entry, std::uint64_t sources) const {
  WhitelistListing result{entry, sources, (sources & trusted_mask_) != 0, std::popcount(sources & ~trusted_mask_),
                          false};
  result.effective = result.trusted || result.observed >= min_observed_;
  return result;
}

std::optional<WhitelistListing> Whitelist::match(std::string_view domain) const {
  while (true) {
    if (auto found = entries_.find(domain); found != entries_.end()) {
      std::uint64_t sources = found->second;
      if ((sources & trusted_mask_) != 0 || std::popcount(sources & ~trusted_mask_) >= min_observed_) {
        return listing(found->first, sources);
      }
    }
    auto dot = domain.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    domain.remove_prefix(dot + 1);
  }
}

std::vector<WhitelistListing> Whitelist::listings(std::string_view domain) const {
  std::vector<WhitelistListing> all;
  while (true) {
    if (auto found = entries_.find(domain); found != entries_.end()) all.push_back(listing(found->first, found->second));
    auto dot = domain.find('.');
    if (dot == std::string_view::npos) return all;
    domain.remove_prefix(dot + 1);
  }
}

std::string Whitelist::describe(const WhitelistListing& listing) const {
  std::string trusted, observed;
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    if ((listing.sources & (std::uint64_t{1} << i)) == 0) continue;
    std::string& names = sources_[i].trusted ? trusted : observed;
    names += (names.empty() ? "" : ", ") + sources_[i].name;
  }
  std::string text;
  if (!trusted.empty()) text = "trusted: " + trusted;
  if (!observed.empty()) {
    text += fmt::format("{}observed by {} ({} of min {})", text.empty() ? "" : "; ", observed, listing.observed,
                        min_observed_);
  }
  return text;
}

}  // namespace crowdfeed
