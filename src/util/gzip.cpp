#include "util/gzip.h"

#include "util/error.h"

namespace crowdfeed {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, gzip wrapper
constexpr std::size_t kChunk = 1 << 16;

// Measured on the nine domain formats of a 110,000-entry feed (45 MB):
// level 6 (zlib's default) 1.04 s, ratio 7.05; level 5 0.69 s, 6.92;
// level 4 0.51 s, 6.52; level 1 0.35 s, 5.55. Level 5 costs 2 % in size for
// a third less time; each file is compressed once and downloaded by
// thousands, so the cheaper levels' larger files are not worth it.
constexpr int kLevel = 5;

}  // namespace

GzipOutput::GzipOutput(Output& sink) : sink_(sink), buffer_(kChunk, '\0') {
  if (deflateInit2(&stream_, kLevel, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw Error("cannot initialise zlib");
  }
}

GzipOutput::~GzipOutput() {
  deflateEnd(&stream_);
}

void GzipOutput::write(std::string_view bytes) {
  stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream_.avail_in = static_cast<uInt>(bytes.size());
  deflate_into_sink(Z_NO_FLUSH);
}

void GzipOutput::finish() {
  stream_.next_in = nullptr;
  stream_.avail_in = 0;
  deflate_into_sink(Z_FINISH);
}

void GzipOutput::deflate_into_sink(int flush) {
  do {
    stream_.next_out = reinterpret_cast<Bytef*>(buffer_.data());
    stream_.avail_out = static_cast<uInt>(buffer_.size());
    int result = deflate(&stream_, flush);
    if (result == Z_STREAM_ERROR) throw Error("zlib compression failed");
    sink_.write(std::string_view(buffer_.data(), buffer_.size() - stream_.avail_out));
  } while (stream_.avail_out == 0 || (flush == Z_FINISH && stream_.avail_in > 0));
}

}  // namespace crowdfeed
