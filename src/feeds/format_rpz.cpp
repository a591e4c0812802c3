// A DNS response-policy zone (RPZ) for BIND, PowerDNS Recursor and Unbound.
// Each malicious domain and its subdomains answer NXDOMAIN ("CNAME ."); the
// non-malicious feed passes its domains through ("CNAME rpz-passthru.").
// An IP feed lists response-IP triggers instead ("32.4.3.2.1.rpz-ip"): an
// answer that holds a listed address is refused, whatever name led to it.
// The SOA serial is the file's Last-Modified in Unix seconds, so it grows
// with every change and secondaries pick the change up.
#include <fmt/format.h>

#include <array>

#include "feeds/formats.h"
#include "indicator/ip_address.h"
#include "util/error.h"

namespace crowdfeed {
namespace {

// The owner name of an address's response-IP trigger: the prefix length,
// then the address's parts in reverse order; for IPv6 its eight groups in
// hex, the longest run of two or more zero groups written "zz". Built from
// the address's bytes, never from its text (which may hold an IPv4 part).
std::string rpz_ip_owner(const FeedEntry& entry) {
  bool ipv6 = entry.type == IndicatorType::kIpv6;
  auto bytes = address_bytes(entry.value, ipv6);
  if (!bytes) throw Error(fmt::format("{} is not an IP address", entry.value));
  std::string owner;
  if (!ipv6) {
    for (int i = 3; i >= 0; --i) owner += fmt::format("{}.", (*bytes)[static_cast<std::size_t>(i)]);
    return "32." + owner + "rpz-ip";
  }
  std::array<unsigned, 8> groups{};
  for (std::size_t i = 0; i < 8; ++i) groups[i] = (*bytes)[2 * i] << 8U | (*bytes)[2 * i + 1];
  std::size_t run_start = 8, run_length = 0;
  for (std::size_t i = 0; i < 8;) {
    std::size_t j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > run_length && j - i >= 2) run_start = i, run_length = j - i;
    i = j == i ? i + 1 : j;
  }
  owner = "128";
  for (std::size_t i = 8; i-- > 0;) {
    if (i >= run_start && i < run_start + run_length) {
      if (i == run_start) owner += ".zz";
      continue;
    }
    owner += fmt::format(".{:x}", groups[i]);
  }
  return owner + ".rpz-ip";
}

// The longest zone name (the consumer's choice, e.g. "rpz.crowdfeed") the
// owner names below must fit under: a name, its "*." wildcard, a dot and
// the zone name stay within DNS's 253 characters.
constexpr std::size_t kMaxZoneNameLength = 63;
constexpr std::size_t kMaxDomainLength = 253 - kMaxZoneNameLength - 1 - 2;

// Why a domain cannot be an owner name of this zone, or empty. The store
// refuses the first two kinds; a database written by an older version, or
// by a site's own code, may still hold them, and one such line would keep
// the whole zone from loading (a CNAME beside the test entry's data) or
// turn a name into an address trigger.
std::string rpz_owner_problem(std::string_view domain, std::string_view test_name) {
  if (domain == test_name) return "it is the zone's test entry";
  std::string_view last_label = domain.substr(domain.rfind('.') + 1);
  if (last_label.starts_with("rpz-")) return fmt::format("'{}' is an RPZ trigger label", last_label);
  if (domain.size() > kMaxDomainLength) {
    return fmt::format("{} characters: longer than {}, which fit under a zone name of up to {}", domain.size(),
                       kMaxDomainLength, kMaxZoneNameLength);
  }
  return {};
}

class RpzFormat : public FeedFormat {
 public:
  std::string_view name() const override { return "rpz"; }

  std::string_view syntax() const override { return "RPZ (DNS zone file)"; }
  std::string_view import_hint(Verdict verdict, IndicatorGroup group) const override {
    if (group == IndicatorGroup::kIp) {
      return verdict == Verdict::kMalicious
                 ? "response-policy zone for BIND, PowerDNS Recursor and Knot Resolver: NXDOMAIN for any answer "
                   "that holds a listed address (rpz-ip triggers)"
                 : "response-policy zone listed before the blocking ones: answers holding a listed address pass "
                   "(rpz-passthru)";
    }
    return verdict == Verdict::kMalicious
               ? "response-policy zone for BIND, PowerDNS Recursor, Unbound and Knot Resolver: NXDOMAIN for each "
                 "domain and its subdomains"
               : "response-policy zone listed before the blocking ones: passes each domain and its subdomains "
                 "through (rpz-passthru)";
  }
  bool covers_subdomains() const override { return true; }
  bool accepts(IndicatorGroup group) const override { return group != IndicatorGroup::kHash; }

  std::string file_name(const Feed& feed, const FeedSettings& /*settings*/) const override {
    return feed.name + ".rpz";
  }

  void write(const FeedDocument& document, Output& out) const override {
    LineBuffer lines(out);
    write_comment_header(document, ";", lines);
    const int ttl = document.settings.rpz_ttl;
    const auto serial = document.last_modified.time_since_epoch().count();
    // refresh, retry, expire and negative-caching TTL, in seconds.
    lines.format("$TTL {}\n@ SOA localhost. hostmaster.localhost. ({} {} {} {} {})\n  NS localhost.\n", ttl, serial,
                 ttl, ttl / 5 > 0 ? ttl / 5 : 1, 7 * 86400, ttl);
    // The test entry: a name no one else answers, so that its answer
    // (127.0.0.2, and a TXT naming the zone's version) shows the zone is
    // loaded and current. It is local data, whatever the zone's verdict.
    std::string test;
    if (auto base = rpz_test_base(document.settings)) {
      test = rpz_test_name(*base, document.feed.name);
      lines.format(
          "; Test entry: {} answers A 127.0.0.2 where this zone is loaded\n{} A 127.0.0.2\n"
          "{} TXT \"crowdfeed RPZ test entry: {} version {}\"\n",
          test, test, test, document.feed.name, format_version(document.last_modified));
    }
    const std::string_view target = document.feed.verdict == Verdict::kMalicious ? "." : "rpz-passthru.";
    for (const FeedEntry& entry : document.feed.entries) {
      if (document.feed.group == IndicatorGroup::kIp) {
        lines.append(rpz_ip_owner(entry), " CNAME ", target, "\n");
      } else if (std::string problem = rpz_owner_problem(entry.value, test); !problem.empty()) {
        // Normalised domains hold only letters, digits, hyphens and dots.
        lines.format("; skipped {}: {}\n", entry.value, problem);
      } else {
        lines.append(entry.value, " CNAME ", target, "\n*.", entry.value, " CNAME ", target, "\n");
      }
    }
    lines.flush();
  }
};

}  // namespace

std::unique_ptr<FeedFormat> make_rpz_format() {
  return std::make_unique<RpzFormat>();
}

}  // namespace crowdfeed
