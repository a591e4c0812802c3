// The Public Suffix List: a list the operator configures replaces the
// system's, checked for sense first; and the list project's own tests
// (tests/data/psl/test_psl.txt, with the list of the same commit beside
// it) pass through the domain normaliser and libpsl.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "indicator/domain.h"
#include "indicator/public_suffix_list.h"

using namespace crowdfeed;

namespace {

const std::string kData = std::string(CROWDFEED_SOURCE_DIR) + "/tests/data/psl/";

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Installs the list of the test data for one test, and the system's again after.
class FreshList {
 public:
  FreshList() : before_(public_suffix_list_info()) {
    auto parsed = parse_public_suffix_list(read(kData + "public_suffix_list.dat"), "test list", std::nullopt);
    REQUIRE(std::holds_alternative<ParsedSuffixList>(parsed));
    system_ = parse_public_suffix_list(read("/usr/share/publicsuffix/public_suffix_list.dat"), "system", std::nullopt);
    install_public_suffix_list(std::get<ParsedSuffixList>(std::move(parsed)));
  }
  ~FreshList() {
    if (auto* list = std::get_if<ParsedSuffixList>(&system_)) install_public_suffix_list(std::move(*list));
  }

 private:
  PublicSuffixListInfo before_;
  std::variant<ParsedSuffixList, std::string> system_;
};

}  // namespace

TEST_CASE("a list that makes no sense is refused, naming why") {
  auto problem = [](std::string_view text) {
    auto parsed = parse_public_suffix_list(text, "list.dat", std::nullopt);
    return std::holds_alternative<std::string>(parsed) ? std::get<std::string>(parsed) : std::string("accepted");
  };
  CHECK(problem("<html>Not found</html>") ==
        "list.dat is not a public suffix list (it has no \"===BEGIN ICANN DOMAINS===\" line)");
  CHECK(problem("// ===BEGIN ICANN DOMAINS===\ncom\nco.uk\n") == "list.dat has 2 rules; a real list has over 5000");
  std::string list = read(kData + "public_suffix_list.dat");
  CHECK(problem(list) == "accepted");
  // A list that lost the private section no longer knows github.io.
  CHECK(problem(list.substr(0, list.find("===BEGIN PRIVATE DOMAINS==="))) ==
        "list.dat does not know github.io as a public suffix");
}

TEST_CASE("a fresher list knows the suffixes added since the system's") {
  // Added to the list after February 2023 (Debian 12's copy).
  CHECK(normalise_domain("zeabur.app").ok());
  FreshList fresh;
  for (auto suffix : {"zeabur.app", "mybox.page", "x.devinapps.com"}) {
    INFO(suffix);
    auto refused = normalise_domain(suffix);
    CHECK(refused.public_suffix);
  }
  CHECK(normalise_domain("my-site.zeabur.app").domain == "my-site.zeabur.app");
  CHECK(public_suffix_list_info().origin == "test list");
}

TEST_CASE("the Public Suffix List's own tests pass through the normaliser") {
  FreshList fresh;
  std::istringstream tests(read(kData + "test_psl.txt"));
  const std::regex call(R"(^checkPublicSuffix\((null|'[^']*'), (null|'[^']*')\);)");
  std::string line;
  int checked = 0;
  while (std::getline(tests, line)) {
    std::smatch match;
    if (!std::regex_search(line, match, call) || match[1] == "null") continue;
    std::string input = match[1].str().substr(1, match[1].length() - 2);
    std::optional<std::string> expected;
    if (match[2] != "null") expected = normalise_domain(match[2].str().substr(1, match[2].length() - 2)).domain;
    NormalisedDomain name = normalise_domain(input);
    std::optional<std::string> got = name.ok() ? registrable_domain(name.domain) : std::nullopt;
    INFO(fmt::format("{}: normalised {} ({}), registrable {}", line, name.domain, name.problem, got.value_or("null")));
    CHECK(got == expected);
    ++checked;
  }
  CHECK(checked > 70);
}
