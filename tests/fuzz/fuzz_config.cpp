// The TOML configuration: any text either loads into a configuration that
// every stage accepts, or is refused with UsageError; nothing else escapes.
#include "cli/settings.h"
#include "config/config.h"
#include "fuzz_common.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace crowdfeed;
  fuzz::quiet();
  try {
    Config config = parse_config(fuzz::as_text(data, size), "/etc/crowdfeed/fuzz.toml");
    validate_settings(config);
  } catch (const UsageError&) {
  }
  return 0;
}
