// A DNS response-policy zone (RPZ) for BIND, PowerDNS Recursor and Unbound.
// Each malicious domain and its subdomains answer NXDOMAIN ("CNAME ."); the
// non-malicious feed passes its domains through ("CNAME rpz-passthru.").
// The SOA serial is the file's Last-Modified in Unix seconds, so it grows
// with every change and secondaries pick the change up.
#include <fmt/format.h>

#include "feeds/formats.h"

namespace crowdfeed {
namespace {

class RpzFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "rpz"; }

  std::string_view import_hint() const override {
    return "BIND response-policy zone file; PowerDNS Recursor rpzFile; Unbound rpz zonefile";
  }
  std::string file_name(const Feed& feed) const override { return feed.name + ".rpz"; }

  void write(const FeedDocument& document, Output& out) const override {
    write_comment_header(document, ";", out);
    const int ttl = document.settings.rpz_ttl;
    const auto serial = document.last_modified.time_since_epoch().count();
    // refresh, retry, expire and negative-caching TTL, in seconds.
    out.write(fmt::format("$TTL {}\n@ SOA localhost. hostmaster.localhost. ({} {} {} {} {})\n  NS localhost.\n", ttl,
                          serial, ttl, ttl / 5 > 0 ? ttl / 5 : 1, 7 * 86400, ttl));
    const char* target = document.feed.verdict == Verdict::kMalicious ? "." : "rpz-passthru.";
    std::string lines;
    for (const FeedEntry& entry : document.feed.entries) {
      lines.assign(entry.domain).append(" CNAME ").append(target).append("\n");
      lines.append("*.").append(entry.domain).append(" CNAME ").append(target).append("\n");
      out.write(lines);
    }
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_rpz_format() {
  return std::make_unique<RpzFormat>();
}

}  // namespace crowdfeed
