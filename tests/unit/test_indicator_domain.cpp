#include <catch2/catch.hpp>

#include "indicator/domain.h"

using crowdfeed::normalise_domain;

namespace {

std::string problem_of(std::string_view input) {
  auto result = normalise_domain(input);
  CHECK(result.domain.empty());
  return result.problem;
}

}  // namespace

TEST_CASE("a domain is lower-cased and loses one trailing dot") {
  CHECK(normalise_domain("WWW.Example.COM.").domain == "www.example.com");
  CHECK(normalise_domain("a.example.com").ok());
  CHECK_FALSE(normalise_domain("example.com..").ok());
}

TEST_CASE("internationalised names become punycode (IDNA 2008, non-transitional)") {
  CHECK(normalise_domain("bücher.example").domain == "xn--bcher-kva.example");
  CHECK(normalise_domain("BÜCHER.example").domain == "xn--bcher-kva.example");
  // Non-transitional: the sharp s stays itself instead of becoming "ss".
  CHECK(normalise_domain("faß.de").domain == "xn--fa-hia.de");
  CHECK(normalise_domain("xn--bcher-kva.example").domain == "xn--bcher-kva.example");
  CHECK_THAT(problem_of("xn--zz-invalid-.example"), Catch::Contains("hyphen"));
  CHECK_THAT(problem_of("xn--a.example"), Catch::Contains("internationalised"));
}

TEST_CASE("a name and its Unicode form meet the same rules, applied after mapping (UTS #46 through ICU)") {
  // "--" in the third and fourth places: allowed whether the other labels are ASCII or not.
  CHECK(normalise_domain("ab--cd.com").domain == "ab--cd.com");
  CHECK(normalise_domain("äb.ab--cd.com").domain == "xn--b-zfa.ab--cd.com");
  CHECK(normalise_domain("ä.bc--de.example").domain == normalise_domain("xn--4ca.bc--de.example").domain);
  // The ideographic and full-width full stops are dots, a trailing one the root's.
  for (auto name : {"bücher.de。", "bücher．de", "bücher｡de.", "bücher.de."}) {
    INFO(name);
    CHECK(normalise_domain(name).domain == "xn--bcher-kva.de");
  }
  // UTS #46 15.1: capital sharp s is the small one, not "ss".
  CHECK(normalise_domain("FAẞ.de").domain == "xn--fa-hia.de");
  // The Bidi rule (RFC 5893), in Unicode and in ASCII form alike.
  CHECK_THAT(problem_of("0à.א"), Catch::Contains("Bidi"));
  CHECK_THAT(problem_of("xn--0-sfa.xn--4db"), Catch::Contains("Bidi"));
  CHECK_THAT(problem_of("à.א0٠א"), Catch::Contains("Bidi"));
  // CONTEXTJ: a zero-width non-joiner outside the scripts that need one.
  CHECK_THAT(problem_of("a\u200cb.example"), Catch::Contains("joiner"));
  // IDNA 2008 disallows symbols that decompose to an ASCII one and a mark.
  for (auto name : {"≠.example", "≮.example", "≯.example", "=\u0338.example", "xn--1ch.example"}) {
    INFO(name);
    CHECK_FALSE(normalise_domain(name).ok());
  }
  // An "xn--" label whose Unicode form is itself "xn--...".
  CHECK_FALSE(normalise_domain("xn--xn--a--gua.pt").ok());
  CHECK_THAT(problem_of("\xff\xfe.com"), Catch::Contains("UTF-8"));
}

TEST_CASE("host-name rules hold for every label") {
  CHECK(normalise_domain("r3---sn-abc.googlevideo.com").ok());  // hyphens inside a label are fine
  CHECK_THAT(problem_of("-bad.example.com"), Catch::Contains("hyphen"));
  CHECK_THAT(problem_of("bad-.example.com"), Catch::Contains("hyphen"));
  CHECK_THAT(problem_of("under_score.example.com"), Catch::Contains("'_'"));
  CHECK_THAT(problem_of("a..example.com"), Catch::Contains("empty label"));
  CHECK_THAT(problem_of(".example.com"), Catch::Contains("empty label"));
  CHECK_THAT(problem_of(std::string(64, 'a') + ".com"), Catch::Contains("label of 64"));
  CHECK(normalise_domain(std::string(63, 'a') + ".com").ok());
  std::string long_name;
  for (int i = 0; i < 4; ++i) long_name += std::string(62, 'a') + ".";
  long_name += "com";  // 255 characters
  CHECK_THAT(problem_of(long_name), Catch::Contains("253"));
  CHECK_THAT(problem_of("localhost"), Catch::Contains("single label"));
  CHECK_THAT(problem_of("example.123"), Catch::Contains("all-numeric"));
}

TEST_CASE("RPZ's trigger labels cannot be voted into a zone as a domain") {
  // In a response-policy zone these owner names are triggers on answers,
  // name servers and clients, not names.
  for (const char* trigger : {"1.0.0.0.0.rpz-ip", "32.8.8.8.8.rpz-client-ip", "24.0.2.0.192.rpz-nsip",
                              "ns1.example.com.rpz-nsdname", "x.RPZ-IP.", "a.rpz-anything"}) {
    CHECK_THAT(problem_of(trigger), Catch::Contains("reserve for their triggers"));
  }
  CHECK_THAT(problem_of("example.corp-lan"), Catch::Contains("holds no hyphen"));
  CHECK(normalise_domain("rpz-ip.example.com").ok());  // only the last label is a trigger
  CHECK(normalise_domain("example.xn--p1ai").ok());    // an internationalised top-level domain
}

TEST_CASE("each class of bad input is rejected with a reason that names it") {
  CHECK(problem_of("") == "is empty");
  CHECK_THAT(problem_of("192.0.2.1"), Catch::Contains("IP address"));
  CHECK_THAT(problem_of("2001:db8::1"), Catch::Contains("IP address"));
  CHECK_THAT(problem_of("[2001:db8::1]"), Catch::Contains("IP address"));
  CHECK(problem_of("https://user@www.example.com:8443/path?q") == "is a URL; use its host part 'www.example.com'");
  CHECK_THAT(problem_of("*.example.com"), Catch::Contains("wildcard"));
  CHECK_THAT(problem_of("evil .com"), Catch::Contains("space"));
  CHECK_THAT(problem_of("evil.com\nsecond.com"), Catch::Contains("control character \\x0a"));
  CHECK_THAT(problem_of("evil.com\r"), Catch::Contains("control character \\x0d"));
  CHECK_THAT(problem_of(std::string("evil\0.com", 9)), Catch::Contains("control character \\x00"));
  CHECK_THAT(problem_of("evil.com#x"), Catch::Contains("'#'"));
  CHECK_THAT(problem_of("evil.com/x"), Catch::Contains("'/'"));
  CHECK_THAT(problem_of("evil\\.com"), Catch::Contains("'\\'"));
  CHECK_THAT(problem_of("\"evil.com\""), Catch::Contains("double quote"));
  CHECK_THAT(problem_of("'evil.com'"), Catch::Contains("single quote"));
  CHECK_THAT(problem_of("evil.com;rm"), Catch::Contains("';'"));
  CHECK_THAT(problem_of("\xff\xfe.com"), Catch::Contains("internationalised"));
}

TEST_CASE("a bare public suffix is refused, a name under it is not") {
  CHECK_THAT(problem_of("com"), Catch::Contains("single label"));
  CHECK_THAT(problem_of("co.uk"), Catch::Contains("public suffix"));
  CHECK_THAT(problem_of("github.io"), Catch::Contains("public suffix"));
  CHECK_THAT(problem_of("s3.amazonaws.com"), Catch::Contains("public suffix"));
  CHECK(normalise_domain("evil.github.io").domain == "evil.github.io");
  CHECK(normalise_domain("example.co.uk").ok());
}

TEST_CASE("whatever the input, a normalised name holds only letters, digits, hyphens and dots") {
  const char* inputs[] = {"a.com\n@ IN NS evil.", "a.com\r\nb.com", "ok.com\t", "b\xc3\xbc.com\n", "a.com\x1b[0m",
                          "a.com$ORIGIN",         "a.com;x",        "a.com\"",  "ÄÖÜ.example"};
  for (const char* input : inputs) {
    auto result = normalise_domain(input);
    for (char c : result.domain) {
      INFO(input);
      CHECK(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'));
    }
  }
}
