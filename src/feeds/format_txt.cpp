// The plain list: '#' comment lines, then one indicator a line. Every other
// format's consumers can fall back to it; Pi-hole and most firewalls read it.
#include <fmt/format.h>

#include "feeds/formats.h"

namespace crowdfeed {
namespace {

class PlainFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "txt"; }

  std::string_view syntax() const override { return "one indicator per line"; }
  std::string_view import_hint(Verdict verdict, IndicatorGroup group) const override {
    const bool block = verdict == Verdict::kMalicious;
    switch (group) {
      case IndicatorGroup::kIp:
        return block ? "one address a line: firewall block lists (an address list or alias URL)"
                     : "one address a line: firewall allow lists";
      case IndicatorGroup::kHash:
        return block ? "one hash a line: EDR and anti-virus block lists" : "one hash a line: EDR allow lists";
      case IndicatorGroup::kDomain:
        break;
    }
    return block ? "one domain a line: Pi-hole and AdGuard Home blocklist URL, proxy and firewall domain lists"
                 : "one domain a line: Pi-hole and AdGuard Home allowlist URL";
  }

  bool accepts(IndicatorGroup group) const override { return any_group(group); }

  std::string file_name(const Feed& feed, const FeedSettings& /*settings*/) const override {
    return feed.name + ".txt";
  }

  void write(const FeedDocument& document, Output& out) const override {
    LineBuffer lines(out);
    write_comment_header(document, "#", lines);
    for (const FeedEntry& entry : document.feed.entries) lines.append(entry.value, "\n");
    lines.flush();
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_plain_format() {
  return std::make_unique<PlainFormat>();
}

}  // namespace crowdfeed
