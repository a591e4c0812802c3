// Well-known good indicators that never reach a malicious feed. A domain
// entry covers itself and every subdomain, on label boundaries:
// "example.com" covers "www.example.com", never "badexample.com". An IP
// entry is an address or a CIDR range, matched by longest prefix; a hash
// entry covers that hash. An entry never matches another type. An entry
// counts when one trusted source lists it, or at least min_observed
// observed sources.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "indicator/indicator.h"
#include "indicator/ip_address.h"

namespace crowdfeed {

struct WhitelistSource {
  std::string name;
  bool trusted = true;  // false: observed
};

// An entry that covers a domain, and who listed it.
struct WhitelistListing {
  std::string entry;
  std::uint64_t sources = 0;  // bit i: sources()[i] lists the entry
  bool trusted = false;       // a trusted source lists it
  int observed = 0;           // how many observed sources list it
  bool effective = false;     // trusted, or observed >= min_observed
};

class Whitelist {
 public:
  static constexpr std::size_t kMaxSources = 64;

  explicit Whitelist(std::vector<WhitelistSource> sources = {{"whitelist", true}}, std::int64_t min_observed = 2);

  // `domain` must be normalised; `source` indexes sources().
  void add(std::string_view domain, std::size_t source);
  void add_range(const AddressRange& range, std::size_t source);
  // `hash` must be normalised (lower-case hex).
  void add_hash(std::string_view hash, std::size_t source);

  // The most specific effective entry covering `domain`, if any. The cost is
  // one hash lookup per label, whatever the whitelist's size.
  std::optional<WhitelistListing> match(std::string_view domain) const;
  // The same for a normalised indicator of any type: for an address, one
  // lookup per prefix length the whitelist holds, longest first.
  std::optional<WhitelistListing> match(std::string_view value, IndicatorType type) const;

  // Every entry covering `domain`, effective or not, most specific first.
  std::vector<WhitelistListing> listings(std::string_view domain) const;
  std::vector<WhitelistListing> listings(std::string_view value, IndicatorType type) const;

  // "trusted: ops-allowlist" or "observed by tranco, umbrella (2 of min 2)".
  std::string describe(const WhitelistListing& listing) const;

  const std::vector<WhitelistSource>& sources() const { return sources_; }
  std::int64_t min_observed() const { return min_observed_; }
  std::size_t size() const { return entries_.size() + ranges_ + hashes_.size(); }

 private:
  // The entries live in one character arena, indexed by an open-addressing
  // hash table of (hash, entry) slots: a lookup that misses, the common
  // case, costs one cache line, which keeps a 1M-entry whitelist fast.
  struct Entry {
    std::uint32_t offset;  // into arena_
    std::uint32_t length;
    std::uint64_t sources;  // bit i: sources_[i] lists the entry
  };
  struct Slot {
    std::uint64_t hash;
    std::uint32_t entry;  // kEmpty when unused
  };
  static constexpr std::uint32_t kEmpty = UINT32_MAX;

  std::string_view text(const Entry& entry) const { return {arena_.data() + entry.offset, entry.length}; }
  // The slot holding `domain`, or the empty slot where it would go.
  std::size_t find_slot(std::string_view domain, std::uint64_t hash) const;
  const Entry* find(std::string_view domain) const;
  void grow();
  WhitelistListing listing(const Entry& entry) const;

  // Every listing of a non-domain value, most specific first.
  std::vector<WhitelistListing> typed_listings(std::string_view value, IndicatorType type) const;
  WhitelistListing listing(std::string entry, std::uint64_t sources) const;

  // IP ranges by family and prefix length (longest first), then by the
  // network's bytes; hashes by their text.
  using Networks = std::unordered_map<std::string, std::uint64_t>;
  std::map<int, Networks, std::greater<>> ipv4_ranges_, ipv6_ranges_;
  std::size_t ranges_ = 0;
  std::unordered_map<std::string, std::uint64_t> hashes_;

  std::vector<WhitelistSource> sources_;
  std::int64_t min_observed_;
  std::uint64_t trusted_mask_ = 0;
  std::string arena_;
  std::vector<Entry> entries_;
  std::vector<Slot> slots_;  // a power of two in size, at most half full
};

}  // namespace crowdfeed
