// Where writers send their bytes: a file being replaced atomically, or a
// string in tests and dry runs.
#pragma once

#include <string>
#include <string_view>

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

}  // namespace crowdfeed
