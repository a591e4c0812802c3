// What the vote server answers: a status, a JSON (or text) body and extra
// headers. Every answer but /metrics is JSON; an error is {"error": ...}
// with the parameter and the rule at fault.
#pragma once

#include <microhttpd.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crowdfeed {

struct Answer {
  unsigned status = MHD_HTTP_OK;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

// Text quoted from a request may be anything: bytes that are not UTF-8
// are replaced, never a reason for dump() to throw.
Answer json_answer(unsigned status, const nlohmann::json& body);

// {"error": message} and the members of `detail`.
Answer error_answer(unsigned status, std::string_view message, const nlohmann::json& detail = nlohmann::json::object());

// 429 with Retry-After: the seconds to wait, rounded up.
Answer too_many(std::string_view message, double retry_after);

}  // namespace crowdfeed
