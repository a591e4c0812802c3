// Which crowdfeed this is: its version, and the executable file it runs
// from, so that what one build computed and kept (the last run's inputs, a
// compiled whitelist) is not taken as another build's.
#pragma once

#include <string>

namespace crowdfeed {

// "0.1.0".
std::string program_version();

// The source commit the build was configured from ("unknown" outside a git
// checkout).
std::string program_commit();

// "crowdfeed VERSION DEV INODE SIZE MTIME" of the running executable;
// installing or building a new one changes it.
std::string program_identity();

// What `crowdfeed --version` prints: the version, then the commit, the
// compiler and build type, and the version of each library as loaded at
// run time (a security update of a shared library shows here).
std::string build_details();

}  // namespace crowdfeed
