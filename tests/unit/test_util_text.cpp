#include <catch2/catch.hpp>

#include "util/text.h"

using namespace crowdfeed;

TEST_CASE("printable keeps one line of valid UTF-8 whatever it quotes") {
  CHECK(printable("plain évidence") == "plain évidence");
  CHECK(printable("a\nb\tc\rd") == "a\\nb\\tc\\rd");
  CHECK(printable("\x1b[31mred") == "\\x1b[31mred");
  CHECK(printable("host \xff\xfe.example") == "host \\xff\\xfe.example");
  CHECK(printable("\xc0\xaf") == "\\xc0\\xaf");           // an overlong '/'
  CHECK(printable("\xed\xa0\x80") == "\\xed\\xa0\\x80");  // a surrogate
  CHECK(printable("\xc2\x85next") == "\\u0085next");      // a C1 control
  CHECK(printable(std::string(100, 'x'), 10) == "xxxxxxxxxx... (90 more bytes)");
  CHECK(is_valid_utf8("日本"));
  CHECK_FALSE(is_valid_utf8("\xe6\x97"));
}

TEST_CASE("quote_text puts quotes around a printable value") {
  CHECK(quote_text("a\"b\nc") == "\"a\\\"b\\nc\"");
  CHECK(quote_text(std::string(300, 'y')).size() < 250);
}

TEST_CASE("credentials are redacted from anything stored or logged") {
  CHECK(redact_secrets("GET https://user:pa55@host.example/x failed") == "GET https://REDACTED@host.example/x failed");
  CHECK(redact_secrets("sftp://feeds@host/srv") == "sftp://REDACTED@host/srv");
  CHECK(redact_secrets("HTTP 403 You sent Authorization: Basic Zm9vOmJhcg==") ==
        "HTTP 403 You sent Authorization: REDACTED");
  CHECK(redact_secrets("echo: authorization: Bearer abc.def\nnext line") == "echo: authorization: REDACTED\nnext line");
  CHECK(redact_secrets("token was Bearer abc.def; done") == "token was Bearer REDACTED done");
  CHECK(redact_secrets("https://s3.example/b/k?X-Amz-Signature=abcd&X-Amz-Date=1") ==
        "https://s3.example/b/k?X-Amz-Signature=REDACTED&X-Amz-Date=1");
  CHECK(redact_secrets("https://list.example/top.csv?api_key=s3cr3t") ==
        "https://list.example/top.csv?api_key=REDACTED");
  CHECK(redact_secrets("nothing to hide at example.com:8080/x") == "nothing to hide at example.com:8080/x");
}

TEST_CASE("a misspelt name gets the closest known one, only when it is close") {
  std::vector<std::string> commands = {"publish", "vote", "import-votes", "explain", "whitelist", "status", "check"};
  CHECK(closest_match("publsh", commands) == "publish");
  CHECK(closest_match("pubilsh", commands) == "publish");  // two neighbours swapped: one edit
  CHECK(closest_match("import-vote", commands) == "import-votes");
  CHECK(closest_match("stauts", commands) == "status");
  CHECK(closest_match("vot", commands) == "vote");
  CHECK(closest_match("frobnicate", commands).empty());
  CHECK(closest_match("xyz", commands).empty());
  CHECK(did_you_mean("min_vote", {"min_votes", "min_share", "max_age_days"}) == "; did you mean 'min_votes'?");
  CHECK(did_you_mean("something_else", {"min_votes"}).empty());
  CHECK(join_names({"a", "b", "c"}) == "a, b, c");
}

TEST_CASE("one line means one line for every reader") {
  CHECK(is_one_line("crowdfeed — Ünïcode is fine"));
  CHECK_FALSE(is_one_line("a\nb"));
  CHECK_FALSE(is_one_line("a\x7f"));
  CHECK_FALSE(
      is_one_line("a\xc2\x85"
                  "b"));  // NEL, U+0085
  CHECK_FALSE(
      is_one_line("a\xe2\x80\xa8"
                  "b"));  // LINE SEPARATOR
  CHECK_FALSE(
      is_one_line("a\xe2\x80\xa9"
                  "b"));  // PARAGRAPH SEPARATOR
  CHECK_FALSE(
      is_one_line("a\xe2\x80\xae"
                  "b"));  // RIGHT-TO-LEFT OVERRIDE
  CHECK_FALSE(
      is_one_line("a\xe2\x81\xa6"
                  "b"));              // LEFT-TO-RIGHT ISOLATE
  CHECK_FALSE(is_one_line("a\xff"));  // not UTF-8
  CHECK(printable("a\xe2\x80\xa8"
                  "b\xe2\x80\xae"
                  "c\xc2\x85") == "a\\u2028b\\u202ec\\u0085");
}
