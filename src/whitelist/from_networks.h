// Building a whitelist from several networks' top-domain lists: the
// domains that at least K networks saw are very likely legitimate.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace crowdfeed {

struct SeenDomain {
  std::string domain;
  int networks = 0;  // how many of the lists hold it
};

// Reads each file (any list format, plain or .gz/.zip; one file per network,
// cut to its top `top` entries when top > 0) and returns the domains listed
// by at least `min_networks` of them, sorted. Throws Error naming a file
// that cannot be read or is not a list.
std::vector<SeenDomain> domains_seen_on_networks(const std::vector<std::filesystem::path>& files, int min_networks,
                                                 std::int64_t top);

// The plain whitelist text: a '#' header, then "domain  # seen on N networks".
std::string render_network_whitelist(const std::vector<SeenDomain>& domains, std::size_t lists, int min_networks);

}  // namespace crowdfeed
