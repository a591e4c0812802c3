// Well-known good domains that never reach the malicious feed. An entry
// covers itself and every subdomain, on label boundaries: "example.com"
// covers "www.example.com", never "badexample.com".
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace crowdfeed {

struct WhitelistMatch {
  std::string entry;   // the listed domain that covers the candidate
  std::string source;  // where it was listed
};

struct WhitelistSourceStats {
  std::string source;
  std::size_t entries = 0;
  std::size_t invalid = 0;
};

class Whitelist {
 public:
  // `domain` must be normalised; `source` names where it came from.
  void add(std::string domain, std::string_view source);

  // The entry covering `domain` or one of its parents, if any. The cost is
  // one hash lookup per label, whatever the whitelist's size.
  std::optional<WhitelistMatch> match(std::string_view domain) const;

  std::size_t size() const { return entries_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::unordered_map<std::string, std::size_t, Hash, std::equal_to<>> entries_;  // domain -> source index
  std::vector<std::string> sources_;
};

// Reads plain lists (one domain a line; '#' and '!' comments; blank lines).
// Invalid lines are counted and warned about, not fatal; a missing or
// unreadable file is an Error, because publishing without the whitelist
// could block popular domains.
Whitelist load_whitelist(const std::vector<std::filesystem::path>& files,
                         std::vector<WhitelistSourceStats>* stats = nullptr);

}  // namespace crowdfeed
