// The program's one error path: code throws these, main() catches them once,
// prints "crowdfeed: error: MESSAGE" and exits with the matching code.
// Utilities whose failure is expected return it instead (an optional, a
// result with a problem string); see ARCHITECTURE.md, "Layers".
#pragma once

#include <stdexcept>
#include <string>

namespace crowdfeed {

// Exit codes, as documented in README.md.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,  // a runtime failure: I/O, database, bad input data
  kExitUsage = 2,    // bad command line or configuration
  kExitGuard = 3,    // a guard refused to publish; the last good feeds stay
};

// A runtime failure. The message names the file, line, key or value at fault.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bad usage or configuration (exit code 2).
class UsageError : public Error {
 public:
  using Error::Error;
};

// A file crowdfeed wrote itself (a state file, a manifest, a run report)
// holds what it never writes: damaged, or edited by hand. Its readers
// report it and start that state again (see util/state_file).
class DamagedFileError : public Error {
 public:
  using Error::Error;
};

}  // namespace crowdfeed
