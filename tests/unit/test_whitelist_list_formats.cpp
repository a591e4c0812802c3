#include <catch2/catch.hpp>
#include <fstream>

#include "util/decompress.h"
#include "util/error.h"
#include "whitelist/list_format.h"
#include "whitelist/load.h"

using namespace crowdfeed;

namespace {

std::string fixture(const char* name) {
  std::ifstream in(std::string(CROWDFEED_SOURCE_DIR "/tests/data/whitelist/") + name, std::ios::binary);
  REQUIRE(in);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct Read {
  std::vector<std::string> domains;
  ListStats stats;
};

Read read(const char* name, std::int64_t top = 0, const char* format = "auto") {
  Read result;
  result.stats = read_list(fixture(name), format, top, name, [&](std::string&& d) { result.domains.push_back(d); });
  return result;
}

const char* detected(std::string_view content) {
  return list_format("auto", content).name().data();
}

}  // namespace

TEST_CASE("each list format is detected from real-shaped content") {
  CHECK(std::string(detected("# comment\nexample.com\n")) == "plain");
  CHECK(std::string(detected("# comment\n0.0.0.0 example.com\n")) == "hosts");
  CHECK(std::string(detected("1,google.com\n2,facebook.com\n")) == "ranked-csv");
  CHECK(std::string(detected("GlobalRank,TldRank,Domain,TLD\n1,1,google.com,com\n")) == "ranked-csv");
  CHECK(std::string(detected(" {\"list\": []}")) == "misp-json");
  CHECK_THROWS_AS(list_format("yaml", ""), UsageError);
}

TEST_CASE("plain lists: comments, inline comments, blank lines, bad lines counted") {
  Read plain = read("plain.txt");
  CHECK(plain.domains == std::vector<std::string>{"intranet.example.org", "partner.example.net"});
  CHECK(plain.stats.entries == 2);
  CHECK(plain.stats.public_suffixes == 1);  // co.uk
  CHECK(plain.stats.invalid == 1);          // "not a domain"
}

TEST_CASE("hosts files: several names a line, the machine's own names skipped") {
  Read hosts = read("hosts.txt");
  CHECK(hosts.domains == std::vector<std::string>{"example.com", "www.example.com", "cdn.example.net"});
  CHECK(hosts.stats.invalid == 1);  // bad_name.example.com
}

TEST_CASE("a zipped Tranco-style ranked list, cut to its top N") {
  Read tranco = read("tranco-top.csv.zip");
  CHECK(tranco.domains.front() == "google.com");
  CHECK(tranco.domains.size() == 17);  // 20 ranks less three public suffixes:
  // github.io, s3.amazonaws.com and akamaiedge.net (the list's private section);
  // amazonaws.com itself is an ordinary site.
  CHECK(tranco.stats.public_suffixes == 3);
  Read top5 = read("tranco-top.csv.zip", 5);
  CHECK(top5.domains ==
        std::vector<std::string>{"google.com", "facebook.com", "microsoft.com", "amazonaws.com", "apple.com"});
}

TEST_CASE("a gzipped Umbrella-style list") {
  Read umbrella = read("umbrella-top.csv.gz");
  CHECK(umbrella.domains.size() == 8);
  CHECK(umbrella.domains[1] == "www.google.com");
  CHECK(umbrella.stats.invalid == 1);          // 1.2.3.4
  CHECK(umbrella.stats.public_suffixes == 1);  // github.io
}

TEST_CASE("the Majestic Million CSV with its header") {
  Read majestic = read("majestic_million.csv");
  CHECK(majestic.domains == std::vector<std::string>{"google.com", "facebook.com", "youtube.com", "wikipedia.org",
                                                     "xn--bcher-kva.de", "linkedin.com"});
  CHECK(majestic.stats.public_suffixes == 1);  // blogspot.com
  Read top3 = read("majestic_million.csv", 3);
  CHECK(top3.domains.size() == 3);
}

TEST_CASE("MISP warninglists: hostname lists read, other types refused") {
  Read misp = read("misp-hostname.json");
  CHECK(misp.domains == std::vector<std::string>{"login.microsoftonline.com", "accounts.google.com"});
  CHECK(misp.stats.invalid == 1);
  CHECK(misp.stats.public_suffixes == 1);
  // A cidr list is no domain list: read as one, it is refused whole.
  CHECK_THROWS_WITH(read("misp-cidr.json"),
                    Catch::Contains("the list holds ip entries, but its source has type = \"domain\""));
}

TEST_CASE("a MISP cidr warninglist is an IP source; a plain list may hold ranges or hashes") {
  std::vector<std::pair<IndicatorGroup, std::string>> entries;
  auto collect = [&](IndicatorGroup group, std::string&& value) { entries.emplace_back(group, std::move(value)); };
  ListStats stats = read_typed_list(fixture("misp-cidr.json"), "auto", "auto", 0, "misp-cidr.json", collect);
  CHECK(stats.entries == 4);
  CHECK(stats.invalid == 2);  // a /33 and a name
  REQUIRE(entries.size() == 4);
  CHECK(entries[0] == std::pair<IndicatorGroup, std::string>{IndicatorGroup::kIp, "8.8.8.8"});
  CHECK(entries[1].second == "8.8.4.0/24");
  CHECK(entries[3].second == "2606:4700:4700::/48");

  entries.clear();
  read_typed_list("# ops ranges\n203.0.113.7/24  # lab\n2001:db8::1\n", "plain", "ip", 0, "ranges", collect);
  CHECK(entries == std::vector<std::pair<IndicatorGroup, std::string>>{{IndicatorGroup::kIp, "203.0.113.0/24"},
                                                                       {IndicatorGroup::kIp, "2001:db8::1"}});
  entries.clear();
  stats = read_typed_list("D41D8CD98F00B204E9800998ECF8427F\nnot-a-hash\n", "plain", "hash", 0, "hashes", collect);
  CHECK(entries == std::vector<std::pair<IndicatorGroup, std::string>>{
                       {IndicatorGroup::kHash, "d41d8cd98f00b204e9800998ecf8427f"}});
  CHECK(stats.invalid == 1);
  // A hostname list under a source of type ip is refused whole.
  CHECK_THROWS_WITH(read_typed_list(fixture("misp-hostname.json"), "auto", "ip", 0, "m", collect),
                    Catch::Contains("holds domain entries, but its source has type = \"ip\""));
}

TEST_CASE("an HTML page or a damaged archive is not a list") {
  auto ignore = [](std::string&&) {};
  CHECK_THROWS_WITH(read_list("\n<!DOCTYPE html><html>502 Bad Gateway</html>", "auto", 0, "u", ignore),
                    Catch::Contains("looks like an HTML page"));
  std::string zip = fixture("tranco-top.csv.zip");
  CHECK_THROWS_AS(decompress_if_compressed(zip.substr(0, 60)), Error);
  CHECK(decompress_if_compressed("plain text") == "plain text");
}
