#include <catch2/catch.hpp>

#include "feeds/formats.h"
#include "util/error.h"

using namespace crowdfeed;

namespace {

const TimePoint kModified = *parse_time("2026-11-27T21:00:00Z");

Feed feed(Verdict verdict) {
  Feed result{verdict == Verdict::kMalicious ? "malicious-domains" : "non-malicious-domains", verdict, {}};
  result.entries.push_back({"a.example.com", 3, 1, *parse_time("2026-11-20T00:00:00Z"),
                            *parse_time("2026-11-21T00:00:00Z"), IndicatorType::kDomain, 40});
  result.entries.push_back({"xn--bcher-kva.example", 2, 0, std::nullopt, *parse_time("2026-11-22T00:00:00Z")});
  return result;
}

// The lines after the header comments of `format` for `verdict`.
std::vector<std::string> body(std::string_view format_name, Verdict verdict, const FeedSettings& settings = {}) {
  const FeedFormat* format = find_feed_format(format_name);
  REQUIRE(format != nullptr);
  Feed data = feed(verdict);
  std::vector<HeaderField> header = {{"Title", "t"}, {"Number of entries", "2"}};
  StringOutput out;
  format->write({data, header, settings, kModified}, out);
  std::vector<std::string> lines;
  std::string_view text = out.text;
  while (!text.empty()) {
    auto end = text.find('\n');
    REQUIRE(end != std::string_view::npos);  // every line ends with a line break
    lines.emplace_back(text.substr(0, end));
    text.remove_prefix(end + 1);
  }
  REQUIRE(lines.size() >= 3);
  if (format_name == "json") {
    // "{", then the metadata member on one line, then "entries".
    CHECK(lines[1].find("\"Number of entries\":2") != std::string::npos);
    CHECK(lines[2] == "\"entries\": [");
    return {lines.begin() + 3, lines.end()};
  }
  // The header comes first, one comment line per field.
  CHECK(lines[1].find("Number of entries: 2") != std::string::npos);
  return {lines.begin() + 2, lines.end()};
}

}  // namespace

TEST_CASE("hosts and adblock syntax, blocking and allowing") {
  CHECK(body("hosts", Verdict::kMalicious) ==
        std::vector<std::string>{"0.0.0.0 a.example.com", "0.0.0.0 xn--bcher-kva.example"});
  CHECK_FALSE(find_feed_format("hosts")->publishes(feed(Verdict::kNonMalicious)));
  CHECK(body("adblock", Verdict::kMalicious) ==
        std::vector<std::string>{"||a.example.com^", "||xn--bcher-kva.example^"});
  CHECK(body("adblock", Verdict::kNonMalicious) ==
        std::vector<std::string>{"@@||a.example.com^", "@@||xn--bcher-kva.example^"});
}

TEST_CASE("the RPZ zone has its SOA serial from Last-Modified and blocks each domain and its subdomains") {
  auto lines = body("rpz", Verdict::kMalicious);
  CHECK(lines ==
        std::vector<std::string>{
            "$TTL 300", "@ SOA localhost. hostmaster.localhost. (1795813200 300 60 604800 300)", "  NS localhost.",
            "; Test entry: malicious-domains.rpz-test.example.org answers A 127.0.0.2 where this zone is loaded",
            "malicious-domains.rpz-test.example.org A 127.0.0.2",
            "malicious-domains.rpz-test.example.org TXT \"crowdfeed RPZ test entry: malicious-domains version "
            "202611272100\"",
            "a.example.com CNAME .", "*.a.example.com CNAME .", "xn--bcher-kva.example CNAME .",
            "*.xn--bcher-kva.example CNAME ."});
  CHECK(body("rpz", Verdict::kNonMalicious)[6] == "a.example.com CNAME rpz-passthru.");
}

TEST_CASE("the RPZ test entry lives under the configured domain, the homepage's host, or nowhere") {
  FeedSettings settings;
  CHECK(rpz_test_base(settings) == "example.org");
  settings.homepage = "https://Feeds.Example.NET:8443/path?q=1";
  CHECK(rpz_test_base(settings) == "feeds.example.net");
  settings.rpz_test_domain = "none";
  CHECK_FALSE(rpz_test_base(settings).has_value());
  settings.rpz_test_domain = "checks.example.com.";
  CHECK(rpz_test_base(settings) == "checks.example.com");
  CHECK(rpz_test_name("checks.example.com", "malicious-ips") == "malicious-ips.rpz-test.checks.example.com");
  // Names a resolver answers itself, bare suffixes and non-names are refused.
  for (const char* refused : {"rpz.test", "x.invalid", "localhost", "co.uk", "exa mple.org", "192.0.2.1"}) {
    settings.rpz_test_domain = refused;
    CHECK_THROWS_AS(rpz_test_base(settings), UsageError);
  }
  settings.rpz_test_domain.clear();
  settings.homepage = "not a url";
  CHECK_THROWS_WITH(rpz_test_base(settings), Catch::Contains("set feeds.rpz_test_domain"));
}

TEST_CASE("Expires takes hours or days, as list tools read it") {
  CHECK(expires_hours("1 hour") == 1);
  CHECK(expires_hours("12 hours") == 12);
  CHECK(expires_hours("2 days") == 48);
  for (const char* refused :
       {"hourly", "1h", "0 hours", "01 hour", "1  hour", "-1 hour", "1 hour ", "", "99999 hours"}) {
    CHECK_FALSE(expires_hours(refused).has_value());
  }
}

TEST_CASE("Unbound and dnsmasq files use the configured actions") {
  CHECK(body("unbound", Verdict::kMalicious) ==
        std::vector<std::string>{"server:", "local-zone: \"a.example.com.\" always_nxdomain",
                                 "local-zone: \"xn--bcher-kva.example.\" always_nxdomain"});
  FeedSettings settings;
  settings.unbound_action = "always_null";
  settings.dnsmasq_syntax = "local";
  CHECK(body("unbound", Verdict::kMalicious, settings)[1] == "local-zone: \"a.example.com.\" always_null");
  CHECK(body("unbound", Verdict::kNonMalicious)[1] == "local-zone: \"a.example.com.\" always_transparent");
  CHECK(body("dnsmasq", Verdict::kMalicious) ==
        std::vector<std::string>{"address=/a.example.com/", "address=/xn--bcher-kva.example/"});
  CHECK(body("dnsmasq", Verdict::kMalicious, settings)[0] == "local=/a.example.com/");
  CHECK(body("dnsmasq", Verdict::kNonMalicious)[0] == "server=/a.example.com/#");
}

TEST_CASE("CSV, JSON and Zeek carry the vote counts") {
  CHECK(body("csv", Verdict::kMalicious) ==
        std::vector<std::string>{
            "domain,verdict,malicious_votes,non_malicious_votes,first_vote_at,last_vote_at,confidence",
            "a.example.com,malicious,3,1,2026-11-20T00:00:00Z,2026-11-21T00:00:00Z,40",
            "xn--bcher-kva.example,malicious,2,0,,2026-11-22T00:00:00Z,0"});
  auto json = body("json", Verdict::kMalicious);
  CHECK(json[0] ==
        "{\"domain\":\"a.example.com\",\"verdict\":\"malicious\",\"malicious_votes\":3,\"non_malicious_votes\":1,"
        "\"first_vote_at\":\"2026-11-20T00:00:00Z\",\"last_vote_at\":\"2026-11-21T00:00:00Z\",\"confidence\":40},");
  CHECK(body("zeek", Verdict::kMalicious) ==
        std::vector<std::string>{"#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc",
                                 "a.example.com\tIntel::DOMAIN\tcrowdfeed\tvoted malicious by 3 of 4 voters",
                                 "xn--bcher-kva.example\tIntel::DOMAIN\tcrowdfeed\tvoted malicious by 2 of 2 voters"});
}

namespace {

// The text `format_name` writes for a feed of `group` holding `values`.
std::string render(std::string_view format_name, IndicatorGroup group, Verdict verdict,
                   const std::vector<std::pair<std::string, IndicatorType>>& values) {
  const FeedFormat* format = find_feed_format(format_name);
  REQUIRE(format != nullptr);
  REQUIRE(format->accepts(group));
  Feed data{verdict == Verdict::kMalicious ? "malicious-ips" : "non-malicious-ips", verdict, {}, group};
  for (const auto& [value, type] : values) data.entries.push_back({value, 2, 0, std::nullopt, kModified, type});
  std::vector<HeaderField> header = {{"Title", "t"}};
  FeedSettings settings;
  StringOutput out;
  format->write({data, header, settings, kModified}, out);
  return out.text;
}

}  // namespace

TEST_CASE("each format declares the indicator types it holds") {
  for (const char* name : {"txt", "csv", "json", "zeek"}) {
    CHECK(find_feed_format(name)->accepts(IndicatorGroup::kIp));
    CHECK(find_feed_format(name)->accepts(IndicatorGroup::kHash));
  }
  for (const char* name : {"hosts", "adblock", "unbound", "dnsmasq"}) {
    CHECK_FALSE(find_feed_format(name)->accepts(IndicatorGroup::kIp));
    CHECK_FALSE(find_feed_format(name)->accepts(IndicatorGroup::kHash));
  }
  CHECK(find_feed_format("rpz")->accepts(IndicatorGroup::kIp));
  CHECK_FALSE(find_feed_format("rpz")->accepts(IndicatorGroup::kHash));
  for (const char* name : {"ipset", "nft"}) {
    CHECK(find_feed_format(name)->accepts(IndicatorGroup::kIp));
    CHECK_FALSE(find_feed_format(name)->accepts(IndicatorGroup::kDomain));
  }
  CHECK(find_feed_format("clamav")->accepts(IndicatorGroup::kHash));
  CHECK_FALSE(find_feed_format("clamav")->accepts(IndicatorGroup::kIp));
}

TEST_CASE("RPZ response-IP triggers: reversed parts, prefix length first, '::' as zz") {
  std::string text = render("rpz", IndicatorGroup::kIp, Verdict::kMalicious,
                            {{"45.33.32.156", IndicatorType::kIpv4},
                             {"2a00:1450:4001:81d::200e", IndicatorType::kIpv6},
                             {"2001:4860:4860::8888", IndicatorType::kIpv6},
                             {"2a00:1450::", IndicatorType::kIpv6},
                             {"2a00:1:2:3:4:5:6:7", IndicatorType::kIpv6},
                             {"2a00:0:0:1:0:0:0:1", IndicatorType::kIpv6},
                             {"::102:304", IndicatorType::kIpv6}});
  CHECK_THAT(text, Catch::Contains("\n32.156.32.33.45.rpz-ip CNAME .\n"));
  CHECK_THAT(text, Catch::Contains("\n128.200e.zz.81d.4001.1450.2a00.rpz-ip CNAME .\n"));
  CHECK_THAT(text, Catch::Contains("\n128.8888.zz.4860.4860.2001.rpz-ip CNAME .\n"));
  CHECK_THAT(text, Catch::Contains("\n128.zz.1450.2a00.rpz-ip CNAME .\n"));
  CHECK_THAT(text, Catch::Contains("\n128.7.6.5.4.3.2.1.2a00.rpz-ip CNAME .\n"));
  // The longer zero run is the one written zz; an IPv4 part becomes groups.
  CHECK_THAT(text, Catch::Contains("\n128.1.zz.1.0.0.2a00.rpz-ip CNAME .\n"));
  CHECK_THAT(text, Catch::Contains("\n128.304.102.zz.rpz-ip CNAME .\n"));
  CHECK(text.find("*.") == std::string::npos);  // no wildcard for addresses
  CHECK_THAT(render("rpz", IndicatorGroup::kIp, Verdict::kNonMalicious, {{"12.0.0.1", IndicatorType::kIpv4}}),
             Catch::Contains("\n32.1.0.0.12.rpz-ip CNAME rpz-passthru.\n"));
}

TEST_CASE("ipset and nftables files keep the families apart and refill atomically") {
  std::vector<std::pair<std::string, IndicatorType>> values = {{"45.33.32.156", IndicatorType::kIpv4},
                                                               {"2a00:1450::1", IndicatorType::kIpv6}};
  std::string ipset = render("ipset", IndicatorGroup::kIp, Verdict::kMalicious, values);
  CHECK_THAT(ipset,
             Catch::Contains("create malicious-ips-v4 hash:ip family inet hashsize 1024 maxelem 16777216 -exist\n"
                             "create malicious-ips-v4-new hash:ip family inet hashsize 1024 maxelem 16777216 "
                             "-exist\nflush malicious-ips-v4-new\nadd malicious-ips-v4-new 45.33.32.156 -exist\n"
                             "swap malicious-ips-v4-new malicious-ips-v4\ndestroy malicious-ips-v4-new\n"));
  CHECK_THAT(ipset, Catch::Contains("add malicious-ips-v6-new 2a00:1450::1 -exist\n"));
  CHECK(ipset.find("add malicious-ips-v4-new 2a00") == std::string::npos);
  CHECK_FALSE(find_feed_format("ipset")->feed_name_problem(std::string(25, 'a')).empty());
  CHECK(find_feed_format("ipset")->feed_name_problem(std::string(24, 'a')).empty());

  std::string nft = render("nft", IndicatorGroup::kIp, Verdict::kMalicious, values);
  CHECK_THAT(nft,
             Catch::Contains("table inet crowdfeed {\n  set malicious_ips_v4 { type ipv4_addr; }\n"
                             "  set malicious_ips_v6 { type ipv6_addr; }\n}\n"
                             "flush set inet crowdfeed malicious_ips_v4\nflush set inet crowdfeed malicious_ips_v6\n"
                             "add element inet crowdfeed malicious_ips_v4 { 45.33.32.156 }\n"
                             "add element inet crowdfeed malicious_ips_v6 { 2a00:1450::1 }\n"));
  // An empty family gets no "add element" line, which nft would refuse.
  CHECK(render("nft", IndicatorGroup::kIp, Verdict::kMalicious, {values[0]})
            .find("add element inet crowdfeed malicious_ips_v6") == std::string::npos);
}

TEST_CASE("ClamAV databases, Zeek types, and CSV and JSON keys follow the feed's type") {
  std::string hash(64, 'a');
  std::string hsb = render("clamav", IndicatorGroup::kHash, Verdict::kMalicious, {{hash, IndicatorType::kSha256}});
  CHECK_THAT(hsb, Catch::EndsWith(hash + ":*:crowdfeed.malicious-ips:73\n"));
  Feed allow{"good", Verdict::kNonMalicious, {}, IndicatorGroup::kHash};
  CHECK(find_feed_format("clamav")->file_name(allow, FeedSettings{}) == "good.sfp");
  allow.verdict = Verdict::kMalicious;
  CHECK(find_feed_format("clamav")->file_name(allow, FeedSettings{}) == "good.hsb");
  CHECK_THAT(render("zeek", IndicatorGroup::kHash, Verdict::kMalicious, {{hash, IndicatorType::kSha256}}),
             Catch::Contains(hash + "\tIntel::FILE_HASH\t"));
  CHECK_THAT(render("zeek", IndicatorGroup::kIp, Verdict::kMalicious, {{"45.33.32.156", IndicatorType::kIpv4}}),
             Catch::Contains("45.33.32.156\tIntel::ADDR\t"));
  CHECK_THAT(render("csv", IndicatorGroup::kIp, Verdict::kMalicious, {{"45.33.32.156", IndicatorType::kIpv4}}),
             Catch::Contains("\nip,verdict,malicious_votes"));
  CHECK_THAT(render("json", IndicatorGroup::kIp, Verdict::kMalicious, {{"45.33.32.156", IndicatorType::kIpv4}}),
             Catch::Contains("{\"ip\":\"45.33.32.156\",\"type\":\"ipv4\",\"verdict\":\"malicious\""));
}

TEST_CASE("an RPZ zone skips what would break it: its test entry's name, trigger labels, names too long") {
  const FeedFormat* format = find_feed_format("rpz");
  REQUIRE(format != nullptr);
  std::string long_name;
  for (int i = 0; i < 3; ++i) long_name += std::string(62, 'a') + ".";
  long_name += "com";  // 192 characters: its wildcard no longer fits under a 63-character zone name
  Feed data{"malicious-domains", Verdict::kMalicious, {}};
  for (const std::string& value : {std::string("malicious-domains.rpz-test.example.org"),
                                   std::string("1.0.0.0.0.rpz-ip"), long_name, std::string("ok.example.com")}) {
    data.entries.push_back({value, 2, 0, std::nullopt, kModified});
  }
  std::vector<HeaderField> header = {{"Title", "t"}};
  FeedSettings settings;
  StringOutput out;
  format->write({data, header, settings, kModified}, out);
  const std::string& zone = out.text;
  CHECK_THAT(zone, Catch::Contains("; skipped malicious-domains.rpz-test.example.org: it is the zone's test entry\n"));
  CHECK_THAT(zone, Catch::Contains("; skipped 1.0.0.0.0.rpz-ip: 'rpz-ip' is an RPZ trigger label\n"));
  CHECK_THAT(zone, Catch::Contains("; skipped " + long_name + ": 192 characters: longer than 187"));
  CHECK_THAT(zone, Catch::Contains("\nok.example.com CNAME .\n*.ok.example.com CNAME .\n"));
  CHECK_THAT(zone, !Catch::Contains("malicious-domains.rpz-test.example.org CNAME"));
  CHECK_THAT(zone, !Catch::Contains("rpz-ip CNAME"));
}
