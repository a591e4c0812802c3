// The kinds of indicator crowdfeed takes votes on, how a value's kind is
// told, and the one normaliser per kind every value passes (domains:
// domain/normalise; addresses: ip_address; hashes: file_hash).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace crowdfeed {

enum class IndicatorType { kDomain, kIpv4, kIpv6, kMd5, kSha1, kSha256 };

// What a feed holds: IPv4 and IPv6 addresses share the IP feeds, MD5, SHA-1
// and SHA-256 hashes the hash feeds.
enum class IndicatorGroup { kDomain, kIp, kHash };
constexpr std::size_t kIndicatorGroups = 3;

IndicatorGroup group_of(IndicatorType type);
// "domain", "ip", "hash".
std::string_view group_name(IndicatorGroup group);
std::optional<IndicatorGroup> parse_indicator_group(std::string_view name);

// "domain", "ipv4", "ipv6", "md5", "sha1", "sha256".
std::string_view type_name(IndicatorType type);
// The type a name names; nullopt for any other name.
std::optional<IndicatorType> parse_indicator_type(std::string_view name);

// What a value looks like: an IPv6 address when it holds a ':' and only
// what IPv6 text holds (before a zone index); an IPv4 address when it is digits and dots (or a
// hex or shortened IPv4 form, which the IPv4 normaliser then refuses by
// name); a hash when it is hexadecimal of 32, 40 or 64 digits; else a
// domain (whose normaliser explains what a URL or anything else is).
IndicatorType detect_indicator_type(std::string_view value);

struct NormalisedIndicator {
  IndicatorType type = IndicatorType::kDomain;
  std::string value;    // normalised; empty when refused
  std::string problem;  // why it was refused, completing "VALUE ...": "is loopback, not a public address"
  bool ok() const { return problem.empty(); }
};

// Normalises `value` as `forced` when given (a value that is not of that
// type is refused, saying what it looks like), else as its detected type.
NormalisedIndicator normalise_indicator(std::string_view value, std::optional<IndicatorType> forced = std::nullopt);

}  // namespace crowdfeed
