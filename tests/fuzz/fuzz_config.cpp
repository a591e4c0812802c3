// The TOML configuration: any text either loads into a configuration that
// validates, or is refused with UsageError; nothing else escapes.
#include <unistd.h>

#include <fstream>

#include "config/config.h"
#include "fuzz_common.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace crowdfeed;
  fuzz::quiet();
  static const std::string path = "/tmp/crowdfeed-fuzz-config-" + std::to_string(::getpid()) + ".toml";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    Config config = load_config(path);
    validate(config);  // a loaded configuration is a valid one
  } catch (const UsageError&) {
  }
  return 0;
}
