// The community's disputes of what a feed says, and their moderation.
//
// Anyone may dispute an indicator: "listed but not malicious" (a false
// positive) or "malicious but not listed" (a false negative). A moderator
// accepts or rejects each. Accepting a false positive puts the indicator
// on the store's allow-list, which the hourly run reads like a trusted
// whitelist source; accepting a false negative records the moderator's
// own malicious vote, which counts like any trusted voter's. Every action
// goes to an append-only audit log.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "indicator/indicator.h"
#include "util/time.h"

namespace crowdfeed {

enum class DisputeKind { kFalsePositive, kFalseNegative };
enum class DisputeStatus { kOpen, kAccepted, kRejected };

// "false_positive", "false_negative"; "open", "accepted", "rejected": the
// words the store, the API and the command line use.
std::string_view kind_name(DisputeKind kind);
std::optional<DisputeKind> parse_dispute_kind(std::string_view text);
std::string_view status_name(DisputeStatus status);
std::optional<DisputeStatus> parse_dispute_status(std::string_view text);
// "listed but not malicious", "malicious but not listed".
std::string_view describe(DisputeKind kind);

struct Dispute {
  std::int64_t id = 0;
  std::string indicator;  // normalised for its type
  IndicatorType type = IndicatorType::kDomain;
  DisputeKind kind = DisputeKind::kFalsePositive;
  std::string reason;
  std::string contact;   // an address to answer, never shown publicly
  std::string filed_by;  // a voter's name, or an anonymous id
  TimePoint filed_at{};
  DisputeStatus status = DisputeStatus::kOpen;
  std::string decided_by;
  std::optional<TimePoint> decided_at;
  std::string note;  // the moderator's, public
  // The first published version in which the feeds reflect the outcome.
  std::string corrected_version;
  std::optional<TimePoint> corrected_at;
};

// A dispute's reason and a moderator's note: at most this many bytes of
// UTF-8 (longer text is refused, not cut).
inline constexpr std::size_t kMaxDisputeText = 2000;
inline constexpr std::size_t kMaxContact = 200;

// What a moderator decides.
struct DisputeDecision {
  std::int64_t id = 0;
  bool accept = false;
  std::string moderator;
  std::string note;
  TimePoint at{};
  std::optional<TimePoint> allow_until;  // an accepted false positive's expiry; none: for good
};

// An indicator an accepted false-positive dispute keeps out of the
// malicious feeds, as the store's allow-list holds it.
struct AllowEntry {
  std::string indicator;
  IndicatorType type = IndicatorType::kDomain;
  std::int64_t dispute = 0;
  std::string added_by;
  TimePoint added_at{};
  std::string reason;  // the moderator's note
  std::optional<TimePoint> expires_at;
};

// One line of the audit log: who did what, when.
struct AuditEvent {
  std::int64_t sequence = 0;
  TimePoint at{};
  std::string actor;
  std::string action;  // "filed", "accepted", "rejected", "corrected"
  std::optional<std::int64_t> dispute;
  std::string indicator;
  std::string detail;
};

struct DisputeQuery {
  std::optional<DisputeStatus> status;
  std::string indicator;  // empty: any
  std::size_t limit = 100;
};

struct DisputeCounts {
  std::int64_t filed = 0;
  std::int64_t open = 0;
  std::int64_t accepted = 0;
  std::int64_t rejected = 0;
  // For each corrected dispute, the seconds from its filing to the
  // publication of the corrected feeds, in increasing order.
  std::vector<std::int64_t> seconds_to_correction;

  // The time to correction that `share` (0.5: the median, 0.9) of the
  // corrected disputes took at most, in seconds; 0 when none was corrected.
  double seconds_to_correction_at(double share) const;
  // Adds `count` disputes of `status` (its name as the store holds it).
  void add(std::string_view status, std::int64_t count);
};

// The refusal of a dispute's text that breaks a rule, naming the field
// (`field`: "reason", or "note" for a moderator's); empty when it may be
// stored.
std::string check_dispute_text(std::string_view reason, std::string_view contact, std::string_view field = "reason");

// Whether the published feeds now show what an accepted dispute asked:
// a false positive blocked by no malicious feed (itself or, for a domain,
// through a listed parent), a false negative blocked by one.
bool corrected_by(const Dispute& dispute, bool blocked);

}  // namespace crowdfeed
