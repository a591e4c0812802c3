#include <catch2/catch.hpp>

#include "feeds/formats.h"

using namespace crowdfeed;

namespace {

const TimePoint kModified = *parse_time("2026-11-27T21:00:00Z");

Feed feed(Verdict verdict) {
  Feed result{verdict == Verdict::kMalicious ? "malicious-domains" : "non-malicious-domains", verdict, {}};
  result.entries.push_back(
      {"a.example.com", 3, 1, *parse_time("2026-11-20T00:00:00Z"), *parse_time("2026-11-21T00:00:00Z")});
  result.entries.push_back({"xn--bcher-kva.example", 2, 0, std::nullopt, *parse_time("2026-11-22T00:00:00Z")});
  return result;
}

// The lines after the header comments of `format` for `verdict`.
std::vector<std::string> body(std::string_view format_name, Verdict verdict, const FeedSettings& settings = {}) {
  const FeedFormat* format = find_feed_format(format_name);
  REQUIRE(format != nullptr);
  Feed data = feed(verdict);
  std::vector<HeaderField> header = {{"Title", "t"}, {"Entries", "2"}};
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
    CHECK(lines[1].find("\"Entries\":2") != std::string::npos);
    CHECK(lines[2] == "\"entries\": [");
    return {lines.begin() + 3, lines.end()};
  }
  // The header comes first, one comment line per field.
  CHECK(lines[1].find("Entries: 2") != std::string::npos);
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
  CHECK(lines == std::vector<std::string>{"$TTL 300",
                                          "@ SOA localhost. hostmaster.localhost. (1795813200 300 60 604800 300)",
                                          "  NS localhost.", "a.example.com CNAME .", "*.a.example.com CNAME .",
                                          "xn--bcher-kva.example CNAME .", "*.xn--bcher-kva.example CNAME ."});
  CHECK(body("rpz", Verdict::kNonMalicious)[3] == "a.example.com CNAME rpz-passthru.");
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
        std::vector<std::string>{"domain,verdict,malicious_votes,non_malicious_votes,first_vote_at,last_vote_at",
                                 "a.example.com,malicious,3,1,2026-11-20T00:00:00Z,2026-11-21T00:00:00Z",
                                 "xn--bcher-kva.example,malicious,2,0,,2026-11-22T00:00:00Z"});
  auto json = body("json", Verdict::kMalicious);
  CHECK(json[0] ==
        "{\"domain\":\"a.example.com\",\"verdict\":\"malicious\",\"malicious_votes\":3,\"non_malicious_votes\":1,"
        "\"first_vote_at\":\"2026-11-20T00:00:00Z\",\"last_vote_at\":\"2026-11-21T00:00:00Z\"},");
  CHECK(body("zeek", Verdict::kMalicious) ==
        std::vector<std::string>{"#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc",
                                 "a.example.com\tIntel::DOMAIN\tcrowdfeed\tvoted malicious by 3 of 4 voters",
                                 "xn--bcher-kva.example\tIntel::DOMAIN\tcrowdfeed\tvoted malicious by 2 of 2 voters"});
}
