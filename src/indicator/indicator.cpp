#include "indicator/indicator.h"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "indicator/domain.h"
#include "indicator/file_hash.h"
#include "indicator/ip_address.h"

namespace crowdfeed {
namespace {

constexpr std::array<std::pair<IndicatorType, std::string_view>, 6> kTypeNames = {{
    {IndicatorType::kDomain, "domain"},
    {IndicatorType::kIpv4, "ipv4"},
    {IndicatorType::kIpv6, "ipv6"},
    {IndicatorType::kMd5, "md5"},
    {IndicatorType::kSha1, "sha1"},
    {IndicatorType::kSha256, "sha256"},
}};

bool only(std::string_view value, std::string_view allowed) {
  return !value.empty() && value.find_first_not_of(allowed) == std::string_view::npos;
}

IndicatorType hash_type(std::size_t length) {
  return length == 32 ? IndicatorType::kMd5 : length == 40 ? IndicatorType::kSha1 : IndicatorType::kSha256;
}

// "an MD5", "a SHA-1", "a SHA-256": as messages name a hash kind.
std::string_view hash_kind(IndicatorType type) {
  return type == IndicatorType::kMd5 ? "an MD5" : type == IndicatorType::kSha1 ? "a SHA-1" : "a SHA-256";
}

}  // namespace

std::string_view type_name(IndicatorType type) {
  for (const auto& [known, name] : kTypeNames) {
    if (known == type) return name;
  }
  return "domain";
}

IndicatorGroup group_of(IndicatorType type) {
  switch (type) {
    case IndicatorType::kDomain:
      return IndicatorGroup::kDomain;
    case IndicatorType::kIpv4:
    case IndicatorType::kIpv6:
      return IndicatorGroup::kIp;
    case IndicatorType::kMd5:
    case IndicatorType::kSha1:
    case IndicatorType::kSha256:
      return IndicatorGroup::kHash;
  }
  return IndicatorGroup::kDomain;
}

std::string_view group_name(IndicatorGroup group) {
  return group == IndicatorGroup::kIp ? "ip" : group == IndicatorGroup::kHash ? "hash" : "domain";
}

std::optional<IndicatorGroup> parse_indicator_group(std::string_view name) {
  for (IndicatorGroup group : {IndicatorGroup::kDomain, IndicatorGroup::kIp, IndicatorGroup::kHash}) {
    if (group_name(group) == name) return group;
  }
  return std::nullopt;
}

std::optional<IndicatorType> parse_indicator_type(std::string_view name) {
  for (const auto& [type, known] : kTypeNames) {
    if (known == name) return type;
  }
  return std::nullopt;
}

IndicatorType detect_indicator_type(std::string_view value) {
  // A zone index ("%eth0") may hold any name; the IPv6 normaliser refuses it.
  std::string_view address = value.substr(0, value.find('%'));
  if (address.find(':') != std::string_view::npos && only(address, "0123456789abcdefABCDEF:.")) {
    return IndicatorType::kIpv6;
  }
  if (value.find('.') != std::string_view::npos && only(value, "0123456789.")) return IndicatorType::kIpv4;
  if (value.starts_with("0x") && only(value, "0123456789abcdefABCDEFx.")) return IndicatorType::kIpv4;
  if ((value.size() == 32 || value.size() == 40 || value.size() == 64) && only(value, "0123456789abcdefABCDEF")) {
    return hash_type(value.size());
  }
  return IndicatorType::kDomain;
}

NormalisedIndicator normalise_indicator(std::string_view value, std::optional<IndicatorType> forced) {
  // A hash written as a C literal: say so, rather than call it an IPv4 form.
  if ((value.starts_with("0x") || value.starts_with("0X")) &&
      (value.size() == 34 || value.size() == 42 || value.size() == 66) &&
      only(value.substr(2), "0123456789abcdefABCDEF")) {
    IndicatorType type = forced.value_or(hash_type(value.size() - 2));
    return {type, {}, "starts with '0x'; write a hash as its hexadecimal digits alone"};
  }
  IndicatorType detected = detect_indicator_type(value);
  IndicatorType type = forced.value_or(detected);
  NormalisedIndicator result{type, {}, {}};
  switch (type) {
    case IndicatorType::kDomain: {
      NormalisedDomain domain = normalise_domain(value);
      result.value = std::move(domain.domain);
      result.problem = std::move(domain.problem);
      break;
    }
    case IndicatorType::kIpv4:
    case IndicatorType::kIpv6: {
      NormalisedAddress address = type == IndicatorType::kIpv4 ? normalise_ipv4(value) : normalise_ipv6(value);
      result.value = std::move(address.address);
      result.problem = std::move(address.problem);
      break;
    }
    case IndicatorType::kMd5:
    case IndicatorType::kSha1:
    case IndicatorType::kSha256: {
      NormalisedHash hash = normalise_file_hash(value);
      if (hash.ok() && hash_type(hash.hash.size()) != type) {
        hash.problem = fmt::format("has {} digits, which makes it {} hash, not {} one", hash.hash.size(),
                                   hash_kind(hash_type(hash.hash.size())), hash_kind(type));
        hash.hash.clear();
      }
      result.value = std::move(hash.hash);
      result.problem = std::move(hash.problem);
      break;
    }
  }
  if (!result.ok() && forced && detected != *forced) {
    result.problem += fmt::format(" (it looks like {})", type_name(detected));
  }
  return result;
}

}  // namespace crowdfeed
