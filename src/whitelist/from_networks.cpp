#include "whitelist/from_networks.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <unordered_map>

#include "util/error.h"
#include "whitelist/load.h"

namespace crowdfeed {

std::vector<SeenDomain> domains_seen_on_networks(const std::vector<std::filesystem::path>& files, int min_networks,
                                                 std::int64_t top) {
  std::unordered_map<std::string, int> networks;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(fmt::format("cannot read {}", file.string()));
    std::string content(std::istreambuf_iterator<char>(in), {});
    std::vector<std::string> domains;
    read_list(std::move(content), "auto", top, file.string(),
              [&](std::string&& domain) { domains.push_back(std::move(domain)); });
    // A list that names a domain twice is still one network.
    std::sort(domains.begin(), domains.end());
    domains.erase(std::unique(domains.begin(), domains.end()), domains.end());
    for (auto& domain : domains) ++networks[std::move(domain)];
  }
  std::vector<SeenDomain> seen;
  for (auto& [domain, count] : networks) {
    if (count >= min_networks) seen.push_back({domain, count});
  }
  std::sort(seen.begin(), seen.end(), [](const SeenDomain& a, const SeenDomain& b) { return a.domain < b.domain; });
  return seen;
}

std::string render_network_whitelist(const std::vector<SeenDomain>& domains, std::size_t lists, int min_networks) {
  std::string text = fmt::format("# crowdfeed whitelist: the {} domains seen on at least {} of {} network lists\n",
                                 domains.size(), min_networks, lists);
  for (const auto& seen : domains) text += fmt::format("{}  # seen on {} networks\n", seen.domain, seen.networks);
  return text;
}

}  // namespace crowdfeed
