// The program's one error path: code throws these, main() catches them once,
// prints "crowdfeed: error: MESSAGE" and exits with the matching code.
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

}  // namespace crowdfeed
