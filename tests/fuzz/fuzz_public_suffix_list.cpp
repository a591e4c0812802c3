// The Public Suffix List reader (what a configured URL's server sends):
// a list is accepted only when it makes sense, and a refusal names why.
#include "fuzz_common.h"
#include "indicator/public_suffix_list.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace crowdfeed;
  fuzz::quiet();
  auto parsed = parse_public_suffix_list(fuzz::as_text(data, size), "fuzzed list", std::nullopt);
  if (auto* list = std::get_if<ParsedSuffixList>(&parsed)) {
    if (list->info.rules < 5000 || !list->context) fuzz::violated("a list accepted without its rules");
  } else if (std::get<std::string>(parsed).empty()) {
    fuzz::violated("a refusal without a reason");
  }
  return 0;
}
