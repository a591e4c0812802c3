#include <catch2/catch.hpp>

#include "serve/cross_site.h"
#include "serve/daily_cap.h"
#include "serve/vote_body.h"

using namespace crowdfeed;

namespace {

std::string refusal(std::string_view body, std::size_t max_votes = 5) {
  auto parsed = parse_vote_body(body, max_votes);
  if (auto* error = std::get_if<VoteBodyError>(&parsed)) return (error->too_many ? "413 " : "400 ") + error->message;
  return "accepted";
}

}  // namespace

TEST_CASE("a vote body is one vote object or an array of them") {
  auto one = std::get<VoteBody>(parse_vote_body(R"({"value": "a.example", "vote": 0, "type": "domain"})", 5));
  REQUIRE(one.votes.size() == 1);
  CHECK(one.votes[0].value == "a.example");
  CHECK(one.votes[0].vote == "0");
  CHECK(one.votes[0].type == "domain");
  auto two = std::get<VoteBody>(parse_vote_body(R"([{"value": "a.example", "vote": "1"}, {"vote": 0, "x": null}])", 5));
  REQUIRE(two.votes.size() == 2);
  CHECK(two.votes[0].vote == "1");
  CHECK_FALSE(two.votes[1].value.has_value());
  CHECK(two.votes[1].problem.empty());  // an unread key may hold anything scalar
}

TEST_CASE("a vote body's shape, size and keys are checked while it is read") {
  CHECK(refusal("[]") == "400 the body is a vote object or a non-empty array of them");
  CHECK(refusal("\"a\"") == "400 the body is a vote object or a non-empty array of them");
  CHECK(refusal("[1]") == "400 vote 0 is not an object {\"value\": ..., \"vote\": 0 or 1}");
  CHECK(refusal("[[{}]]") == "400 vote 0 is not an object {\"value\": ..., \"vote\": 0 or 1}");
  CHECK(refusal(R"({"value": {"a": 1}})") == "400 vote 0 holds an object in \"value\"; fields are strings or integers");
  CHECK(refusal(R"({"value": ["a"]})") == "400 vote 0 holds an array in \"value\"; fields are strings or integers");
  CHECK(refusal(R"({"value": "benign.example", "value": "evil.example"})") ==
        "400 vote 0 gives the key \"value\" twice");
  CHECK(refusal(R"([{"vote": 0}, {"x": 1, "x": 2}])") == "400 vote 1 gives the key \"x\" twice");
  CHECK(refusal(R"([{}, {}, {}])", 2) == "413 more than 2 votes in one request (serve.max_batch)");
  CHECK(refusal("{\"value\": \"a\"") == "400 the body is not JSON (at byte 14)");
  CHECK(refusal("{\"value\": \"\xff\"}").starts_with("400 the body is not JSON"));
  CHECK(refusal(R"({"a": 1} {"b": 2})").starts_with("400 the body is not JSON"));
  // Deep nesting stops at the second level, however deep it goes.
  CHECK(refusal(std::string(100000, '[') + std::string(100000, ']')).starts_with("400 vote 0 is not an object"));
}

TEST_CASE("a field of the wrong kind is named with what was sent") {
  auto body =
      std::get<VoteBody>(parse_vote_body(R"([{"vote": true}, {"value": 7}, {"type": 1.5e3}, {"vote": null}])", 5));
  CHECK(body.votes[0].problem == "vote must be 0 or 1 (a string or an integer), not true");
  CHECK(body.votes[1].problem == "value must be a string, not 7");
  CHECK(body.votes[2].problem == "type must be a string, not 1.5e3");
  CHECK(body.votes[3].problem == "vote must be 0 or 1 (a string or an integer), not null");
}

TEST_CASE("a vote from a page of another site is refused") {
  auto problem = [](RequestSource source) { return cross_site_problem(source); };
  CHECK(problem({}).empty());  // curl, scripts: no browser headers
  CHECK(problem({"same-origin", std::nullopt, "votes.example.org"}).empty());
  CHECK(problem({"none", std::nullopt, std::nullopt}).empty());
  CHECK_FALSE(problem({"cross-site", std::nullopt, std::nullopt}).empty());
  CHECK_FALSE(problem({"same-site", std::nullopt, std::nullopt}).empty());
  // The Origin is the server's own: its host, and its port (the scheme's default when Host names none).
  CHECK(problem({std::nullopt, "https://votes.example.org", "votes.example.org"}).empty());
  CHECK(problem({std::nullopt, "https://votes.example.org:443", "votes.example.org"}).empty());
  CHECK(problem({std::nullopt, "https://votes.example.org", "votes.example.org:443"}).empty());
  CHECK(problem({std::nullopt, "http://127.0.0.1:8080", "127.0.0.1:8080"}).empty());
  CHECK(problem({std::nullopt, "HTTP://Votes.Example.org", "votes.example.org:80"}).empty());
  CHECK(problem({std::nullopt, "http://[2001:db8::1]:8080", "[2001:db8::1]:8080"}).empty());
  CHECK_FALSE(problem({std::nullopt, "http://127.0.0.1:8081", "127.0.0.1:8080"}).empty());
  CHECK_FALSE(problem({std::nullopt, "https://votes.example.org", "votes.example.org:80"}).empty());
  CHECK_FALSE(problem({std::nullopt, "http://votes.example.org", "votes.example.org:443"}).empty());
  CHECK_FALSE(problem({std::nullopt, "null", "votes.example.org"}).empty());
  CHECK_FALSE(problem({std::nullopt, "https://evil.example", "votes.example.org"}).empty());
  CHECK_FALSE(problem({std::nullopt, "https://votes.example.org.evil.example", "votes.example.org"}).empty());
  CHECK_FALSE(problem({std::nullopt, "https://votes.example.org", std::nullopt}).empty());
  CHECK_FALSE(problem({std::nullopt, "https://user@votes.example.org", "votes.example.org"}).empty());
  CHECK_FALSE(problem({"same-origin", "https://evil.example", "votes.example.org"}).empty());
  CHECK(is_json_content_type("application/json"));
  CHECK(is_json_content_type("Application/JSON ; charset=utf-8"));
  CHECK_FALSE(is_json_content_type("text/plain"));
  CHECK_FALSE(is_json_content_type("application/json-seq"));
  CHECK_FALSE(is_json_content_type(""));
}

TEST_CASE("the daily cap counts per voter and day, and gives back what was not stored") {
  DailyCap cap(3);
  CHECK(cap.take("a", 2, 100));
  CHECK_FALSE(cap.take("a", 2, 100));
  CHECK(cap.take("b", 3, 100));
  cap.give_back("a", 2, 100);
  CHECK(cap.take("a", 3, 100));
  CHECK_FALSE(cap.take("a", 1, 100));
  CHECK(cap.voters() == 2);
  cap.give_back("a", 3, 99);  // a day already forgotten: nothing
  CHECK_FALSE(cap.take("a", 1, 100));
  CHECK(cap.take("a", 3, 101));  // a new day forgets the old one
  CHECK(cap.voters() == 1);
  CHECK_FALSE(cap.take("c", 4, 101));  // more than the cap at once
  // A request stamped just before midnight, answered after: counted today,
  // never a reason to forget today's counts.
  CHECK_FALSE(cap.take("a", 1, 100));
  CHECK(cap.voters() == 1);
  CHECK_FALSE(cap.take("a", 1, 101));
}
