// Well-known good domains that never reach the malicious feed. An entry
// covers itself and every subdomain, on label boundaries: "example.com"
// covers "www.example.com", never "badexample.com". An entry counts when
// one trusted source lists it, or at least min_observed observed sources.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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

  // The most specific effective entry covering `domain`, if any. The cost is
  // one hash lookup per label, whatever the whitelist's size.
  std::optional<WhitelistListing> match(std::string_view domain) const;

  // Every entry covering `domain`, effective or not, most specific first.
  std::vector<WhitelistListing> listings(std::string_view domain) const;

  // "trusted: ops-allowlist" or "observed by tranco, umbrella (2 of min 2)".
  std::string describe(const WhitelistListing& listing) const;

  const std::vector<WhitelistSource>& sources() const { return sources_; }
  std::int64_t min_observed() const { return min_observed_; }
  std::size_t size() const { return entries_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  WhitelistListing listing(const std::string& entry, std::uint64_t sources) const;

  std::vector<WhitelistSource> sources_;
  std::int64_t min_observed_;
  std::uint64_t trusted_mask_ = 0;
  std::unordered_map<std::string, std::uint64_t, Hash, std::equal_to<>> entries_;  // domain -> source bits
};

}  // namespace crowdfeed
