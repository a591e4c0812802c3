// Suricata datasets (dataset:isset,NAME,type string|ip,load FILE): for a
// domain feed one base64-encoded name a line (type string, matched
// against dns.query), for an IP feed one address a line (type ip, IPv4
// and IPv6, matched against ip.src and ip.dst). Suricata's loader takes no
// comment lines, so this file has no header: the rules file that loads it
// (crowdfeed.rules) and the suricata-update archive carry the licence.
// Only the malicious feeds are published so: the rules alert.
#include <absl/strings/escaping.h>

#include "feeds/formats.h"

namespace crowdfeed {
namespace {

class SuricataDatasetFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "suricata"; }

  std::string_view syntax() const override { return "Suricata dataset"; }
  std::string_view import_hint(Verdict /*verdict*/, IndicatorGroup /*group*/) const override {
    return "crowdfeed.rules loads it (suricata-update add-source crowdfeed URL/crowdfeed-suricata.tar.gz)";
  }
  bool accepts(IndicatorGroup group) const override { return group != IndicatorGroup::kHash; }
  bool publishes(const Feed& feed) const override { return feed.verdict == Verdict::kMalicious; }

  std::string file_name(const Feed& feed, const FeedSettings& /*settings*/) const override {
    return feed.name + ".dataset";
  }

  void write(const FeedDocument& document, Output& out) const override {
    std::string line;
    const bool names = document.feed.group == IndicatorGroup::kDomain;
    for (const FeedEntry& entry : document.feed.entries) {
      // Every line ends with a line break: Suricata drops a last
      // character that has none.
      line.assign(names ? absl::Base64Escape(entry.value) : entry.value).append("\n");
      out.write(line);
    }
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_suricata_dataset_format() {
  return std::make_unique<SuricataDatasetFormat>();
}

}  // namespace crowdfeed
