// Adblock-style DNS filter lists for AdGuard Home, Pi-hole and uBlock-style
// blockers: "||domain^" blocks the domain and its subdomains; the
// non-malicious feed is an exception list, "@@||domain^". '!' starts comments.
#include "feeds/formats.h"

namespace crowdfeed {
namespace {

class AdblockFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "adblock"; }

  std::string_view syntax() const override { return "AdBlock"; }
  std::string_view import_hint(Verdict verdict, IndicatorGroup /*group*/) const override {
    return verdict == Verdict::kMalicious
               ? "filter list URL for AdGuard Home, Pi-hole (v6), uBlock Origin and AdGuard: blocks each domain and "
                 "its subdomains"
               : "allowlist for AdGuard Home and uBlock Origin (@@ exceptions): keeps each domain and its subdomains "
                 "reachable";
  }
  bool covers_subdomains() const override { return true; }
  bool accepts(IndicatorGroup group) const override { return domains_only(group); }

  std::string file_name(const Feed& feed, const FeedSettings& /*settings*/) const override {
    return feed.name + ".adblock.txt";
  }

  void write(const FeedDocument& document, Output& out) const override {
    LineBuffer lines(out);
    write_comment_header(document, "!", lines);
    const std::string_view prefix = document.feed.verdict == Verdict::kMalicious ? "||" : "@@||";
    for (const FeedEntry& entry : document.feed.entries) lines.append(prefix, entry.value, "^\n");
    lines.flush();
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_adblock_format() {
  return std::make_unique<AdblockFormat>();
}

}  // namespace crowdfeed
