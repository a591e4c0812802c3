#include "votes/import.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <tuple>
#include <vector>

#include "indicator/indicator.h"
#include "util/csv_line.h"
#include "util/error.h"
#include "util/log.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxVoterLength = 256;
// A vote row is an indicator, a verdict, a voter and a time: far below this.
// A longer line is reported (its start only) and skipped unread.
constexpr std::size_t kMaxLineLength = 16 * 1024;
constexpr std::string_view kUtf8ByteOrderMark = "\xef\xbb\xbf";

// Reads the next line of `in` into `line` (without its line break), at most
// kMaxLineLength bytes of it; the rest of a longer line is skipped and
// `too_long` set. A UTF-8 byte-order mark at the start of the file goes.
bool read_line(std::istream& in, std::string& line, bool& too_long, std::size_t number) {
  line.clear();
  too_long = false;
  std::istream::sentry ok(in, true);
  if (!ok) return false;
  std::streambuf& buffer = *in.rdbuf();
  bool any = false;
  for (int c = buffer.sbumpc(); c != std::char_traits<char>::eof(); c = buffer.sbumpc()) {
    any = true;
    if (c == '\n') break;
    if (line.size() < kMaxLineLength) {
      line.push_back(static_cast<char>(c));
    } else {
      too_long = true;
    }
  }
  if (!any) {
    in.setstate(std::ios::eofbit);
    return false;
  }
  if (number == 1 && line.starts_with(kUtf8ByteOrderMark)) line.erase(0, kUtf8ByteOrderMark.size());
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

std::string too_long_problem(const std::string& line) {
  return fmt::format("the line is longer than {} bytes; it starts {}...", kMaxLineLength,
                     quote_text(std::string_view(line).substr(0, 60)));
}
// The columns of a vote row; the last, type, is optional.
constexpr std::array<std::string_view, 5> kColumns = {"indicator", "vote", "voter", "cast_at", "type"};
constexpr std::size_t kRequiredColumns = 4;

std::string voter_problem(std::string_view voter) {
  if (voter.empty()) return "the voter is empty";
  if (voter.size() > kMaxVoterLength) return fmt::format("the voter is longer than {} characters", kMaxVoterLength);
  for (unsigned char c : voter) {
    if (c < 0x20 || c == 0x7f) return fmt::format("the voter {:?} contains a control character", voter);
  }
  // Every store keeps text as UTF-8 (PostgreSQL refuses anything else).
  if (!is_valid_utf8(voter)) return fmt::format("the voter {} is not valid UTF-8", quote_text(voter));
  return {};
}

// Checks one CSV record after another; the first may be a header naming
// the columns, in any order.
class CsvRecords {
 public:
  CsvRecords(const VoteSink& on_vote, const ProblemSink& on_problem, const VoteRules& rules)
      : on_vote_(on_vote), on_problem_(on_problem), rules_(rules) {}

  void record(std::vector<std::string>& fields, std::size_t line) {
    if (!header_checked_) {
      header_checked_ = true;
      if (!fields.empty() && std::find(kColumns.begin(), kColumns.end(), fields[0]) != kColumns.end()) {
        read_header(fields, line);
        return;
      }
    }
    if (fields.size() != columns_) {
      on_problem_(
          {line, columns_ == kRequiredColumns
                     ? fmt::format("expected 4 fields (indicator,vote,voter,cast_at), found {}", fields.size())
                     : fmt::format("expected 5 fields (indicator,vote,voter,cast_at,type), found {}", fields.size())});
      return;
    }
    std::string_view type = columns_ > kRequiredColumns ? std::string_view(fields[order_[4]]) : std::string_view();
    VoteCheck check =
        check_vote(fields[order_[0]], fields[order_[1]], fields[order_[2]], fields[order_[3]], rules_, type);
    if (check.ok()) {
      on_vote_(std::move(check.vote));
    } else {
      on_problem_({line, std::move(check.problem)});
    }
  }

 private:
  void read_header(const std::vector<std::string>& fields, std::size_t line) {
    std::array<bool, kColumns.size()> seen{};
    bool valid = fields.size() == kRequiredColumns || fields.size() == kColumns.size();
    for (std::size_t position = 0; valid && position < fields.size(); ++position) {
      auto column = std::find(kColumns.begin(), kColumns.end(), fields[position]);
      valid = column != kColumns.end() && !seen[column - kColumns.begin()];
      if (valid) {
        seen[column - kColumns.begin()] = true;
        order_[column - kColumns.begin()] = position;
      }
    }
    for (std::size_t column = 0; valid && column < fields.size(); ++column) valid = seen[column];
    if (!valid) {
      throw Error(fmt::format(
          "line {}: the header must name the columns indicator, vote, voter and cast_at, and optionally type", line));
    }
    columns_ = fields.size();
  }

  const VoteSink& on_vote_;
  const ProblemSink& on_problem_;
  const VoteRules& rules_;
  std::array<std::size_t, kColumns.size()> order_ = {0, 1, 2, 3, 4};
  std::size_t columns_ = kRequiredColumns;  // without a header: the four required ones
  bool header_checked_ = false;
};

// The JSON value of a field as the text check_vote() reads: strings as they
// are, integers (vote 0/1, cast_at in Unix seconds) in decimal.
std::optional<std::string> json_field(const nlohmann::json& object, std::string_view key) {
  auto found = object.find(key);
  if (found == object.end()) return std::nullopt;
  if (found->is_string()) return found->get<std::string>();
  if (found->is_number_unsigned()) return std::to_string(found->get<std::uint64_t>());
  if (found->is_number_integer()) return std::to_string(found->get<std::int64_t>());
  return std::nullopt;
}

}  // namespace

VoteCheck check_vote(std::string_view indicator, std::string_view vote, std::string_view voter,
                     std::string_view cast_at, const VoteRules& rules, std::string_view type) {
  VoteCheck check;
  std::optional<IndicatorType> forced = rules.type;
  if (!type.empty()) {
    auto named = parse_indicator_type(type);
    if (!named) {
      check.problem = fmt::format("type {} is not domain, ipv4, ipv6, md5, sha1 or sha256", quote_text(type));
      return check;
    }
    if (forced && *forced != *named) {
      check.problem = fmt::format("type {} contradicts --type {}", quote_text(type), type_name(*forced));
      return check;
    }
    forced = named;
  }
  NormalisedIndicator normalised = normalise_indicator(indicator, forced);
  if (!normalised.ok()) {
    check.problem = fmt::format("indicator {} {}", quote_text(indicator), normalised.problem);
    return check;
  }
  auto verdict = parse_verdict(vote);
  if (!verdict) {
    check.problem =
        fmt::format("vote {} is not malicious, non-malicious, 0 (malicious) or 1 (non-malicious)", quote_text(vote));
    return check;
  }
  if (std::string problem = voter_problem(voter); !problem.empty()) {
    check.problem = std::move(problem);
    return check;
  }
  auto time = parse_time(cast_at);
  if (!time) {
    check.problem = fmt::format("cast_at {} {}", quote_text(cast_at), time_problem(cast_at));
    return check;
  }
  if (std::string problem = future_time_problem(*time, rules.now, rules.max_skew); !problem.empty()) {
    // Such a vote would shadow the voter's later votes until then.
    check.problem = fmt::format("cast_at {} {}", quote_text(cast_at), problem);
    return check;
  }
  check.vote = Vote{std::move(normalised.value), *verdict, std::string(voter), *time, normalised.type};
  return check;
}

void parse_votes_csv(std::istream& in, const VoteSink& on_vote, const ProblemSink& on_problem, const VoteRules& rules) {
  CsvRecords records(on_vote, on_problem, rules);
  CsvLineParser parser;
  std::vector<std::string> fields;
  std::string line, error;
  bool too_long = false;
  for (std::size_t number = 1; read_line(in, line, too_long, number); ++number) {
    if (too_long) {
      on_problem({number, too_long_problem(line)});
      continue;
    }
    if (line.empty()) continue;
    if (parser.split(line, fields, error)) {
      records.record(fields, number);
    } else {
      on_problem({number, error});
    }
  }
}

void parse_votes_jsonl(std::istream& in, const VoteSink& on_vote, const ProblemSink& on_problem,
                       const VoteRules& rules) {
  std::string line;
  std::size_t number = 0;
  bool too_long = false;
  while (read_line(in, line, too_long, number + 1)) {
    ++number;
    if (too_long) {
      on_problem({number, too_long_problem(line)});
      continue;
    }
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto object = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (object.is_discarded() || !object.is_object()) {
      on_problem({number, "not a JSON object"});
      continue;
    }
    std::array<std::string, kColumns.size()> fields;
    std::string missing;
    for (std::size_t i = 0; i < kRequiredColumns; ++i) {
      auto value = json_field(object, kColumns[i]);
      if (!value) {
        missing = std::string(kColumns[i]);
        break;
      }
      fields[i] = std::move(*value);
    }
    if (!missing.empty()) {
      on_problem({number, fmt::format("the field \"{}\" is missing or not a string or integer", missing)});
      continue;
    }
    if (object.contains("type")) {
      auto type = json_field(object, "type");
      if (!type || type->empty()) {
        on_problem({number, "the field \"type\" is not a type name"});
        continue;
      }
      fields[4] = std::move(*type);
    }
    VoteCheck check = check_vote(fields[0], fields[1], fields[2], fields[3], rules, fields[4]);
    if (check.ok()) {
      on_vote(std::move(check.vote));
    } else {
      on_problem({number, std::move(check.problem)});
    }
  }
}

VoteFileFormat detect_vote_file_format(const fs::path& path) {
  std::string extension = path.extension().string();
  if (extension == ".csv") return VoteFileFormat::kCsv;
  if (extension == ".jsonl" || extension == ".ndjson" || extension == ".json") return VoteFileFormat::kJsonLines;
  std::ifstream in(path);
  char first = 0;
  while (in.get(first) && (std::isspace(static_cast<unsigned char>(first)) ||
                           kUtf8ByteOrderMark.find(first) != std::string_view::npos)) {
  }
  return first == '{' ? VoteFileFormat::kJsonLines : VoteFileFormat::kCsv;
}

// Votes sorted and inserted together: large enough that a batch covers many
// votes per page, small enough to stay a few tens of MiB.
constexpr std::size_t kImportBatch = std::size_t{1} << 18;

ImportResult import_votes(VoteStore& store, const fs::path& file, bool skip_invalid, const VoteRules& rules,
                          std::size_t problems_kept) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot read {}", file.string()));
  VoteFileFormat format = detect_vote_file_format(file);
  std::error_code size_error;
  std::uintmax_t file_size = fs::file_size(file, size_error);
  log::Progress progress(fmt::format("reading {}", file.filename().string()), size_error ? 0 : file_size / 1024, "KiB");

  ImportResult result;
  // Votes go in in batches sorted by the table's key (indicator, voter), so
  // that consecutive inserts touch the same pages of the votes table and of
  // the kept tallies. The sort is stable: two votes of one voter on one
  // indicator keep the file's order, which decides which one stands.
  std::vector<Vote> batch;
  batch.reserve(kImportBatch);
  auto flush = [&] {
    std::stable_sort(batch.begin(), batch.end(), [](const Vote& a, const Vote& b) {
      return std::tie(a.indicator, a.voter) < std::tie(b.indicator, b.voter);
    });
    for (const Vote& vote : batch) store.add(vote);
    batch.clear();
  };
  VoteSink on_vote = [&](Vote&& vote) {
    ++result.valid_rows;
    if (result.valid_rows % 65536 == 0) {
      if (auto at = in.tellg(); at >= 0) progress.update_coarse(static_cast<std::uint64_t>(at) / 1024);
    }
    batch.push_back(std::move(vote));
    if (batch.size() == kImportBatch) flush();
  };
  ProblemSink on_problem = [&](RowProblem&& problem) {
    if (++result.invalid_rows <= problems_kept) result.problems.push_back(std::move(problem));
  };

  // Rows go into the transaction as they are read; without --skip-invalid a
  // single bad row rolls all of them back.
  VoteStore::BulkResult written = store.bulk_write_transaction([&] {
    try {
      if (format == VoteFileFormat::kCsv) {
        parse_votes_csv(in, on_vote, on_problem, rules);
      } else {
        parse_votes_jsonl(in, on_vote, on_problem, rules);
      }
    } catch (const Error& error) {
      throw Error(fmt::format("{}: {}", file.string(), error.what()));
    }
    if (in.bad()) throw Error(fmt::format("cannot read {}", file.string()));
    flush();
    progress.finish();
    return result.invalid_rows == 0 || skip_invalid;
  });
  result.committed = written.committed;
  result.applied = static_cast<std::size_t>(written.applied);
  return result;
}

}  // namespace crowdfeed
