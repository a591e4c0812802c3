// The whitelist list formats and the decompressor in front of them (the
// first byte chooses the format, "auto" included, and the source's type):
// every entry handed on is clean for its type (a host name; an address or
// CIDR range that parses back to itself; a lower-case hash), and no input
// takes more than the size limit.
#include "fuzz_common.h"
#include "indicator/ip_address.h"
#include "util/error.h"
#include "whitelist/load.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace crowdfeed;
  fuzz::quiet();
  if (size == 0) return 0;
  static const char* const kFormats[] = {"auto", "plain", "hosts", "ranked-csv", "misp-json"};
  static const char* const kTypes[] = {"auto", "domain", "ip", "hash"};
  const char* format = kFormats[data[0] % 5];
  const char* type = kTypes[data[0] / 5 % 4];
  constexpr std::int64_t kMaxBytes = 8 << 20;
  try {
    read_typed_list(
        std::string(fuzz::as_text(data + 1, size - 1)), format, type, data[0] / 20 % 4, "fuzz",
        [](IndicatorGroup group, std::string&& value) {
          bool clean = false;
          switch (group) {
            case IndicatorGroup::kDomain:
              clean = fuzz::is_clean_host_name(value);
              break;
            case IndicatorGroup::kIp: {
              ParsedRange range = parse_address_range(value);
              clean = range.ok() && range.range.text() == value;
              break;
            }
            case IndicatorGroup::kHash:
              clean = fuzz::is_clean_indicator(value, value.size() == 32   ? IndicatorType::kMd5
                                                      : value.size() == 40 ? IndicatorType::kSha1
                                                                           : IndicatorType::kSha256);
              break;
          }
          if (!clean) fuzz::violated("an unclean whitelist entry", value);
        },
        kMaxBytes);
  } catch (const Error&) {
    // Not a list, a damaged archive, over the limit, or of another type than
    // the source's: refused, as it should be.
  }
  return 0;
}
