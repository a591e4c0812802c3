#include "indicator/domain.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <libpsl.h>
#include <sys/stat.h>
#include <unicode/uidna.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "indicator/public_suffix_list.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

constexpr std::size_t kMaxNameLength = 253;
constexpr std::size_t kMaxLabelLength = 63;

NormalisedDomain reject(std::string problem) {
  return {"", std::move(problem)};
}

std::string lower_ascii_name(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
  return lower;
}

bool is_ascii_letter_or_digit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_ip_address(std::string_view text) {
  std::string address(text);
  if (address.size() > 2 && address.front() == '[' && address.back() == ']') {
    address = address.substr(1, address.size() - 2);
  }
  unsigned char buffer[16];
  return inet_pton(AF_INET, address.c_str(), buffer) == 1 || inet_pton(AF_INET6, address.c_str(), buffer) == 1;
}

// For "https://user@www.example.com:8443/path", the host "www.example.com".
std::string url_host(std::string_view url) {
  auto start = url.find("://") + 3;
  auto host = url.substr(start, url.find_first_of("/?#", start) - start);
  if (auto at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
  if (!host.starts_with('[')) host = host.substr(0, host.find(':'));
  return std::string(host);
}

// Characters that are never part of a host name and have a clearer name
// than "invalid character".
std::string forbidden_character_problem(std::string_view input) {
  for (unsigned char c : input) {
    if (c < 0x20 || c == 0x7f) return fmt::format("contains the control character \\x{:02x}", c);
    switch (c) {
      case ' ':
        return "contains a space";
      case '#':
        return "contains '#'";
      case '/':
        return "contains '/'";
      case '\\':
        return "contains '\\'";
      case '"':
        return "contains a double quote";
      case '\'':
        return "contains a single quote";
      case '*':
        return "contains a wildcard '*'; list the parent domain instead, it covers its subdomains";
      default:
        break;
    }
  }
  return {};
}

// UTS #46 processing (ICU), non-transitional, with the checks IDNA 2008
// asks for: the Bidi rule (RFC 5893), CONTEXTJ and CONTEXTO (RFC 5892),
// and STD3's ASCII rules. One instance serves every thread.
const UIDNA* uts46() {
  static const UIDNA* idna = [] {
    UErrorCode status = U_ZERO_ERROR;
    UIDNA* opened =
        uidna_openUTS46(UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_NONTRANSITIONAL_TO_UNICODE | UIDNA_CHECK_BIDI |
                            UIDNA_CHECK_CONTEXTJ | UIDNA_CHECK_CONTEXTO | UIDNA_USE_STD3_RULES,
                        &status);
    return U_SUCCESS(status) ? opened : nullptr;
  }();
  return idna;
}

// The errors left to the host-name rules below, which name them better
// (lengths, empty labels), and "--" in a label's third and fourth places,
// which real host names have ("r3---sn-abc.googlevideo.com"): an ASCII
// name and its Unicode form are both allowed them (UTS #46's CheckHyphens,
// for those positions only).
constexpr std::uint32_t kLeftToHostRules =
    UIDNA_ERROR_EMPTY_LABEL | UIDNA_ERROR_LABEL_TOO_LONG | UIDNA_ERROR_DOMAIN_NAME_TOO_LONG | UIDNA_ERROR_HYPHEN_3_4;

std::string idna_problem(std::uint32_t errors) {
  if (errors & UIDNA_ERROR_BIDI) {
    return "breaks the Bidi rule for right-to-left labels (RFC 5893): its labels mix directions in a way that "
           "displays ambiguously";
  }
  if (errors & UIDNA_ERROR_CONTEXTJ) return "has a zero-width joiner or non-joiner where RFC 5892 allows none";
  if (errors & (UIDNA_ERROR_CONTEXTO_PUNCTUATION | UIDNA_ERROR_CONTEXTO_DIGITS)) {
    return "has a character that RFC 5892 allows only in certain contexts (a middle dot, a Greek or Hebrew sign, "
           "Arabic-Indic digits of both kinds) out of them";
  }
  if (errors & (UIDNA_ERROR_PUNYCODE | UIDNA_ERROR_INVALID_ACE_LABEL)) {
    return "has an invalid internationalised label (an 'xn--' label that is not the ASCII form of a valid label)";
  }
  if (errors & UIDNA_ERROR_LEADING_COMBINING_MARK) return "has a label that starts with a combining mark";
  if (errors & (UIDNA_ERROR_LEADING_HYPHEN | UIDNA_ERROR_TRAILING_HYPHEN)) {
    return "has a label that starts or ends with a hyphen";
  }
  if (errors & UIDNA_ERROR_DISALLOWED) return "contains a character IDNA 2008 does not allow in a domain name";
  if (errors & UIDNA_ERROR_LABEL_HAS_DOT) return "has a dot inside a label";
  return fmt::format("is not a valid internationalised domain name (ICU error flags {:#x})", errors);
}

// Whether a label of `ascii` decodes to a Unicode label that begins with
// "xn--" itself: UTS #46 (15.1 on) refuses those even where it allows "--"
// in the third and fourth places, which ICU 72 then does not check.
bool has_nested_ace_label(const UIDNA* idna, const std::string& ascii) {
  std::string unicode(ascii.size() * 4 + 16, '\0');
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  UErrorCode status = U_ZERO_ERROR;
  int32_t length = uidna_nameToUnicodeUTF8(idna, ascii.data(), static_cast<int32_t>(ascii.size()), unicode.data(),
                                           static_cast<int32_t>(unicode.size()), &info, &status);
  if (U_FAILURE(status)) return true;
  unicode.resize(static_cast<std::size_t>(length));
  std::string_view rest = unicode;
  while (true) {
    auto dot = rest.find('.');
    std::string_view label = rest.substr(0, dot);
    if (label.size() >= 4 && (label[0] | 0x20) == 'x' && (label[1] | 0x20) == 'n' && label[2] == '-' &&
        label[3] == '-') {
      return true;
    }
    if (dot == std::string_view::npos) return false;
    rest.remove_prefix(dot + 1);
  }
}

// The ASCII form of a name, lower-cased and mapped as UTS #46 maps it (the
// full stops U+3002, U+FF0E and U+FF61 are dots), or why it has none.
NormalisedDomain to_ascii(std::string name) {
  // UTS #46 15.1 maps capital sharp s (U+1E9E) to ß, not "ss": ICU 72
  // implements 15.0, where "FAẞ.de" was "fass.de", another domain.
  for (std::size_t at; (at = name.find("\xe1\xba\x9e")) != std::string::npos;) name.replace(at, 3, "\xc3\x9f");
  const UIDNA* idna = uts46();
  if (idna == nullptr) return reject("cannot be checked: ICU's IDNA processing is unavailable");
  std::string ascii(std::max<std::size_t>(name.size() * 4 + 64, 256), '\0');
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  UErrorCode status = U_ZERO_ERROR;
  int32_t length = uidna_nameToASCII_UTF8(idna, name.data(), static_cast<int32_t>(name.size()), ascii.data(),
                                          static_cast<int32_t>(ascii.size()), &info, &status);
  if (status == U_BUFFER_OVERFLOW_ERROR) {
    ascii.assign(static_cast<std::size_t>(length), '\0');
    status = U_ZERO_ERROR;
    info = UIDNA_INFO_INITIALIZER;
    length = uidna_nameToASCII_UTF8(idna, name.data(), static_cast<int32_t>(name.size()), ascii.data(),
                                    static_cast<int32_t>(ascii.size()), &info, &status);
  }
  if (U_FAILURE(status)) return reject(fmt::format("is not a valid domain name ({})", u_errorName(status)));
  ascii.resize(static_cast<std::size_t>(length));
  const std::uint32_t errors = info.errors & ~kLeftToHostRules;
  if (errors != 0) return reject(idna_problem(errors));
  if ((info.errors & UIDNA_ERROR_HYPHEN_3_4) != 0 && has_nested_ace_label(idna, ascii)) {
    return reject("has an 'xn--' label whose Unicode form begins with 'xn--' again (UTS #46, V4)");
  }
  return {std::move(ascii), ""};
}

// Host-name rules (RFC 1123, section 2.1) on an ASCII, lower-case name.
std::string host_name_problem(const std::string& name) {
  if (name.size() > kMaxNameLength) {
    return fmt::format("is {} characters long; the limit is {}", name.size(), kMaxNameLength);
  }
  std::size_t labels = 0;
  std::string_view last_label;
  std::string_view rest = name;
  while (true) {
    auto dot = rest.find('.');
    std::string_view label = rest.substr(0, dot);
    ++labels;
    if (label.empty()) return "has an empty label";
    if (label.size() > kMaxLabelLength) {
      return fmt::format("has a label of {} characters; the limit is {}", label.size(), kMaxLabelLength);
    }
    for (char c : label) {
      if (!is_ascii_letter_or_digit(c) && c != '-') {
        return fmt::format("contains the character {:?}, not allowed in a host name", c);
      }
    }
    if (label.front() == '-' || label.back() == '-') return "has a label that starts or ends with a hyphen";
    last_label = label;
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  if (labels < 2) return "has a single label; a domain needs at least two";
  if (std::all_of(last_label.begin(), last_label.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "has an all-numeric top-level label";
  }
  // A top-level label is letters, or an internationalised "xn--" label.
  // This also keeps out the labels RPZ reserves for its triggers: in a
  // response-policy zone, "1.0.0.0.0.rpz-ip" would not block a name but
  // every answer holding an address of 0.0.0.0/1.
  if (last_label.find('-') != std::string_view::npos && !last_label.starts_with("xn--")) {
    return last_label.starts_with("rpz-")
               ? fmt::format("ends in '{}', a label response-policy zones reserve for their triggers", last_label)
               : fmt::format("has the top-level label '{}'; a top-level label holds no hyphen", last_label);
  }
  return {};
}

}  // namespace

std::string public_suffix_list_identity() {
  // The content only: the same list read from a kept copy or downloaded
  // again is the same list.
  return public_suffix_list_info().sha256;
}

bool is_public_suffix(std::string_view domain) {
  const auto* list = static_cast<const psl_ctx_t*>(public_suffix_context());
  return psl_is_public_suffix2(list, std::string(domain).c_str(), PSL_TYPE_ANY) != 0;
}

NormalisedDomain normalise_domain(std::string_view input) {
  if (input.empty()) return reject("is empty");
  if (input.find("://") != std::string_view::npos) {
    return reject(fmt::format("is a URL; use its host part '{}'", printable(url_host(input), 300)));
  }
  if (std::string problem = forbidden_character_problem(input); !problem.empty()) return reject(problem);
  if (is_ip_address(input)) return reject("is an IP address, not a domain name");

  // Every name, ASCII or not, goes through UTS #46, so that a name and its
  // Unicode form meet the same rules; an ASCII name that breaks the host
  // rules is named by them (they say which character or label).
  if (!is_valid_utf8(input)) return reject("is not valid UTF-8, in which an internationalised domain name is written");
  NormalisedDomain converted = to_ascii(std::string(input));
  const bool ascii =
      std::all_of(input.begin(), input.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (!converted.ok() && ascii) {
    std::string lower = lower_ascii_name(input);
    if (lower.ends_with('.')) lower.pop_back();
    if (std::string problem = host_name_problem(lower); !problem.empty() && !lower.empty()) return reject(problem);
  }
  if (!converted.ok()) return converted;
  std::string name = std::move(converted.domain);
  // One trailing dot (the root), after mapping: "bücher.de。" too.
  if (name.ends_with('.')) name.pop_back();
  if (name.empty()) return reject("is only a dot");

  if (std::string problem = host_name_problem(name); !problem.empty()) return reject(problem);
  if (is_public_suffix(name)) {
    NormalisedDomain refused =
        reject(fmt::format("is a public suffix ('{}' covers every site registered under it)", name));
    refused.public_suffix = true;
    return refused;
  }
  return {std::move(name), ""};
}

}  // namespace crowdfeed
