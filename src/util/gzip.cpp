#include "util/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#ifdef CROWDFEED_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include "util/error.h"

namespace crowdfeed {
namespace {

// Compressed bytes are passed on in pieces of this size.
constexpr std::size_t kChunk = 1 << 16;
// Writers hand over a line at a time; the libraries are given this much at
// once (ISA-L shifts its 32 KiB history on every call: fed line by line, it
// spends its time moving memory).
constexpr std::size_t kInputBatch = 1 << 18;
// The most handed to a library at once (both count input in 32 bits).
constexpr std::size_t kMaxInput = std::size_t{1} << 30;

}  // namespace

// One compressor's stream state; a subclass per library.
class GzipOutput::Deflater {
 public:
  explicit Deflater(Output& sink) : sink_(sink), buffer_(kChunk) {}
  virtual ~Deflater() = default;
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
  virtual void write(std::string_view bytes) = 0;
  virtual void finish() = 0;

 protected:
  void pass_on(std::size_t bytes) { sink_.write(std::string_view(buffer_.data(), bytes)); }

  Output& sink_;
  std::vector<char> buffer_;
};

namespace {

class ZlibDeflater final : public GzipOutput::Deflater {
 public:
  ZlibDeflater(Output& sink, int level) : Deflater(sink) {
    constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, gzip wrapper, no time or name
    if (deflateInit2(&stream_, level, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw Error("cannot initialise zlib");
    }
  }
  ~ZlibDeflater() override { deflateEnd(&stream_); }
  ZlibDeflater(const ZlibDeflater&) = delete;
  ZlibDeflater& operator=(const ZlibDeflater&) = delete;

  void write(std::string_view bytes) override {
    while (!bytes.empty()) {
      std::size_t piece = std::min(bytes.size(), kMaxInput);
      stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
      stream_.avail_in = static_cast<uInt>(piece);
      deflate_into_sink(Z_NO_FLUSH);
      bytes.remove_prefix(piece);
    }
  }
  void finish() override {
    stream_.next_in = nullptr;
    stream_.avail_in = 0;
    deflate_into_sink(Z_FINISH);
  }

 private:
  void deflate_into_sink(int flush) {
    int result = Z_OK;
    do {
      stream_.next_out = reinterpret_cast<Bytef*>(buffer_.data());
      stream_.avail_out = static_cast<uInt>(buffer_.size());
      result = deflate(&stream_, flush);
      if (result == Z_STREAM_ERROR) throw Error("zlib compression failed");
      pass_on(buffer_.size() - stream_.avail_out);
    } while (stream_.avail_out == 0 || (flush == Z_FINISH && result != Z_STREAM_END));
  }

  z_stream stream_{};
};

#ifdef CROWDFEED_HAVE_ISAL
// ISA-L's level 1: the fastest with Huffman tables fitted to the data.
class IsalDeflater final : public GzipOutput::Deflater {
 public:
  explicit IsalDeflater(Output& sink)
      : Deflater(sink), stream_(std::make_unique<isal_zstream>()), level_buffer_(ISAL_DEF_LVL1_DEFAULT) {
    isal_deflate_init(stream_.get());
    stream_->level = 1;
    stream_->level_buf = level_buffer_.data();
    stream_->level_buf_size = static_cast<std::uint32_t>(level_buffer_.size());
    // The header written here (what gzip -n writes: no name, no time, Unix);
    // the library adds the trailer's CRC-32 and length.
    stream_->gzip_flag = IGZIP_GZIP_NO_HDR;
    isal_gzip_header header{};
    isal_gzip_header_init(&header);
    header.os = 3;
    stream_->next_out = reinterpret_cast<std::uint8_t*>(buffer_.data());
    stream_->avail_out = static_cast<std::uint32_t>(buffer_.size());
    if (isal_write_gzip_header(stream_.get(), &header) != 0) throw Error("cannot write a gzip header");
    pass_on(buffer_.size() - stream_->avail_out);
  }

  void write(std::string_view bytes) override {
    while (!bytes.empty()) {
      std::size_t piece = std::min(bytes.size(), kMaxInput);
      stream_->next_in = reinterpret_cast<std::uint8_t*>(const_cast<char*>(bytes.data()));
      stream_->avail_in = static_cast<std::uint32_t>(piece);
      deflate_into_sink();
      bytes.remove_prefix(piece);
    }
  }
  void finish() override {
    stream_->next_in = nullptr;
    stream_->avail_in = 0;
    stream_->end_of_stream = 1;
    deflate_into_sink();
  }

 private:
  void deflate_into_sink() {
    do {
      stream_->next_out = reinterpret_cast<std::uint8_t*>(buffer_.data());
      stream_->avail_out = static_cast<std::uint32_t>(buffer_.size());
      if (isal_deflate(stream_.get()) != COMP_OK) throw Error("ISA-L compression failed");
      pass_on(buffer_.size() - stream_->avail_out);
    } while (stream_->avail_in > 0 || stream_->avail_out == 0 ||
             (stream_->end_of_stream && stream_->internal_state.state != ZSTATE_END));
  }

  std::unique_ptr<isal_zstream> stream_;  // about 200 KiB: kept off the stack
  std::vector<std::uint8_t> level_buffer_;
};
#endif

std::unique_ptr<GzipOutput::Deflater> make_deflater(Output& sink, GzipLevel level) {
  if (level == GzipLevel::kSmall) return std::make_unique<ZlibDeflater>(sink, 9);
#ifdef CROWDFEED_HAVE_ISAL
  return std::make_unique<IsalDeflater>(sink);
#else
  return std::make_unique<ZlibDeflater>(sink, 1);
#endif
}

}  // namespace

std::string_view gzip_level_name(GzipLevel level) {
  return level == GzipLevel::kSmall ? "small" : "fast";
}

std::string_view fast_gzip_library() {
#ifdef CROWDFEED_HAVE_ISAL
  return "ISA-L";
#else
  return "zlib";
#endif
}

GzipOutput::GzipOutput(Output& sink, GzipLevel level) : deflater_(make_deflater(sink, level)) {
  pending_.reserve(kInputBatch);
}

GzipOutput::~GzipOutput() = default;

void GzipOutput::write(std::string_view bytes) {
  if (pending_.size() + bytes.size() > kInputBatch) {
    deflater_->write(pending_);
    pending_.clear();
  }
  if (bytes.size() >= kInputBatch) {
    deflater_->write(bytes);
  } else {
    pending_.append(bytes);
  }
}

void GzipOutput::finish() {
  deflater_->write(pending_);
  pending_.clear();
  deflater_->finish();
}

}  // namespace crowdfeed
