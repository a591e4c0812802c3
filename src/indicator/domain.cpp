#include "indicator/domain.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <idn2.h>
#include <libpsl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace crowdfeed {
namespace {

constexpr std::size_t kMaxNameLength = 253;
constexpr std::size_t kMaxLabelLength = 63;

NormalisedDomain reject(std::string problem) {
  return {"", std::move(problem)};
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

// Runs libidn2 on a name with non-ASCII characters.
NormalisedDomain to_ascii(const std::string& name) {
  char* output = nullptr;
  int result = idn2_to_ascii_8z(name.c_str(), &output, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
  std::unique_ptr<char, decltype(&idn2_free)> owned(output, &idn2_free);
  if (result != IDN2_OK) {
    return reject(fmt::format("is not a valid internationalised domain name ({})", idn2_strerror(result)));
  }
  return {std::string(owned.get()), ""};  // a copy: libidn2 frees its buffer
}

// An "xn--" label must be the canonical ASCII form of a valid internationalised
// label: decode it, encode it again, and expect the same label back.
bool is_valid_punycode_label(const std::string& label) {
  char* decoded = nullptr;
  if (idn2_to_unicode_8z8z(label.c_str(), &decoded, 0) != IDN2_OK) return false;
  std::unique_ptr<char, decltype(&idn2_free)> owned_decoded(decoded, &idn2_free);
  char* encoded = nullptr;
  int result = idn2_to_ascii_8z(decoded, &encoded, IDN2_NONTRANSITIONAL);
  std::unique_ptr<char, decltype(&idn2_free)> owned_encoded(encoded, &idn2_free);
  return result == IDN2_OK && label == encoded;
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
    if (label.starts_with("xn--") && !is_valid_punycode_label(std::string(label))) {
      return fmt::format("has an invalid internationalised label '{}'", label);
    }
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

const psl_ctx_t* public_suffix_list() {
  // psl_latest() picks the newer of the built-in list and the system's
  // publicsuffix package; the context is read-only and lives until exit.
  static const psl_ctx_t* list = psl_latest(nullptr);
  return list;
}

}  // namespace

std::string public_suffix_list_identity() {
  std::string identity = psl_builtin_sha1sum();
  struct stat file {};
  if (const char* path = psl_dist_filename(); path != nullptr && ::stat(path, &file) == 0) {
    identity += fmt::format(" {} {} {}", path, file.st_size, file.st_mtim.tv_sec);
  }
  return identity;
}

bool is_public_suffix(std::string_view domain) {
  const psl_ctx_t* list = public_suffix_list();
  if (list == nullptr) list = psl_builtin();
  return psl_is_public_suffix2(list, std::string(domain).c_str(), PSL_TYPE_ANY) != 0;
}

NormalisedDomain normalise_domain(std::string_view input) {
  if (input.empty()) return reject("is empty");
  if (input.find("://") != std::string_view::npos) {
    return reject(fmt::format("is a URL; use its host part '{}'", url_host(input)));
  }
  if (std::string problem = forbidden_character_problem(input); !problem.empty()) return reject(problem);
  if (is_ip_address(input)) return reject("is an IP address, not a domain name");

  std::string name(input);
  if (name.ends_with('.')) name.pop_back();
  if (name.empty()) return reject("is only a dot");

  bool ascii = std::all_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (!ascii) {
    NormalisedDomain converted = to_ascii(name);
    if (!converted.ok()) return converted;
    name = std::move(converted.domain);
  }
  std::transform(name.begin(), name.end(), name.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });

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
