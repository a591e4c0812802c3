// Shared by the libFuzzer targets: quiet logging, and the invariant checks
// that abort (so libFuzzer records the input) when they fail.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

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

inline std::string_view as_text(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace crowdfeed::fuzz
