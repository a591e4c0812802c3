// The body of POST /api/v1/votes, read as a stream of JSON events (SAX):
// one vote object or an array of them, each field a string (or, for
// "vote", an integer). Nothing but the fields is kept, so reading costs
// the body's size and no more, whatever the body holds: a nesting deeper
// than an array of objects, more than `max_votes` votes, or a key given
// twice stops the reading at once.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace crowdfeed {

// One vote as sent. A field that is absent is nullopt; `problem` names the
// first field of the wrong kind, quoting what was sent.
struct VoteFields {
  std::optional<std::string> value;
  std::optional<std::string> vote;
  std::optional<std::string> type;
  std::string problem;
};

struct VoteBody {
  std::vector<VoteFields> votes;
};

// Why a body was refused, and whether for its size (413) or its form (400).
struct VoteBodyError {
  std::string message;
  bool too_many = false;
};

std::variant<VoteBody, VoteBodyError> parse_vote_body(std::string_view body, std::size_t max_votes);

}  // namespace crowdfeed
