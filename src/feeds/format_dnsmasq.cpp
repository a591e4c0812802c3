// dnsmasq configuration: "address=/domain/" answers NXDOMAIN for the domain
// and its subdomains in every dnsmasq version; "local=/domain/" (configurable)
// is the form dnsmasq 2.86 and later prefer. The non-malicious feed sends
// its domains to the normal upstream servers: "server=/domain/#".
#include "feeds/formats.h"

namespace crowdfeed {
namespace {

class DnsmasqFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "dnsmasq"; }

  std::string_view syntax() const override { return "dnsmasq configuration"; }
  std::string_view import_hint(Verdict verdict, IndicatorGroup /*group*/) const override {
    return verdict == Verdict::kMalicious
               ? "conf-file=/path/FILE in dnsmasq.conf, or copy into /etc/dnsmasq.d/: blocks each domain and its "
                 "subdomains"
               : "conf-file=/path/FILE in dnsmasq.conf: forwards each domain and its subdomains as usual";
  }
  bool covers_subdomains() const override { return true; }
  bool accepts(IndicatorGroup group) const override { return domains_only(group); }

  std::string file_name(const Feed& feed, const FeedSettings& /*settings*/) const override {
    return feed.name + ".dnsmasq.conf";
  }

  void write(const FeedDocument& document, Output& out) const override {
    LineBuffer lines(out);
    write_comment_header(document, "#", lines);
    const bool malicious = document.feed.verdict == Verdict::kMalicious;
    const std::string prefix = malicious ? document.settings.dnsmasq_syntax + "=/" : "server=/";
    const std::string_view suffix = malicious ? "/\n" : "/#\n";
    for (const FeedEntry& entry : document.feed.entries) lines.append(prefix, entry.value, suffix);
    lines.flush();
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_dnsmasq_format() {
  return std::make_unique<DnsmasqFormat>();
}

}  // namespace crowdfeed
