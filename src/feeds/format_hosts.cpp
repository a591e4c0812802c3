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
    write_comment_header(document, "#", out);
    std::string line;
    for (const FeedEntry& entry : document.feed.entries) {
      line.assign("0.0.0.0 ").append(entry.value).append("\n");
      out.write(line);
    }
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_hosts_format() {
  return std::make_unique<HostsFormat>();
}

}  // namespace crowdfeed
