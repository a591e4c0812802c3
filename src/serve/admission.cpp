#include "serve/admission.h"

#include <fmt/format.h>

namespace crowdfeed {

Admission::Admission(const ServeSettings& serve, ServeMetrics& metrics, AdmissionClocks clocks)
    : metrics_(metrics),
      clocks_(std::move(clocks)),
      daily_cap_votes_(serve.daily_cap),
      by_voter_(serve.voter_rate, serve.voter_burst),
      by_address_(serve.address_rate, serve.address_burst),
      daily_cap_(static_cast<std::uint64_t>(serve.daily_cap)) {}

std::optional<Answer> Admission::admit_address(const std::string& client, std::size_t votes) {
  double retry_after = 0;
  if (by_address_.take(client, 1, clocks_.steady(), retry_after)) return std::nullopt;
  metrics_.limited("address");
  if (votes > 0) metrics_.refused("rate_limited", votes);
  return too_many("too many requests from this address (serve.address_rate)", retry_after);
}

std::optional<Answer> Admission::admit_votes(const std::string& voter, std::size_t votes, std::int64_t day) {
  double retry_after = 0;
  if (!by_voter_.take(voter, static_cast<double>(votes), clocks_.steady(), retry_after)) {
    metrics_.limited("voter");
    metrics_.refused("rate_limited", votes);
    if (retry_after < 0) {
      return error_answer(MHD_HTTP_BAD_REQUEST,
                          fmt::format("{} votes at once is more than serve.voter_burst allows", votes));
    }
    return too_many("too many votes from this voter (serve.voter_rate)", retry_after);
  }
  if (!daily_cap_.take(voter, votes, day)) {
    metrics_.limited("daily_cap");
    metrics_.refused("daily_cap", votes);
    auto now = clocks_.wall();
    auto midnight = std::chrono::floor<std::chrono::days>(now) + std::chrono::days(1);
    return too_many(fmt::format("this voter cast its {} votes of the day (serve.daily_cap)", daily_cap_votes_),
                    std::chrono::duration<double>(midnight - now).count());
  }
  return std::nullopt;
}

void Admission::give_back(const std::string& voter, std::size_t votes, std::int64_t day) {
  daily_cap_.give_back(voter, votes, day);
}

std::int64_t Admission::today() const {
  return std::chrono::floor<std::chrono::days>(clocks_.wall()).time_since_epoch().count();
}

}  // namespace crowdfeed
