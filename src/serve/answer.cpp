#include "serve/answer.h"

#include <fmt/format.h>

#include <cmath>

namespace crowdfeed {

using nlohmann::json;

Answer json_answer(unsigned status, const json& body) {
  return {status, body.dump(-1, ' ', false, json::error_handler_t::replace) + "\n", "application/json", {}};
}

Answer error_answer(unsigned status, std::string_view message, const json& detail) {
  json body = {{"error", message}};
  for (const auto& [key, value] : detail.items()) body[key] = value;
  return json_answer(status, body);
}

Answer too_many(std::string_view message, double retry_after) {
  Answer answer = error_answer(MHD_HTTP_TOO_MANY_REQUESTS, message);
  answer.headers.emplace_back("Retry-After", fmt::format("{}", static_cast<long>(std::ceil(retry_after))));
  return answer;
}

}  // namespace crowdfeed
