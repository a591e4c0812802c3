// The domain normaliser: whatever the input, a normalised name is a clean
// host name, and normalising it again changes nothing.
#include "fuzz_common.h"
#include "indicator/domain.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace crowdfeed;
  fuzz::quiet();
  NormalisedDomain domain = normalise_domain(fuzz::as_text(data, size));
  if (!domain.ok()) {
    if (domain.problem.empty()) fuzz::violated("a refusal without a reason");
    return 0;
  }
  if (!fuzz::is_clean_host_name(domain.domain)) fuzz::violated("not a clean host name", domain.domain);
  NormalisedDomain again = normalise_domain(domain.domain);
  if (!again.ok() || again.domain != domain.domain) fuzz::violated("not idempotent", domain.domain);
  return 0;
}
