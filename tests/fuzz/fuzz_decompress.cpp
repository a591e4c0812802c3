// The decompressor alone: gzip and zip (and anything else) come out as at
// most the limit, or an Error.
#include "fuzz_common.h"
#include "util/decompress.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace crowdfeed;
  fuzz::quiet();
  constexpr std::size_t kMaxBytes = 4 << 20;
  try {
    std::string content = decompress_if_compressed(std::string(fuzz::as_text(data, size)), kMaxBytes);
    if (content.size() > std::max(kMaxBytes, size)) fuzz::violated("more than the limit");
  } catch (const Error&) {
  }
  return 0;
}
