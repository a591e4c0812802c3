// Shared by the libFuzzer targets: quiet logging, and the invariant checks
// that abort (so libFuzzer records the input) when they fail.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "indicator/indicator.h"
#include "util/log.h"

namespace crowdfeed::fuzz {

inline void quiet() {
  static bool done = [] {
    log::set_level(log::Level::kError);
    return true;
  }();
  (void)done;
}

[[noreturn]] inline void violated(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "invariant violated: %s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// What every published domain must be: letters, digits, hyphens and dots,
// no empty label, at most 253 characters.
inline bool is_clean_host_name(std::string_view name) {
  if (name.empty() || name.size() > 253 || name.front() == '.' || name.back() == '.') return false;
  if (name.find("..") != std::string_view::npos) return false;
  return name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-.") == std::string_view::npos;
}

// What every published indicator must be: a clean host name for a domain,
// hex digits with dots or colons for an address, hex digits of the
// type's length for a hash.
inline bool is_clean_indicator(std::string_view value, IndicatorType type) {
  switch (type) {
    case IndicatorType::kDomain:
      return is_clean_host_name(value);
    case IndicatorType::kIpv4:
      return !value.empty() && value.size() <= 15 && value.find_first_not_of("0123456789.") == std::string_view::npos;
    case IndicatorType::kIpv6:
      return !value.empty() && value.size() <= 45 &&
             value.find_first_not_of("0123456789abcdef:.") == std::string_view::npos;
    case IndicatorType::kMd5:
    case IndicatorType::kSha1:
    case IndicatorType::kSha256: {
      std::size_t length = type == IndicatorType::kMd5 ? 32 : type == IndicatorType::kSha1 ? 40 : 64;
      return value.size() == length && value.find_first_not_of("0123456789abcdef") == std::string_view::npos;
    }
  }
  return false;
}

inline std::string_view as_text(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace crowdfeed::fuzz
