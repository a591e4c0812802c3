// One writer at a time: an flock(2) on a file in the state directory, held
// for the life of the object and released by the kernel even on SIGKILL.
#pragma once

#include <filesystem>

namespace crowdfeed {

class RunLock {
 public:
  // Takes the lock without waiting; throws Error when another process holds it.
  explicit RunLock(const std::filesystem::path& path);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace crowdfeed
