// The indicator normalisers (domain, IPv4, IPv6, file hash) behind type
// detection, or with the type forced (the first byte chooses): a value they
// accept is printable without a space or line break, normalising it again
// with its type changes nothing, and a forced type is the type returned.
#include "fuzz_common.h"
#include "indicator/indicator.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace crowdfeed;
  fuzz::quiet();
  if (size == 0) return 0;
  static const std::optional<IndicatorType> kForced[] = {
      std::nullopt,        IndicatorType::kDomain, IndicatorType::kIpv4,  IndicatorType::kIpv6,
      IndicatorType::kMd5, IndicatorType::kSha1,   IndicatorType::kSha256};
  std::optional<IndicatorType> forced = kForced[data[0] % 7];
  NormalisedIndicator indicator = normalise_indicator(fuzz::as_text(data + 1, size - 1), forced);
  if (!indicator.ok()) {
    if (!indicator.value.empty()) fuzz::violated("a refused value with a value");
    return 0;
  }
  if (forced && indicator.type != *forced) fuzz::violated("the forced type was not kept");
  if (!fuzz::is_clean_indicator(indicator.value, indicator.type)) {
    fuzz::violated("an accepted value with other characters", indicator.value);
  }
  NormalisedIndicator again = normalise_indicator(indicator.value, indicator.type);
  if (!again.ok() || again.value != indicator.value) fuzz::violated("not idempotent", indicator.value);
  return 0;
}
