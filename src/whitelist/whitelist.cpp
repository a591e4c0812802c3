#include "whitelist/whitelist.h"

#include <fmt/format.h>

#include <algorithm>
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

namespace {

std::uint64_t hash_of(std::string_view text) {
  return std::hash<std::string_view>{}(text);
}

}  // namespace

std::size_t Whitelist::find_slot(std::string_view domain, std::uint64_t hash) const {
  std::size_t mask = slots_.size() - 1;
  for (std::size_t position = hash & mask;; position = (position + 1) & mask) {
    const Slot& slot = slots_[position];
    if (slot.entry == kEmpty || (slot.hash == hash && text(entries_[slot.entry]) == domain)) return position;
  }
}

const Whitelist::Entry* Whitelist::find(std::string_view domain) const {
  if (slots_.empty()) return nullptr;
  const Slot& slot = slots_[find_slot(domain, hash_of(domain))];
  return slot.entry == kEmpty ? nullptr : &entries_[slot.entry];
}

void Whitelist::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(std::max<std::size_t>(1024, old.size() * 2), Slot{0, kEmpty});
  for (const Slot& slot : old) {
    if (slot.entry != kEmpty) slots_[find_slot(text(entries_[slot.entry]), slot.hash)] = slot;
  }
}

void Whitelist::add(std::string_view domain, std::size_t source) {
  if ((entries_.size() + 1) * 2 > slots_.size()) grow();
  std::uint64_t hash = hash_of(domain);
  Slot& slot = slots_[find_slot(domain, hash)];
  if (slot.entry == kEmpty) {
    if (arena_.size() + domain.size() > UINT32_MAX) throw Error("the whitelist is larger than 4 GiB");
    slot = {hash, static_cast<std::uint32_t>(entries_.size())};
    entries_.push_back({static_cast<std::uint32_t>(arena_.size()), static_cast<std::uint32_t>(domain.size()), 0});
    arena_.append(domain);
  }
  entries_[slot.entry].sources |= std::uint64_t{1} << source;
}

namespace {

// A network's key in the per-prefix maps: its address bytes.
std::string network_key(const AddressRange& range) {
  return {reinterpret_cast<const char*>(range.bytes.data()), range.ipv6 ? std::size_t{16} : std::size_t{4}};
}

}  // namespace

void Whitelist::add_range(const AddressRange& range, std::size_t source) {
  auto& by_prefix = range.ipv6 ? ipv6_ranges_ : ipv4_ranges_;
  auto [found, inserted] = by_prefix[range.prefix_length].try_emplace(network_key(range), 0);
  if (inserted) ++ranges_;
  found->second |= std::uint64_t{1} << source;
}

void Whitelist::add_hash(std::string_view hash, std::size_t source) {
  hashes_[std::string(hash)] |= std::uint64_t{1} << source;
}

WhitelistListing Whitelist::listing(const Entry& entry) const {
  return listing(std::string(text(entry)), entry.sources);
}

WhitelistListing Whitelist::listing(std::string entry, std::uint64_t sources) const {
  WhitelistListing result{std::move(entry), sources, (sources & trusted_mask_) != 0,
                          std::popcount(sources & ~trusted_mask_), false};
  result.effective = result.trusted || result.observed >= min_observed_;
  return result;
}

std::vector<WhitelistListing> Whitelist::typed_listings(std::string_view value, IndicatorType type) const {
  std::vector<WhitelistListing> all;
  if (group_of(type) == IndicatorGroup::kHash) {
    if (auto found = hashes_.find(std::string(value)); found != hashes_.end()) {
      all.push_back(listing(found->first, found->second));
    }
    return all;
  }
  bool ipv6 = type == IndicatorType::kIpv6;
  auto bytes = address_bytes(value, ipv6);
  if (!bytes) return all;
  for (const auto& [prefix_length, networks] : ipv6 ? ipv6_ranges_ : ipv4_ranges_) {
    AddressRange network{ipv6, *bytes, prefix_length};
    network.clear_host_bits();
    if (auto found = networks.find(network_key(network)); found != networks.end()) {
      all.push_back(listing(network.text(), found->second));
    }
  }
  return all;
}

std::optional<WhitelistListing> Whitelist::match(std::string_view value, IndicatorType type) const {
  if (type == IndicatorType::kDomain) return match(value);
  for (auto& candidate : typed_listings(value, type)) {
    if (candidate.effective) return std::move(candidate);
  }
  return std::nullopt;
}

std::vector<WhitelistListing> Whitelist::listings(std::string_view value, IndicatorType type) const {
  return type == IndicatorType::kDomain ? listings(value) : typed_listings(value, type);
}

std::optional<WhitelistListing> Whitelist::match(std::string_view domain) const {
  while (true) {
    if (const Entry* entry = find(domain)) {
      if ((entry->sources & trusted_mask_) != 0 || std::popcount(entry->sources & ~trusted_mask_) >= min_observed_) {
        return listing(*entry);
      }
    }
    auto dot = domain.find('.');
    // Entries have at least two labels: the top-level label alone is never one.
    if (dot == std::string_view::npos || domain.find('.', dot + 1) == std::string_view::npos) return std::nullopt;
    domain.remove_prefix(dot + 1);
  }
}

std::vector<WhitelistListing> Whitelist::listings(std::string_view domain) const {
  std::vector<WhitelistListing> all;
  while (true) {
    if (const Entry* entry = find(domain)) all.push_back(listing(*entry));
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
