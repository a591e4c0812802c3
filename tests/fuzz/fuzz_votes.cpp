// The vote file parsers, CSV and JSON Lines (the first byte chooses): every
// vote they accept has a clean indicator of its type, a plausible time and a voter of
// at most 256 printable bytes; every problem names a line that exists.
#include <algorithm>
#include <sstream>

#include "fuzz_common.h"
#include "util/error.h"
#include "votes/import.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace crowdfeed;
  fuzz::quiet();
  if (size == 0) return 0;
  bool jsonl = (data[0] & 1) != 0;
  std::string text(fuzz::as_text(data + 1, size - 1));
  std::istringstream in(text);
  std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  VoteRules rules{TimePoint(std::chrono::seconds(1795816800)), std::chrono::seconds(300)};
  VoteSink on_vote = [&](Vote&& vote) {
    if (!fuzz::is_clean_indicator(vote.indicator, vote.type)) {
      fuzz::violated("a vote on an unclean indicator", vote.indicator);
    }
    if (!is_plausible_time(vote.cast_at) || vote.cast_at > rules.now + rules.max_skew) {
      fuzz::violated("an implausible vote time");
    }
    if (vote.voter.empty() || vote.voter.size() > 256) fuzz::violated("a voter out of bounds", vote.voter);
  };
  ProblemSink on_problem = [&](RowProblem&& problem) {
    if (problem.line == 0 || problem.line > lines) fuzz::violated("a problem on a line that does not exist");
    if (problem.reason.empty()) fuzz::violated("a problem without a reason");
  };
  try {
    if (jsonl) {
      parse_votes_jsonl(in, on_vote, on_problem, rules);
    } else {
      parse_votes_csv(in, on_vote, on_problem, rules);
    }
  } catch (const Error&) {
    // A bad header is an error for the whole file: allowed.
  }
  return 0;
}
