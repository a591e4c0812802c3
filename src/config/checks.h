// Checks of a setting's shape that several stages' validations share. Each
// throws UsageError naming the key and quoting the value.
#pragma once

#include <string>
#include <string_view>

namespace crowdfeed {

// Header values and names must stay on their line: one line of UTF-8
// without control characters, line separators or bidirectional overrides.
void require_one_line(std::string_view key, const std::string& value);

// An http:// or https:// URL on one line (a javascript: link on the index
// page would run in its visitors' browsers). `optional`: empty is allowed.
void require_web_address(std::string_view key, const std::string& value, bool optional = false);

// `value` >= `minimum`, for a numeric setting called `key`.
void require_at_least(std::string_view key, double value, double minimum);

}  // namespace crowdfeed
