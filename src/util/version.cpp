#include "util/version.h"

#include <fmt/format.h>
#include <sys/stat.h>

namespace crowdfeed {

std::string program_identity() {
  std::string identity = "crowdfeed " CROWDFEED_VERSION;
  struct stat program {};
  if (::stat("/proc/self/exe", &program) == 0) {
    identity += fmt::format(" {} {} {} {}.{:09}", program.st_dev, program.st_ino, program.st_size,
                            program.st_mtim.tv_sec, program.st_mtim.tv_nsec);
  }
  return identity;
}

}  // namespace crowdfeed
