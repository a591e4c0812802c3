// Bulk vote files: CSV (indicator,vote,voter,cast_at[,type]) and JSON Lines
// with the same fields. Parsing streams the file; rows are checked one at a
// time. Each indicator's type is detected from its shape unless the row's
// type field or the importer's forced type names it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <istream>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "util/time.h"
#include "votes/store.h"
#include "votes/vote.h"

namespace crowdfeed {

struct RowProblem {
  std::size_t line = 0;
  std::string reason;
};

enum class VoteFileFormat { kCsv, kJsonLines };

// From the extension (.csv; .jsonl, .ndjson, .json) or, failing that, from
// the first non-blank character ('{' means JSON Lines).
VoteFileFormat detect_vote_file_format(const std::filesystem::path& path);

// What a vote must be. Its time: not more than `max_skew` ahead of `now`,
// this machine's clock (a vote from the future would shadow the voter's
// later votes until then). Its type: `type` when set (--type), and a row
// that names another type is refused.
struct VoteRules {
  TimePoint now = now_utc();
  std::chrono::seconds max_skew{300};
  std::optional<IndicatorType> type;
};

// Calls `on_vote` for each valid row and `on_problem` for each invalid one.
// A line longer than 16 KiB is one invalid row; a UTF-8 byte-order mark
// before the first line is skipped.
using VoteSink = std::function<void(Vote&&)>;
using ProblemSink = std::function<void(RowProblem&&)>;
void parse_votes_csv(std::istream& in, const VoteSink& on_vote, const ProblemSink& on_problem,
                     const VoteRules& rules = {});
void parse_votes_jsonl(std::istream& in, const VoteSink& on_vote, const ProblemSink& on_problem,
                       const VoteRules& rules = {});

// Builds a vote from its fields as text, or explains why it is invalid.
// Shared by every input path (files, the command line). An empty `type`
// means: the rules' type, else the one detected from the indicator.
struct VoteCheck {
  Vote vote;
  std::string problem;
  bool ok() const { return problem.empty(); }
};
VoteCheck check_vote(std::string_view indicator, std::string_view vote, std::string_view voter,
                     std::string_view cast_at, const VoteRules& rules = {}, std::string_view type = {});

struct ImportResult {
  std::size_t valid_rows = 0;
  std::size_t applied = 0;           // rows that changed the store (new or newer votes)
  std::size_t invalid_rows = 0;      // all of them, reported or not
  std::vector<RowProblem> problems;  // the first `problems_kept` invalid rows
  bool committed = false;
};

// Imports a whole file in one transaction. With any invalid row and
// !skip_invalid, nothing is imported. Every invalid row is counted; the
// first `problems_kept` are kept with their line and reason (a file of
// ten million bad rows must not become ten million messages in memory).
ImportResult import_votes(VoteStore& store, const std::filesystem::path& file, bool skip_invalid,
                          const VoteRules& rules = {},
                          std::size_t problems_kept = std::numeric_limits<std::size_t>::max());

}  // namespace crowdfeed
