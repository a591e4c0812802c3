// Bulk vote files: CSV (indicator,vote,voter,cast_at) and JSON Lines with the
// same fields. Parsing streams the file; rows are checked one at a time.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <istream>
#include <string>
#include <vector>

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

// Calls `on_vote` for each valid row and `on_problem` for each invalid one.
using VoteSink = std::function<void(Vote&&)>;
using ProblemSink = std::function<void(RowProblem&&)>;
void parse_votes_csv(std::istream& in, const VoteSink& on_vote, const ProblemSink& on_problem);
void parse_votes_jsonl(std::istream& in, const VoteSink& on_vote, const ProblemSink& on_problem);

// Builds a vote from its four fields as text, or explains why it is invalid.
// Shared by every input path (files, the command line).
struct VoteCheck {
  Vote vote;
  std::string problem;
  bool ok() const { return problem.empty(); }
};
VoteCheck check_vote(std::string_view indicator, std::string_view vote, std::string_view voter,
                     std::string_view cast_at);

struct ImportResult {
  std::size_t valid_rows = 0;
  std::size_t applied = 0;  // rows that changed the store (new or newer votes)
  std::vector<RowProblem> problems;
  bool committed = false;
};

// Imports a whole file in one transaction. With any invalid row and
// !skip_invalid, nothing is imported; problems are always all reported.
ImportResult import_votes(VoteStore& store, const std::filesystem::path& file, bool skip_invalid);

}  // namespace crowdfeed
