#include "config/checks.h"

#include <fmt/format.h>

#include "util/error.h"
#include "util/text.h"

namespace crowdfeed {

void require_one_line(std::string_view key, const std::string& value) {
  if (!is_one_line(value)) {
    throw UsageError(
        fmt::format("{} must be one line of UTF-8 without control characters, line separators or "
                    "bidirectional overrides, not {}",
                    key, quote_text(value)));
  }
}

void require_web_address(std::string_view key, const std::string& value, bool optional) {
  require_one_line(key, value);
  if ((!optional || !value.empty()) && !value.starts_with("https://") && !value.starts_with("http://")) {
    throw UsageError(fmt::format("{} must be an http:// or https:// URL, not {}", key, quote_text(value)));
  }
}

void require_at_least(std::string_view key, double value, double minimum) {
  if (!(value >= minimum)) throw UsageError(fmt::format("{} must be at least {}", key, minimum));
}

}  // namespace crowdfeed
