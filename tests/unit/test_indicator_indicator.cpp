#include <catch2/catch.hpp>

#include "indicator/file_hash.h"
#include "indicator/indicator.h"
#include "indicator/ip_address.h"

using namespace crowdfeed;

TEST_CASE("public IPv4 addresses come out as dotted quads; other ranges are refused by name") {
  CHECK(normalise_ipv4("8.8.8.8").address == "8.8.8.8");
  CHECK(normalise_ipv4("185.199.108.153").address == "185.199.108.153");
  const std::pair<const char*, const char*> refused[] = {
      {"0.0.0.0", "unspecified"},       {"127.0.0.1", "loopback"},      {"10.1.2.3", "private (RFC 1918)"},
      {"172.16.0.1", "private"},        {"172.31.255.255", "private"},  {"192.168.1.1", "private"},
      {"100.64.0.1", "shared"},         {"169.254.1.1", "link-local"},  {"224.0.0.1", "multicast"},
      {"255.255.255.255", "broadcast"}, {"192.0.2.1", "documentation"}, {"198.51.100.7", "documentation"},
      {"203.0.113.9", "documentation"}, {"198.18.0.1", "benchmarking"}, {"240.0.0.1", "reserved"},
      {"010.0.0.1", "leading zero"},    {"0x7f.1", "hexadecimal"},      {"127.1", "shortened"},
      {"1.2.3.256", "not an IPv4"},     {"1.2.3.4.5", "shortened"},
  };
  for (const auto& [input, reason] : refused) {
    INFO(input);
    NormalisedAddress address = normalise_ipv4(input);
    CHECK_FALSE(address.ok());
    CHECK_THAT(address.problem, Catch::Contains(reason));
  }
  CHECK(normalise_ipv4("172.32.0.1").ok());  // just past 172.16/12
  CHECK(normalise_ipv4(std::string("8.8.8.8\0", 8)).problem != "");
}

TEST_CASE("public IPv6 addresses come out in RFC 5952 text; other ranges are refused by name") {
  CHECK(normalise_ipv6("2001:4860:4860:0000:0000:0000:0000:8888").address == "2001:4860:4860::8888");
  CHECK(normalise_ipv6("2606:4700:4700::1111").address == "2606:4700:4700::1111");
  CHECK(normalise_ipv6("2A00:1450:4001:0:0:0:0:200E").address == "2a00:1450:4001::200e");
  CHECK(normalise_ipv6("2001:db9:0:1:0:0:0:1").address == "2001:db9:0:1::1");  // one zero group stays
  const std::pair<const char*, const char*> refused[] = {
      {"::", "unspecified"},          {"::1", "loopback"},
      {"fe80::1", "link-local"},      {"fd12:3456::1", "unique-local"},
      {"ff02::1", "multicast"},       {"2001:db8::1", "documentation"},
      {"fe80::1%eth0", "zone index"}, {"2001:4860::8888::1", "not an IPv6"},
  };
  for (const auto& [input, reason] : refused) {
    INFO(input);
    CHECK_THAT(normalise_ipv6(input).problem, Catch::Contains(reason));
  }
  CHECK_THAT(normalise_ipv6("::ffff:8.8.8.8").problem, Catch::Contains("vote on the IPv4 address 8.8.8.8 instead"));
}

TEST_CASE("file hashes are lower-case hex of 32, 40 or 64 digits, never all zeros or the empty file's") {
  CHECK(normalise_file_hash("44D88612FEA8A8F36DE82E1278ABB02F").hash == "44d88612fea8a8f36de82e1278abb02f");
  CHECK(normalise_file_hash(std::string(40, 'a')).ok());
  CHECK(normalise_file_hash(std::string(64, 'b')).ok());
  CHECK_THAT(normalise_file_hash(std::string(33, 'a')).problem, Catch::Contains("has 33 characters"));
  CHECK_THAT(normalise_file_hash(std::string(31, 'a') + "g").problem, Catch::Contains("not hexadecimal"));
  CHECK_THAT(normalise_file_hash(std::string(64, '0')).problem, Catch::Contains("all zeros"));
  for (const char* empty : {"d41d8cd98f00b204e9800998ecf8427e", "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709",
                            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}) {
    CHECK_THAT(normalise_file_hash(empty).problem, Catch::Contains("the empty file"));
  }
}

TEST_CASE("a value's type is told from its shape, and a forced type must fit") {
  CHECK(detect_indicator_type("evil.example.com") == IndicatorType::kDomain);
  CHECK(detect_indicator_type("https://evil.example.com/x") == IndicatorType::kDomain);
  CHECK(detect_indicator_type("8.8.8.8") == IndicatorType::kIpv4);
  CHECK(detect_indicator_type("127.1") == IndicatorType::kIpv4);
  CHECK(detect_indicator_type("0x7f.1") == IndicatorType::kIpv4);
  CHECK(detect_indicator_type("2001:4860::8888") == IndicatorType::kIpv6);
  CHECK(detect_indicator_type("fe80::1%eth0") == IndicatorType::kIpv6);
  CHECK(detect_indicator_type(std::string(32, 'a')) == IndicatorType::kMd5);
  CHECK(detect_indicator_type(std::string(40, 'A')) == IndicatorType::kSha1);
  CHECK(detect_indicator_type(std::string(64, 'f')) == IndicatorType::kSha256);
  CHECK(detect_indicator_type("deadbeef.example") == IndicatorType::kDomain);

  NormalisedIndicator address = normalise_indicator("8.8.8.8");
  CHECK((address.type == IndicatorType::kIpv4 && address.value == "8.8.8.8"));
  CHECK(normalise_indicator("EVIL.example.com.").value == "evil.example.com");
  NormalisedIndicator forced = normalise_indicator("8.8.8.8", IndicatorType::kSha256);
  CHECK_THAT(forced.problem, Catch::Contains("(it looks like ipv4)"));
  CHECK_THAT(normalise_indicator(std::string(32, 'a'), IndicatorType::kSha256).problem,
             Catch::Contains("which makes it an MD5 hash, not a SHA-256 one"));
  for (IndicatorType type : {IndicatorType::kDomain, IndicatorType::kIpv4, IndicatorType::kIpv6, IndicatorType::kMd5,
                             IndicatorType::kSha1, IndicatorType::kSha256}) {
    CHECK(parse_indicator_type(type_name(type)) == type);
  }
  CHECK_FALSE(parse_indicator_type("url"));
}
