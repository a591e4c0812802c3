#include <catch2/catch.hpp>
#include <random>

#include "util/csv_line.h"

using namespace crowdfeed;

TEST_CASE("a line without quotes splits as libcsv splits it") {
  // A quoted field at the end sends the whole line through libcsv: the
  // fields before it must be those of the line alone, split without it.
  CsvLineParser parser;
  std::mt19937 random(7);
  const std::string alphabet = "ab ,\t.";
  std::vector<std::string> fast, slow;
  std::string error;
  for (int i = 0; i < 5000; ++i) {
    std::string line;
    for (std::size_t length = random() % 12; length > 0; --length) line += alphabet[random() % alphabet.size()];
    REQUIRE(parser.split(line, fast, error));
    REQUIRE(parser.split(line + ",\"q\"", slow, error));
    REQUIRE(slow.back() == "q");
    slow.pop_back();
    if (line.empty()) slow.clear();  // libcsv gives no field for an empty line
    INFO("line: [" << line << "]");
    CHECK(fast == slow);
  }
}

TEST_CASE("quoted fields, and quotes in the wrong place") {
  CsvLineParser parser;
  std::vector<std::string> fields;
  std::string error;
  REQUIRE(parser.split(R"(a,"b,c","d""e")", fields, error));
  CHECK(fields == std::vector<std::string>{"a", "b,c", "d\"e"});
  CHECK_FALSE(parser.split(R"(a,b"c)", fields, error));
  CHECK(error.find("quote") != std::string::npos);
  CHECK_FALSE(parser.split(R"(a,"b)", fields, error));
  CHECK(parser.split(" x , y ", fields, error));
  CHECK(fields == std::vector<std::string>{"x", "y"});
}
