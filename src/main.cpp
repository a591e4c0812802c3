// crowdfeed: parses the command line and dispatches; every error ends here.
#include <new>

#include "cli/commands.h"
#include "util/error.h"
#include "util/log.h"

int main(int argc, char** argv) {
  using namespace crowdfeed;
  try {
    return run_command_line(argc, argv);
  } catch (const UsageError& error) {
    log::write(log::Level::kError, error.what());
    return kExitUsage;
  } catch (const std::bad_alloc&) {
    log::write(log::Level::kError, "out of memory");
    return kExitFailure;
  } catch (const std::exception& error) {
    log::write(log::Level::kError, error.what());
    return kExitFailure;
  }
}
