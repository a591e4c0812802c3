// Hosts files: "0.0.0.0 domain", for /etc/hosts, Pi-hole and AdGuard Home.
// A hosts file can only block, so only the malicious feed is published so.
#include "feeds/formats.h"

namespace crowdfeed {
namespace {

class HostsFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "hosts"; }

  std::string_view syntax() const override { return "hosts file"; }
  std::string_view import_hint(Verdict /*verdict*/, IndicatorGroup /*group*/) const override {
    return "blocklist URL for Pi-hole, AdGuard Home and AdAway, or appended to /etc/hosts (exact names only)";
  }
  bool accepts(IndicatorGroup group) const override { return domains_only(group); }

  std::string file_name(const Feed& feed, const FeedSettings& /*settings*/) const override {
    return feed.name + ".hosts";
  }
  bool publishes(const Feed& feed) const override { return feed.verdict == Verdict::kMalicious; }

  void write(const FeedDocument& document, Output& out) const override {
    LineBuffer lines(out);
    write_comment_header(document, "#", lines);
    for (const FeedEntry& entry : document.feed.entries) lines.append("0.0.0.0 ", entry.value, "\n");
    lines.flush();
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_hosts_format() {
  return std::make_unique<HostsFormat>();
}

}  // namespace crowdfeed
