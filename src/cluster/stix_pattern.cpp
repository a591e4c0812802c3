#include "cluster/stix_pattern.h"

#include <cctype>
#include <optional>
#include <string>

#include "util/text.h"

namespace crowdfeed {

// Producers spell hash names every way ("MD5", "md5", 'SHA-256', SHA256).
std::optional<std::string> stix_path_type(std::string_view path) {
  static const std::pair<std::string_view, std::string_view> kPaths[] = {
      {"domain-name:value", "domain"},       {"ipv4-addr:value", "ipv4"},
      {"ipv6-addr:value", "ipv6"},           {"url:value", "url"},
      {"network-traffic:dst_ref.value", ""}, {"network-traffic:src_ref.value", ""},
  };
  for (const auto& [known, type] : kPaths) {
    if (path == known) return std::string(type);
  }
  constexpr std::string_view kHashes = "file:hashes.";
  if (!path.starts_with(kHashes)) return std::nullopt;
  std::string algorithm;
  for (char c : path.substr(kHashes.size())) {
    if (c != '-' && c != '\'') algorithm += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (algorithm == "MD5") return "md5";
  if (algorithm == "SHA1") return "sha1";
  if (algorithm == "SHA256") return "sha256";
  return std::nullopt;
}

namespace {

// The tokens of a STIX pattern: brackets, parentheses, commas, string
// literals (with their b/h/t prefix), and words (paths, operators,
// keywords, numbers).
struct StixToken {
  enum class Kind { kOpen, kClose, kOpenGroup, kCloseGroup, kComma, kString, kWord } kind;
  std::string text;  // a string literal unescaped, a word as written
};

std::optional<std::vector<StixToken>> stix_tokens(std::string_view pattern) {
  std::vector<StixToken> tokens;
  auto is_word = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("_-:.*!=<>").find(c) != std::string_view::npos;
  };
  while (!pattern.empty()) {
    char c = pattern.front();
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      pattern.remove_prefix(1);
    } else if (c == '[' || c == ']' || c == '(' || c == ')' || c == ',') {
      tokens.push_back({c == '['   ? StixToken::Kind::kOpen
                        : c == ']' ? StixToken::Kind::kClose
                        : c == '(' ? StixToken::Kind::kOpenGroup
                        : c == ')' ? StixToken::Kind::kCloseGroup
                                   : StixToken::Kind::kComma,
                        std::string(1, c)});
      pattern.remove_prefix(1);
    } else if (c == '\'' || ((c == 'b' || c == 'h' || c == 't') && pattern.size() > 1 && pattern[1] == '\'')) {
      bool plain = c == '\'';
      pattern.remove_prefix(plain ? 1 : 2);
      std::string value;
      for (;;) {  // a string literal: \' and \\ escaped
        if (pattern.empty()) return std::nullopt;
        char next = pattern.front();
        pattern.remove_prefix(1);
        if (next == '\'') break;
        if (next == '\\') {
          if (pattern.empty() || (pattern.front() != '\'' && pattern.front() != '\\')) return std::nullopt;
          next = pattern.front();
          pattern.remove_prefix(1);
        }
        value += next;
      }
      tokens.push_back({plain ? StixToken::Kind::kString : StixToken::Kind::kWord, std::move(value)});
    } else if (is_word(c)) {
      // A word; a path's quoted step ("hashes.'SHA-256'") and list index
      // ("sections[*]") belong to it.
      std::string word;
      while (!pattern.empty()) {
        char next = pattern.front();
        if (is_word(next)) {
          word += next;
          pattern.remove_prefix(1);
        } else if (next == '\'' && !word.empty() && word.back() == '.') {
          auto close = pattern.find('\'', 1);
          if (close == std::string_view::npos) return std::nullopt;
          word.append(pattern.substr(0, close + 1));
          pattern.remove_prefix(close + 1);
        } else if (next == '[' && !word.empty() && word.find(':') != std::string::npos) {
          auto close = pattern.find(']');
          if (close == std::string_view::npos) return std::nullopt;
          word.append(pattern.substr(0, close + 1));
          pattern.remove_prefix(close + 1);
        } else {
          break;
        }
      }
      // "a='x'" has no space around the operator: split it off.
      if (auto op = word.find_first_of("!=<>"); op != std::string::npos && op > 0 && word.find(':') < op) {
        tokens.push_back({StixToken::Kind::kWord, word.substr(0, op)});
        word.erase(0, op);
      }
      tokens.push_back({StixToken::Kind::kWord, std::move(word)});
    } else {
      return std::nullopt;
    }
  }
  return tokens;
}

}  // namespace

std::optional<std::vector<StixValue>> read_stix_pattern(std::string_view pattern) {
  auto tokens = stix_tokens(pattern);
  if (!tokens || tokens->empty() ||
      (tokens->front().kind != StixToken::Kind::kOpen && tokens->front().kind != StixToken::Kind::kOpenGroup)) {
    return std::nullopt;
  }
  std::vector<StixValue> values;
  // Parentheses group observations ("([a] AND [b]) OR [c]") and, inside
  // one, comparisons: each observation closes as many as it opened.
  int observations = 0, groups = 0, groups_at_open = 0;
  for (std::size_t i = 0; i < tokens->size(); ++i) {
    const StixToken& token = (*tokens)[i];
    switch (token.kind) {
      case StixToken::Kind::kOpen:
        if (observations++ > 0) return std::nullopt;  // observations do not nest
        groups_at_open = groups;
        break;
      case StixToken::Kind::kClose:
        if (--observations < 0 || groups != groups_at_open) return std::nullopt;
        break;
      case StixToken::Kind::kOpenGroup:
        ++groups;
        break;
      case StixToken::Kind::kCloseGroup:
        if (--groups < 0) return std::nullopt;
        break;
      default:
        break;
    }
    // PATH = 'VALUE', inside an observation and not negated: a value the
    // report names. Other comparisons (!=, LIKE, MATCHES, IN, NOT ...)
    // name none, and are passed over.
    if (token.kind == StixToken::Kind::kWord && observations == 1 && i + 2 < tokens->size() &&
        (*tokens)[i + 1].kind == StixToken::Kind::kWord && (*tokens)[i + 1].text == "=" &&
        (*tokens)[i + 2].kind == StixToken::Kind::kString && (i == 0 || (*tokens)[i - 1].text != "NOT")) {
      if (auto type = stix_path_type(token.text)) values.push_back({*type, (*tokens)[i + 2].text});
    }
  }
  if (observations != 0 || groups != 0 || values.empty()) return std::nullopt;
  return values;
}

}  // namespace crowdfeed
