// gzip compression through zlib, as an Output that compresses what it is
// given and passes it on. The gzip header carries no time or name, so the
// same input always gives the same bytes, and an unchanged feed's .gz copy
// stays byte-identical too.
#pragma once

#include <zlib.h>

#include <string>

#include "util/output.h"

namespace crowdfeed {

class GzipOutput : public Output {
 public:
  explicit GzipOutput(Output& sink);
  ~GzipOutput() override;
  GzipOutput(const GzipOutput&) = delete;
  GzipOutput& operator=(const GzipOutput&) = delete;

  void write(std::string_view bytes) override;
  // Flushes the compressed stream's end; call once, after the last write.
  void finish();

 private:
  void deflate_into_sink(int flush);

  Output& sink_;
  z_stream stream_{};
  std::string buffer_;
};

// Writes to two outputs at once: a file and its compressed copy.
class TeeOutput : public Output {
 public:
  TeeOutput(Output& first, Output& second) : first_(first), second_(second) {}
  void write(std::string_view bytes) override {
    first_.write(bytes);
    second_.write(bytes);
  }

 private:
  Output& first_;
  Output& second_;
};

}  // namespace crowdfeed
