// A DNS response-policy zone (RPZ) for BIND, PowerDNS Recursor and Unbound.
// Each malicious domain and its subdomains answer NXDOMAIN ("CNAME ."); the
// non-malicious feed passes its domains through ("CNAME rpz-passthru.").
// An IP feed lists response-IP triggers instead ("32.4.3.2.1.rpz-ip"): an
// answer that holds a listed address is refused, whatever name led to it.
// The SOA serial is the file's Last-Modified in Unix seconds, so it grows
// with every change and secondaries pick the change up.
#include <fmt/format.h>

#include "feeds/formats.h"

namespace crowdfeed {
namespace {

// The owner name of an address's response-IP trigger: the prefix length,
// then the address's parts in reverse order, IPv6's "::" written "zz".
std::string rpz_ip_owner(const FeedEntry& entry) {
  std::string owner;
  std::string_view text = entry.value;
  auto prepend_parts = [&](std::string_view parts, char separator) {
    while (!parts.empty()) {
      auto end = parts.find(separator);
      owner.insert(0, std::string(parts.substr(0, end)) + ".");
      parts.remove_prefix(end == std::string_view::npos ? parts.size() : end + 1);
    }
  };
  if (entry.type == IndicatorType::kIpv4) {
    prepend_parts(text, '.');
    return "32." + owner + "rpz-ip";
  }
  auto gap = text.find("::");
  if (gap == std::string_view::npos) {
    prepend_parts(text, ':');
  } else {
    prepend_parts(text.substr(0, gap), ':');
    owner.insert(0, "zz.");
    std::string left = owner;
    owner.clear();
    prepend_parts(text.substr(gap + 2), ':');
    owner += left;
  }
  return "128." + owner + "rpz-ip";
}

class RpzFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "rpz"; }

  std::string_view import_hint() const override {
    return "BIND response-policy zone file; PowerDNS Recursor rpzFile; Unbound rpz zonefile";
  }
  bool accepts(IndicatorGroup group) const override { return group != IndicatorGroup::kHash; }

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
      if (document.feed.group == IndicatorGroup::kIp) {
        lines.assign(rpz_ip_owner(entry)).append(" CNAME ").append(target).append("\n");
      } else {
        lines.assign(entry.value).append(" CNAME ").append(target).append("\n");
        lines.append("*.").append(entry.value).append(" CNAME ").append(target).append("\n");
      }
      out.write(lines);
    }
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_rpz_format() {
  return std::make_unique<RpzFormat>();
}

}  // namespace crowdfeed
