// An nftables file for `nft -f`: the table `inet crowdfeed` with one set
// per address family (NAME_v4, NAME_v6), flushed and refilled. nft applies
// a file as one transaction, so rules that match the sets
// (ip saddr @malicious_ips_v4 drop) never see them empty or half-filled.
#include <fmt/format.h>

#include <cctype>

#include "feeds/formats.h"

namespace crowdfeed {
namespace {

constexpr const char* kTable = "inet crowdfeed";
// Elements per "add element" line: long lines are slow to read for people,
// not for nft.
constexpr std::size_t kElementsPerLine = 512;

// A feed name as an nftables set name: letters, digits and '_'.
std::string set_name(const std::string& feed, std::string_view suffix) {
  std::string name;
  for (char c : feed) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) name.insert(0, "feed_");
  return name.append(suffix);
}

class NftFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "nft"; }

  std::string_view syntax() const override { return "nftables"; }
  std::string_view import_hint(Verdict verdict, IndicatorGroup /*group*/) const override {
    return verdict == Verdict::kMalicious
               ? "nft -f FILE; then ip saddr @NAME_v4 drop in a chain of table inet crowdfeed"
               : "nft -f FILE; then ip saddr @NAME_v4 accept, before the drops, in table inet crowdfeed";
  }
  bool accepts(IndicatorGroup group) const override { return group == IndicatorGroup::kIp; }

  std::string file_name(const Feed& feed, const FeedSettings& /*settings*/) const override {
    return feed.name + ".nft";
  }

  std::string shared_object_name(const std::string& feed) const override { return set_name(feed, "_v4"); }

  void write(const FeedDocument& document, Output& out) const override {
    write_comment_header(document, "#", out);
    std::string v4 = set_name(document.feed.name, "_v4");
    std::string v6 = set_name(document.feed.name, "_v6");
    // "table" and "set" add what does not exist yet and leave the rest.
    out.write(fmt::format("table {} {{\n  set {} {{ type ipv4_addr; }}\n  set {} {{ type ipv6_addr; }}\n}}\n", kTable,
                          v4, v6));
    out.write(fmt::format("flush set {} {}\nflush set {} {}\n", kTable, v4, kTable, v6));
    for (auto [type, set] : {std::pair{IndicatorType::kIpv4, &v4}, std::pair{IndicatorType::kIpv6, &v6}}) {
      std::string line;
      std::size_t in_line = 0;
      for (const FeedEntry& entry : document.feed.entries) {
        if (entry.type != type) continue;
        line.append(in_line == 0 ? fmt::format("add element {} {} {{ ", kTable, *set) : ", ").append(entry.value);
        if (++in_line == kElementsPerLine) {
          out.write(line.append(" }\n"));
          line.clear();
          in_line = 0;
        }
      }
      if (in_line > 0) out.write(line.append(" }\n"));
    }
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_nft_format() {
  return std::make_unique<NftFormat>();
}

}  // namespace crowdfeed
