// Where writers send their bytes: a file being replaced atomically, or a
// string in tests and dry runs.
#pragma once

#include <fmt/compile.h>
#include <fmt/format.h>

#include <iterator>
#include <string>
#include <string_view>
#include <utility>

namespace crowdfeed {

class Output {
 public:
  virtual ~Output() = default;
  virtual void write(std::string_view bytes) = 0;
};

class StringOutput : public Output {
 public:
  void write(std::string_view bytes) override { text.append(bytes); }
  std::string text;
};

// Lines built in place for an Output: formatted straight into one buffer,
// with no string per line or field, and handed on in large pieces (one
// digest update, one compressor call and one copy per 64 KiB, not per
// line). Call flush() after the last line; what is not flushed is lost.
class LineBuffer {
 public:
  explicit LineBuffer(Output& out) : out_(out) {}

  template <typename... T>
  void format(fmt::format_string<T...> text, T&&... args) {
    fmt::format_to(std::back_inserter(buffer_), text, std::forward<T>(args)...);
    flush_when_full();
  }
  // The same with a format string compiled where it is written, for the
  // lines of a large feed: format_compiled(FMT_COMPILE("{},{}\n"), ...).
  template <typename Compiled, typename... T>
  void format_compiled(const Compiled& text, T&&... args) {
    fmt::format_to(std::back_inserter(buffer_), text, std::forward<T>(args)...);
    flush_when_full();
  }
  // Appends each of `parts` (strings), e.g. a prefix, a value and "\n".
  template <typename... Parts>
  void append(const Parts&... parts) {
    (buffer_.append(std::string_view(parts)), ...);
    flush_when_full();
  }
  void flush() {
    out_.write(std::string_view(buffer_.data(), buffer_.size()));
    buffer_.clear();
  }

 private:
  static constexpr std::size_t kFlushAt = 1 << 16;
  void flush_when_full() {
    if (buffer_.size() >= kFlushAt) flush();
  }

  Output& out_;
  fmt::memory_buffer buffer_;
};

}  // namespace crowdfeed
