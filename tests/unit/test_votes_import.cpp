#include <catch2/catch.hpp>
#include <sstream>

#include "temp_dir.h"
#include "util/error.h"
#include "votes/import.h"
#include "votes/sqlite_store.h"

using namespace crowdfeed;
using crowdfeed::testing::TempDir;
using crowdfeed::testing::write_text;

namespace {

struct Parsed {
  std::vector<Vote> votes;
  std::vector<RowProblem> problems;
};

Parsed parse(std::string_view text, bool csv = true) {
  Parsed parsed;
  std::istringstream in{std::string(text)};
  auto on_vote = [&](Vote&& vote) { parsed.votes.push_back(std::move(vote)); };
  auto on_problem = [&](RowProblem&& problem) { parsed.problems.push_back(std::move(problem)); };
  if (csv) {
    parse_votes_csv(in, on_vote, on_problem);
  } else {
    parse_votes_jsonl(in, on_vote, on_problem);
  }
  return parsed;
}

std::size_t count_votes(VoteStore& store) {
  std::size_t count = 0;
  store.for_each_tally(TimePoint::min(), TimePoint(std::chrono::seconds(1LL << 40)), {},
                       [&](const Tally& tally) { count += tally.malicious_votes + tally.non_malicious_votes; });
  return count;
}

}  // namespace

TEST_CASE("CSV rows: vote words or the API's 0/1, ISO 8601 or Unix seconds, optional header") {
  auto parsed = parse(
      "indicator,vote,voter,cast_at\n"
      "Evil.Example.com,malicious,alice,2026-11-01T10:00:00Z\n"
      "\n"
      "good.example.org,1,bob,1790000000\n"
      "\"quoted.example.net\",0,\"carol, the second\",2026-11-01 10:00:00+02:00\n");
  REQUIRE(parsed.problems.empty());
  REQUIRE(parsed.votes.size() == 3);
  CHECK(parsed.votes[0].indicator == "evil.example.com");
  CHECK(parsed.votes[0].verdict == Verdict::kMalicious);
  CHECK(parsed.votes[1].verdict == Verdict::kNonMalicious);
  CHECK(parsed.votes[1].cast_at == TimePoint(std::chrono::seconds(1790000000)));
  CHECK(parsed.votes[2].voter == "carol, the second");
  CHECK(format_iso8601(parsed.votes[2].cast_at) == "2026-11-01T08:00:00Z");
}

TEST_CASE("a header may order the columns differently") {
  auto parsed = parse("voter,cast_at,indicator,vote\nalice,1790000000,evil.example.com,malicious\n");
  REQUIRE(parsed.votes.size() == 1);
  CHECK(parsed.votes[0].voter == "alice");
  CHECK_THROWS_WITH(parse("indicator,vote,voter\n"), Catch::Contains("line 1: the header"));
}

TEST_CASE("every bad CSV row is reported with its line number and reason") {
  auto parsed = parse(
      "ok.example.com,malicious,a,1790000000\n"
      "192.0.2.1,malicious,a,1790000000\n"
      "ok.example.com,bad,a,1790000000\n"
      "ok.example.com,malicious,,1790000000\n"
      "ok.example.com,malicious,a,yesterday\n"
      "ok.example.com,malicious,a\n"
      "\"broken\"quote,malicious,a,1790000000\n"
      "\"evil.com\nsecond.com\",malicious,a,1790000000\n"
      "fine.example.com,1,a,1790000000\n");
  CHECK(parsed.votes.size() == 2);
  REQUIRE(parsed.problems.size() == 8);
  CHECK(parsed.problems[0].line == 2);
  CHECK_THAT(parsed.problems[0].reason, Catch::Contains("is documentation (TEST-NET-1"));
  CHECK(parsed.problems[1].line == 3);
  CHECK_THAT(parsed.problems[1].reason, Catch::Contains("vote \"bad\""));
  CHECK(parsed.problems[2].line == 4);
  CHECK_THAT(parsed.problems[2].reason, Catch::Contains("voter is empty"));
  CHECK(parsed.problems[3].line == 5);
  CHECK_THAT(parsed.problems[3].reason, Catch::Contains("cast_at \"yesterday\""));
  CHECK(parsed.problems[4].line == 6);
  CHECK_THAT(parsed.problems[4].reason, Catch::Contains("found 3"));
  CHECK(parsed.problems[5].line == 7);
  CHECK_THAT(parsed.problems[5].reason, Catch::Contains("malformed CSV: a quote inside"));
  // A vote never spans lines: an unclosed quote is an error on its own line
  // and does not swallow the lines after it.
  CHECK(parsed.problems[6].line == 8);
  CHECK_THAT(parsed.problems[6].reason, Catch::Contains("not closed on its line"));
  CHECK(parsed.problems[7].line == 9);
}

TEST_CASE("JSON Lines rows take strings or numbers and report bad lines") {
  auto parsed = parse(
      "{\"indicator\":\"evil.example.com\",\"vote\":0,\"voter\":\"a\",\"cast_at\":1790000000}\n"
      "{\"indicator\":\"good.example.org\",\"vote\":\"non-malicious\",\"voter\":\"a\","
      "\"cast_at\":\"2026-11-01T00:00:00Z\",\"extra\":true}\n"
      "not json\n"
      "[1,2]\n"
      "{\"indicator\":\"x.example.com\",\"vote\":0,\"voter\":\"a\"}\n"
      "{\"indicator\":\"x.example.com\",\"vote\":7,\"voter\":\"a\",\"cast_at\":1}\n",
      false);
  REQUIRE(parsed.votes.size() == 2);
  CHECK(parsed.votes[1].verdict == Verdict::kNonMalicious);
  REQUIRE(parsed.problems.size() == 4);
  CHECK(parsed.problems[0].line == 3);
  CHECK(parsed.problems[1].line == 4);
  CHECK(parsed.problems[2].line == 5);
  CHECK_THAT(parsed.problems[2].reason, Catch::Contains("\"cast_at\" is missing"));
  CHECK(parsed.problems[3].line == 6);
}

TEST_CASE("a file with an invalid row imports nothing unless asked to skip it") {
  TempDir dir;
  auto store = SqliteVoteStore::open_for_writing(dir / "votes.db", 1000);
  store.add({"kept.example.com", Verdict::kMalicious, "earlier", TimePoint(std::chrono::seconds(1))});
  write_text(dir / "votes.csv",
             "a.example.com,malicious,v,1790000000\nnot_valid,malicious,v,1790000000\nb.example.com,0,v,1790000000\n");

  auto result = import_votes(store, dir / "votes.csv", false);
  CHECK_FALSE(result.committed);
  CHECK(result.valid_rows == 2);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].line == 2);
  CHECK(count_votes(store) == 1);  // nothing imported, nothing lost

  result = import_votes(store, dir / "votes.csv", true);
  CHECK(result.committed);
  CHECK(result.applied == 2);
  CHECK(result.problems.size() == 1);
  CHECK(count_votes(store) == 3);

  // Importing the same file again changes nothing: imports are idempotent.
  result = import_votes(store, dir / "votes.csv", true);
  CHECK(result.applied == 0);
  CHECK(count_votes(store) == 3);
}

TEST_CASE("the format is taken from the extension, else from the content") {
  TempDir dir;
  write_text(dir / "votes.ndjson", "");
  write_text(dir / "votes.data", "  {\"indicator\":1}");
  write_text(dir / "other.data", "a.example.com,0,v,1");
  CHECK(detect_vote_file_format(dir / "votes.ndjson") == VoteFileFormat::kJsonLines);
  CHECK(detect_vote_file_format(dir / "votes.data") == VoteFileFormat::kJsonLines);
  CHECK(detect_vote_file_format(dir / "other.data") == VoteFileFormat::kCsv);
}

TEST_CASE("each indicator's type is told from its shape, or named by a type column") {
  auto parsed = parse(
      "indicator,vote,voter,cast_at\n"
      "evil.example.com,0,a,1790000000\n"
      "8.8.4.4,0,a,1790000000\n"
      "2001:4860:4860:0:0:0:0:8844,0,a,1790000000\n"
      "0123456789ABCDEF0123456789ABCDEF,0,a,1790000000\n"
      "0123456789abcdef0123456789abcdef01234567,0,a,1790000000\n"
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef,0,a,1790000000\n");
  REQUIRE(parsed.problems.empty());
  REQUIRE(parsed.votes.size() == 6);
  std::vector<std::pair<std::string, IndicatorType>> got;
  for (const auto& vote : parsed.votes) got.emplace_back(vote.indicator, vote.type);
  CHECK(got[0] == std::pair<std::string, IndicatorType>{"evil.example.com", IndicatorType::kDomain});
  CHECK(got[1] == std::pair<std::string, IndicatorType>{"8.8.4.4", IndicatorType::kIpv4});
  CHECK(got[2] == std::pair<std::string, IndicatorType>{"2001:4860:4860::8844", IndicatorType::kIpv6});
  CHECK(got[3] == std::pair<std::string, IndicatorType>{"0123456789abcdef0123456789abcdef", IndicatorType::kMd5});
  CHECK(got[4].second == IndicatorType::kSha1);
  CHECK(got[5].second == IndicatorType::kSha256);

  auto typed = parse(
      "type,indicator,vote,voter,cast_at\n"
      "ipv4,8.8.4.4,0,a,1790000000\n"
      "ipv6,8.8.4.4,0,a,1790000000\n"
      "url,8.8.4.4,0,a,1790000000\n"
      ",9.9.9.9,0,a,1790000000\n");
  REQUIRE(typed.votes.size() == 2);
  CHECK(typed.votes[1].type == IndicatorType::kIpv4);
  REQUIRE(typed.problems.size() == 2);
  CHECK(typed.problems[0].line == 3);
  CHECK_THAT(typed.problems[0].reason, Catch::Contains("is not an IPv6 address (it looks like ipv4)"));
  CHECK(typed.problems[1].line == 4);
  CHECK_THAT(typed.problems[1].reason, Catch::Contains("type \"url\" is not domain, ipv4"));

  auto json = parse(
      "{\"indicator\":\"8.8.4.4\",\"vote\":0,\"voter\":\"a\",\"cast_at\":1790000000,\"type\":\"ipv4\"}\n"
      "{\"indicator\":\"8.8.4.4\",\"vote\":0,\"voter\":\"a\",\"cast_at\":1790000000,\"type\":\"domain\"}\n"
      "{\"indicator\":\"8.8.4.4\",\"vote\":0,\"voter\":\"a\",\"cast_at\":1790000000,\"type\":4}\n",
      false);
  REQUIRE(json.votes.size() == 1);
  REQUIRE(json.problems.size() == 2);
  CHECK_THAT(json.problems[0].reason, Catch::Contains("is an IP address, not a domain name"));
  CHECK_THAT(json.problems[1].reason, Catch::Contains("type \"4\" is not domain"));
}

TEST_CASE("a forced type refuses every value of another type, and a row that names another") {
  std::istringstream in("8.8.4.4,0,a,1790000000\nevil.example.com,0,a,1790000000\n");
  std::vector<Vote> votes;
  std::vector<RowProblem> problems;
  VoteRules rules;
  rules.type = IndicatorType::kIpv4;
  parse_votes_csv(
      in, [&](Vote&& vote) { votes.push_back(std::move(vote)); },
      [&](RowProblem&& problem) { problems.push_back(std::move(problem)); }, rules);
  REQUIRE(votes.size() == 1);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].line == 2);
  CHECK_THAT(problems[0].reason, Catch::Contains("is not an IPv4 address"));
  CHECK_THAT(problems[0].reason, Catch::Contains("(it looks like domain)"));
  VoteCheck contradiction = check_vote("8.8.4.4", "0", "a", "1790000000", rules, "domain");
  CHECK_THAT(contradiction.problem, Catch::Contains("type \"domain\" contradicts --type ipv4"));
}
