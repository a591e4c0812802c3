#include "whitelist/whitelist.h"

#include <fmt/format.h>

#include <fstream>

#include "domain/normalise.h"
#include "util/error.h"
#include "util/log.h"

namespace crowdfeed {
namespace {

constexpr std::size_t kWarningsPerFile = 10;

// The domain on a plain-list line, without comments and surrounding blanks.
std::string_view entry_text(std::string_view line) {
  if (auto comment = line.find_first_of("#!"); comment != std::string_view::npos) line = line.substr(0, comment);
  auto begin = line.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  auto end = line.find_last_not_of(" \t\r");
  return line.substr(begin, end - begin + 1);
}

}  // namespace

void Whitelist::add(std::string domain, std::string_view source) {
  if (sources_.empty() || sources_.back() != source) sources_.emplace_back(source);
  entries_.try_emplace(std::move(domain), sources_.size() - 1);
}

std::optional<WhitelistMatch> Whitelist::match(std::string_view domain) const {
  while (true) {
    if (auto found = entries_.find(domain); found != entries_.end()) {
      return WhitelistMatch{found->first, sources_[found->second]};
    }
    auto dot = domain.find('.');
    if (dot == std::string_view::npos) return std::nullopt;
    domain.remove_prefix(dot + 1);
  }
}

Whitelist load_whitelist(const std::vector<std::filesystem::path>& files, std::vector<WhitelistSourceStats>* stats) {
  Whitelist whitelist;
  for (const auto& file : files) {
    std::ifstream in(file);
    if (!in) throw Error(fmt::format("cannot read whitelist {}", file.string()));
    WhitelistSourceStats source{file.string()};
    std::string line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
      std::string_view text = entry_text(line);
      if (text.empty()) continue;
      NormalisedDomain domain = normalise_domain(text);
      if (!domain.ok()) {
        if (source.invalid++ < kWarningsPerFile) {
          log::warning("{}:{}: ignoring whitelist entry {:?}: it {}", file.string(), number, text, domain.problem);
        }
        continue;
      }
      whitelist.add(std::move(domain.domain), source.source);
      ++source.entries;
    }
    if (in.bad()) throw Error(fmt::format("cannot read whitelist {}", file.string()));
    if (source.invalid > kWarningsPerFile) {
      log::warning("{}: {} invalid entries in all", file.string(), source.invalid);
    }
    if (stats != nullptr) stats->push_back(std::move(source));
  }
  return whitelist;
}

}  // namespace crowdfeed
