// MikroTik RouterOS scripts (.rsc) for the IP feeds: the address list named
// after the feed is emptied and refilled, IPv4 under /ip firewall
// address-list and IPv6 under /ipv6 (/tool fetch then /import FILE; a
// firewall rule matches src-address-list=NAME).
#include <fmt/format.h>

#include "feeds/formats.h"

namespace crowdfeed {
namespace {

class MikrotikFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "mikrotik"; }

  std::string_view syntax() const override { return "MikroTik RouterOS script"; }
  std::string_view import_hint(Verdict verdict, IndicatorGroup /*group*/) const override {
    return verdict == Verdict::kMalicious
               ? "/tool fetch the URL, then /import FILE; drop with src-address-list=NAME in /ip firewall filter"
               : "/tool fetch the URL, then /import FILE; accept src-address-list=NAME before the drops";
  }
  bool accepts(IndicatorGroup group) const override { return group == IndicatorGroup::kIp; }

  std::string file_name(const Feed& feed, const FeedSettings& /*settings*/) const override {
    return feed.name + ".rsc";
  }

  // RouterOS list names are free text; the feed name (letters, digits, '-',
  // '_' and '.') needs no quoting, but is quoted all the same.
  void write(const FeedDocument& document, Output& out) const override {
    write_comment_header(document, "#", out);
    const std::string& list = document.feed.name;
    for (auto [type, menu] : {std::pair{IndicatorType::kIpv4, "/ip"}, std::pair{IndicatorType::kIpv6, "/ipv6"}}) {
      out.write(fmt::format("{} firewall address-list remove [find where list=\"{}\"]\n{} firewall address-list\n",
                            menu, list, menu));
      std::string line;
      for (const FeedEntry& entry : document.feed.entries) {
        if (entry.type != type) continue;
        line.assign("add list=\"").append(list).append("\" address=").append(entry.value).append("\n");
        out.write(line);
      }
    }
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_mikrotik_format() {
  return std::make_unique<MikrotikFormat>();
}

}  // namespace crowdfeed
