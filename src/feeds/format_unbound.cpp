// Unbound "include:" files: one local-zone a domain. always_nxdomain (the
// default, configurable) answers NXDOMAIN for the domain and everything
// under it; the non-malicious feed uses always_transparent.
#include "feeds/formats.h"

namespace crowdfeed {
namespace {

class UnboundFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "unbound"; }

  std::string_view syntax() const override { return "Unbound local-zone"; }
  std::string_view import_hint(Verdict verdict, IndicatorGroup /*group*/) const override {
    return verdict == Verdict::kMalicious
               ? "include: \"/path/FILE\" in unbound.conf: NXDOMAIN for each domain and its subdomains"
               : "include: \"/path/FILE\" in unbound.conf: answers each domain and its subdomains as usual";
  }
  bool covers_subdomains() const override { return true; }
  bool accepts(IndicatorGroup group) const override { return domains_only(group); }

  std::string file_name(const Feed& feed, const FeedSettings& /*settings*/) const override {
    return feed.name + ".unbound.conf";
  }

  void write(const FeedDocument& document, Output& out) const override {
    LineBuffer lines(out);
    write_comment_header(document, "#", lines);
    const std::string& action = document.feed.verdict == Verdict::kMalicious ? document.settings.unbound_action
                                                                             : document.settings.unbound_allow_action;
    // The clause header lets the file be included at the top level as well
    // as inside an existing server: clause.
    lines.append("server:\n");
    for (const FeedEntry& entry : document.feed.entries)
      lines.append("local-zone: \"", entry.value, ".\" ", action, "\n");
    lines.flush();
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_unbound_format() {
  return std::make_unique<UnboundFormat>();
}

}  // namespace crowdfeed
