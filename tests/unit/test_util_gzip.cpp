#include <fmt/format.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <string>

#include "util/gzip.h"

using namespace crowdfeed;

namespace {

// Feed-like text: lines of domains and counts, `lines` of them.
std::string feed_text(int lines) {
  std::string text = "# Title: a feed\n";
  for (int i = 0; i < lines; ++i) text += fmt::format("host{}.site{}.example,{},{}\n", i, i % 977, i % 13, i % 7);
  return text;
}

// `text` compressed at `level`, handed over in pieces of `piece` bytes.
std::string compressed(const std::string& text, GzipLevel level, std::size_t piece) {
  StringOutput out;
  GzipOutput gzip(out, level);
  for (std::size_t at = 0; at < text.size(); at += piece) gzip.write(std::string_view(text).substr(at, piece));
  gzip.finish();
  return std::move(out.text);
}

// zlib's inflate of one gzip member that must fill `data` exactly (a
// second member or trailing bytes fail).
std::string inflated(const std::string& data) {
  z_stream stream{};
  REQUIRE(inflateInit2(&stream, 15 + 16) == Z_OK);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  std::string text;
  char buffer[4096];
  int result = Z_OK;
  while (result == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    result = inflate(&stream, Z_NO_FLUSH);
    text.append(buffer, sizeof buffer - stream.avail_out);
  }
  inflateEnd(&stream);
  CHECK(result == Z_STREAM_END);
  CHECK(stream.avail_in == 0);
  return text;
}

}  // namespace

TEST_CASE("both gzip levels write one gzip member that decompresses to the input") {
  std::string text = feed_text(200'000);  // several megabytes: many of the library's blocks
  for (GzipLevel level : {GzipLevel::kFast, GzipLevel::kSmall}) {
    INFO(gzip_level_name(level));
    for (std::size_t piece : {std::size_t{1} << 20, std::size_t{4093}, std::size_t{1} << 24}) {
      std::string gz = compressed(text, level, piece);
      CHECK(inflated(gz) == text);
      // What gzip -n writes: deflate, no flags, no time, Unix.
      REQUIRE(gz.size() > 18);
      CHECK(gz.substr(0, 8) == std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00", 8));
      CHECK(gz[9] == 3);
      CHECK(gz.size() < text.size() / 4);
    }
    CHECK(inflated(compressed("", level, 1)).empty());
    CHECK(inflated(compressed("one line\n", level, 1)) == "one line\n");
  }
}

TEST_CASE("the same input at the same level gives the same bytes, and small is smaller") {
  std::string text = feed_text(50'000);
  for (GzipLevel level : {GzipLevel::kFast, GzipLevel::kSmall}) {
    CHECK(compressed(text, level, 8192) == compressed(text, level, 8192));
  }
  CHECK(compressed(text, GzipLevel::kSmall, 8192).size() < compressed(text, GzipLevel::kFast, 8192).size());
}
