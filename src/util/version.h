// Which crowdfeed this is: its version, and the executable file it runs
// from, so that what one build computed and kept (the last run's inputs, a
// compiled whitelist) is not taken as another build's.
#pragma once

#include <string>

namespace crowdfeed {

// "crowdfeed VERSION DEV INODE SIZE MTIME" of the running executable;
// installing or building a new one changes it.
std::string program_identity();

}  // namespace crowdfeed
