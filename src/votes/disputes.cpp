#include "votes/disputes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "util/text.h"

namespace crowdfeed {

std::string_view kind_name(DisputeKind kind) {
  return kind == DisputeKind::kFalsePositive ? "false_positive" : "false_negative";
}

std::optional<DisputeKind> parse_dispute_kind(std::string_view text) {
  if (text == "false_positive") return DisputeKind::kFalsePositive;
  if (text == "false_negative") return DisputeKind::kFalseNegative;
  return std::nullopt;
}

std::string_view status_name(DisputeStatus status) {
  switch (status) {
    case DisputeStatus::kOpen:
      return "open";
    case DisputeStatus::kAccepted:
      return "accepted";
    case DisputeStatus::kRejected:
      return "rejected";
  }
  return "open";
}

std::optional<DisputeStatus> parse_dispute_status(std::string_view text) {
  if (text == "open") return DisputeStatus::kOpen;
  if (text == "accepted") return DisputeStatus::kAccepted;
  if (text == "rejected") return DisputeStatus::kRejected;
  return std::nullopt;
}

std::string_view describe(DisputeKind kind) {
  return kind == DisputeKind::kFalsePositive ? "listed but not malicious" : "malicious but not listed";
}

namespace {

// Valid UTF-8 whose only control characters are tab and line ends: what a
// reason may hold (the pages show it as text, line breaks kept).
bool is_text(std::string_view text) {
  if (!is_valid_utf8(text)) return false;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n' && c != '\r' && c != '\t') || byte == 0x7f) return false;
  }
  return true;
}

}  // namespace

std::string check_dispute_text(std::string_view reason, std::string_view contact, std::string_view field) {
  if (reason.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return fmt::format("{} is missing: say why", field);
  }
  if (reason.size() > kMaxDisputeText) {
    return fmt::format("{} is {} bytes long; at most {}", field, reason.size(), kMaxDisputeText);
  }
  if (!is_text(reason)) return fmt::format("{} must be UTF-8 text without control characters", field);
  if (contact.size() > kMaxContact) {
    return fmt::format("contact is {} bytes long; at most {}", contact.size(), kMaxContact);
  }
  if (!contact.empty() && !is_one_line(contact)) return "contact must be one line of UTF-8 text";
  return {};
}

double DisputeCounts::seconds_to_correction_at(double share) const {
  if (seconds_to_correction.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(share * static_cast<double>(seconds_to_correction.size())));
  return static_cast<double>(seconds_to_correction[std::clamp<std::size_t>(rank, 1, seconds_to_correction.size()) - 1]);
}

void DisputeCounts::add(std::string_view status, std::int64_t count) {
  filed += count;
  // The stores' CHECK constraints keep the status to the known words.
  switch (parse_dispute_status(status).value_or(DisputeStatus::kOpen)) {
    case DisputeStatus::kOpen:
      open += count;
      break;
    case DisputeStatus::kAccepted:
      accepted += count;
      break;
    case DisputeStatus::kRejected:
      rejected += count;
      break;
  }
}

bool corrected_by(const Dispute& dispute, bool blocked) {
  if (dispute.status != DisputeStatus::kAccepted) return false;
  return dispute.kind == DisputeKind::kFalsePositive ? !blocked : blocked;
}

}  // namespace crowdfeed
