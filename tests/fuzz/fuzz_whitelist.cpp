// The whitelist list formats and the decompressor in front of them (the
// first byte chooses the format, "auto" included): every entry handed on
// is a clean host name, and no input takes more than the size limit.
#include "fuzz_common.h"
#include "util/error.h"
#include "whitelist/load.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace crowdfeed;
  fuzz::quiet();
  if (size == 0) return 0;
  static const char* const kFormats[] = {"auto", "plain", "hosts", "ranked-csv", "misp-json"};
  const char* format = kFormats[data[0] % 5];
  constexpr std::int64_t kMaxBytes = 8 << 20;
  try {
    read_list(
        std::string(fuzz::as_text(data + 1, size - 1)), format, data[0] / 5 % 4, "fuzz",
        [](std::string&& domain) {
          if (!fuzz::is_clean_host_name(domain)) fuzz::violated("an unclean whitelist entry", domain);
        },
        kMaxBytes);
  } catch (const Error&) {
    // Not a list, a damaged archive, or over the limit: refused, as it should be.
  }
  return 0;
}
