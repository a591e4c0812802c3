// crowdfeed: parses the command line and dispatches; every error ends here.
#include <fmt/format.h>

#include <cstdio>

#include "cli/commands.h"
#include "util/error.h"
#include "util/text.h"

int main(int argc, char** argv) {
  try {
    return crowdfeed::run_command_line(argc, argv);
  } catch (const crowdfeed::UsageError& error) {
    fmt::print(stderr, "crowdfeed: error: {}\n", crowdfeed::safe_message(error.what()));
    return crowdfeed::kExitUsage;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "crowdfeed: error: out of memory\n");
    return crowdfeed::kExitFailure;
  } catch (const std::exception& error) {
    fmt::print(stderr, "crowdfeed: error: {}\n", crowdfeed::safe_message(error.what()));
    return crowdfeed::kExitFailure;
  }
}
