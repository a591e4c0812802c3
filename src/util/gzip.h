// gzip compression as an Output that compresses what it is given and
// passes it on: one single-member gzip stream whose header carries no time
// or name, so the same input and level always give the same bytes, and an
// unchanged feed's .gz copy stays byte-identical too.
//
// Two levels, for two kinds of operator:
// - kFast, ISA-L's streaming deflate at its level 1 (about twenty times
//   zlib's speed, files about a tenth larger): the default, because a
//   publisher recompresses hundreds of megabytes every hour. Where the
//   build found no ISA-L, zlib's level 1 stands in.
// - kSmall, zlib's level 9: for operators who pay for every byte served.
// (docs/performance.md measures both on the benchmark's feeds.)
// ISA-L picks its code path by the processor, so kFast's bytes may differ
// between machines, never what they decompress to.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "util/output.h"

namespace crowdfeed {

enum class GzipLevel { kFast, kSmall };

// "fast" or "small".
std::string_view gzip_level_name(GzipLevel level);
// Which library does kFast in this build: "ISA-L" or "zlib".
std::string_view fast_gzip_library();

class GzipOutput : public Output {
 public:
  explicit GzipOutput(Output& sink, GzipLevel level = GzipLevel::kFast);
  ~GzipOutput() override;
  GzipOutput(const GzipOutput&) = delete;
  GzipOutput& operator=(const GzipOutput&) = delete;

  void write(std::string_view bytes) override;
  // Flushes the compressed stream's end; call once, after the last write.
  void finish();

  class Deflater;

 private:
  std::unique_ptr<Deflater> deflater_;
  std::string pending_;  // input not yet handed to the library
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
