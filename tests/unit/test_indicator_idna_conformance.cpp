// Unicode's IDNA conformance file (IdnaTestV2.txt, tests/data/idna) through
// the domain normaliser, compared with its non-transitional toASCII
// columns: every line agrees, or is listed in tests/data/idna/deviations.txt
// under a documented rule. A listed line that agrees fails too, so that the
// list never outgrows what the normaliser does.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "indicator/domain.h"

using namespace crowdfeed;

namespace {

const std::string kData = std::string(CROWDFEED_SOURCE_DIR) + "/tests/data/idna/";

std::string trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return std::string(text);
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xc0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xe0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
}

// The file's \uXXXX and \x{XXXX} escapes; nullopt for a lone surrogate,
// which UTF-8 cannot hold.
std::optional<std::string> unescape(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 5 < text.size() + 0 && text[i + 1] == 'u') {
      char32_t c = static_cast<char32_t>(std::stoul(text.substr(i + 2, 4), nullptr, 16));
      if (c >= 0xd800 && c <= 0xdfff) return std::nullopt;
      append_utf8(out, c);
      i += 5;
    } else if (text[i] == '\\' && i + 2 < text.size() && text[i + 1] == 'x' && text[i + 2] == '{') {
      auto close = text.find('}', i);
      char32_t c = static_cast<char32_t>(std::stoul(text.substr(i + 3, close - i - 3), nullptr, 16));
      if (c >= 0xd800 && c <= 0xdfff) return std::nullopt;
      append_utf8(out, c);
      i = close;
    } else {
      out += text[i];
    }
  }
  return out == "\"\"" ? std::string() : out;
}

struct Line {
  std::size_t number = 0;
  std::string source_text;  // as the file writes it
  std::string source;
  std::string expected;  // toAsciiN
  std::vector<std::string> errors;
};

std::vector<std::string> statuses(std::string text) {
  std::vector<std::string> found;
  text = trim(text);
  if (text.size() < 2) return found;
  std::string inner = text.substr(1, text.size() - 2);
  std::size_t start = 0;
  while (start < inner.size()) {
    auto comma = inner.find(',', start);
    std::string code = trim(inner.substr(start, comma - start));
    if (!code.empty()) found.push_back(code);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return found;
}

std::vector<Line> read_conformance_file() {
  std::ifstream in(kData + "IdnaTestV2.txt");
  REQUIRE(in);
  std::vector<Line> lines;
  std::string text;
  for (std::size_t number = 1; std::getline(in, text); ++number) {
    text = text.substr(0, text.find('#'));
    if (trim(text).empty()) continue;
    std::vector<std::string> columns;
    std::size_t start = 0;
    while (true) {
      auto semicolon = text.find(';', start);
      columns.push_back(trim(text.substr(start, semicolon - start)));
      if (semicolon == std::string::npos) break;
      start = semicolon + 1;
    }
    REQUIRE(columns.size() >= 5);
    auto source = unescape(columns[0]);
    auto to_unicode = columns[1].empty() ? source : unescape(columns[1]);
    auto to_ascii = columns[3].empty() ? to_unicode : unescape(columns[3]);
    if (!source || !to_ascii) continue;  // a lone surrogate: not UTF-8
    std::string status = columns[4].empty() ? columns[2] : columns[4];
    lines.push_back({number, columns[0], *source, *to_ascii, statuses(status)});
  }
  return lines;
}

// "RULE<TAB>SOURCE" lines, SOURCE as the conformance file writes it.
std::map<std::string, std::string> read_deviations() {
  std::ifstream in(kData + "deviations.txt");
  REQUIRE(in);
  std::map<std::string, std::string> listed;
  std::string text;
  std::set<std::string> rules;
  while (std::getline(in, text)) {
    if (text.starts_with("# rule ")) rules.insert(text.substr(7, text.find(':') - 7));
    if (text.empty() || text.starts_with('#')) continue;
    auto tab = text.find('\t');
    REQUIRE(tab != std::string::npos);
    std::string rule = text.substr(0, tab);
    INFO(text);
    CHECK(rules.count(rule) == 1);  // every rule is documented above its lines
    listed.emplace(text.substr(tab + 1), rule);
  }
  return listed;
}

std::string lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

}  // namespace

TEST_CASE("every line of Unicode's IDNA conformance file agrees, or is a documented deviation") {
  const std::vector<Line> lines = read_conformance_file();
  const std::map<std::string, std::string> deviations = read_deviations();
  REQUIRE(lines.size() > 6000);
  std::vector<std::string> unexplained, stale, disagreements;
  std::size_t agree = 0, agree_valid = 0, agree_error = 0;
  for (const Line& line : lines) {
    NormalisedDomain got = normalise_domain(line.source);
    std::string expected = lower(line.expected);
    bool expected_valid = line.errors.empty();
    bool same = expected_valid ? (got.ok() && (got.domain == expected || got.domain + "." == expected)) : !got.ok();
    // What a deviation list line would say of it.
    std::string outcome = got.ok() ? fmt::format("gave {}", got.domain) : fmt::format("refused: {}", got.problem);
    auto listed = deviations.find(line.source_text);
    if (same) {
      ++agree;
      ++(expected_valid ? agree_valid : agree_error);
      if (listed != deviations.end())
        stale.push_back(fmt::format("line {}: {} now agrees", line.number, line.source_text));
      continue;
    }
    disagreements.push_back(fmt::format("{}\t{}", line.source_text, outcome));
    if (listed == deviations.end()) {
      unexplained.push_back(fmt::format("line {}: {} expected {} [{}], {}", line.number, line.source_text,
                                        line.expected, fmt::join(line.errors, ", "), outcome));
    }
  }
  if (const char* dump = std::getenv("CROWDFEED_IDNA_DISAGREEMENTS")) {
    std::ofstream out(dump);
    for (const auto& text : disagreements) out << text << '\n';
  }
  // The counts the README quotes.
  WARN(fmt::format("IdnaTestV2: {} lines, {} agree ({} valid, {} refused), {} documented deviations", lines.size(),
                   agree, agree_valid, agree_error, lines.size() - agree));
  INFO(fmt::format(
      "{} unexplained, e.g.\n{}", unexplained.size(),
      fmt::join(unexplained.begin(), unexplained.begin() + std::min<std::size_t>(unexplained.size(), 40), "\n")));
  CHECK(unexplained.empty());
  INFO(fmt::format("{} stale deviations, e.g.\n{}", stale.size(),
                   fmt::join(stale.begin(), stale.begin() + std::min<std::size_t>(stale.size(), 40), "\n")));
  CHECK(stale.empty());
}
