#include "util/secret_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/error.h"
#include "util/safe_path.h"

namespace crowdfeed {
namespace {

// As OpenSSH checks the folders of its keys: every folder from the file's
// up to the root belongs to this user or root and no one else may write in
// it, or another user could put a key of their own in its place. A sticky
// folder (/tmp) may be writable by all: there, no one may rename or delete
// what they do not own.
void check_folders(const std::filesystem::path& path, std::string_view what) {
  std::error_code error;
  std::filesystem::path folder = std::filesystem::canonical(path, error).parent_path();
  if (error) throw Error(fmt::format("cannot resolve {} {}: {}", what, path.string(), error.message()));
  const uid_t user = ::geteuid();
  while (true) {
    struct stat info {};
    if (::stat(folder.c_str(), &info) != 0) {
      throw Error(fmt::format("cannot check the folder {} of {} {}: {}", folder.string(), what, path.string(),
                              std::strerror(errno)));
    }
    if (info.st_uid != user && info.st_uid != 0) {
      throw Error(
          fmt::format("{} {} is in {}, which belongs to another user (uid {}); keep it in a folder of "
                      "this user or root",
                      what, path.string(), folder.string(), info.st_uid));
    }
    if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0 && (info.st_mode & S_ISVTX) == 0) {
      throw Error(fmt::format("{} {} is in {}, which others may write in (mode {:04o}); chmod go-w it", what,
                              path.string(), folder.string(), info.st_mode & 07777));
    }
    if (folder == folder.root_path() || folder.empty()) break;
    folder = folder.parent_path();
  }
}

}  // namespace

std::string read_secret_file(const std::filesystem::path& path, std::string_view what, std::size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) throw Error(fmt::format("cannot open {} {}: {}", what, path.string(), std::strerror(errno)));
  FileDescriptor file(fd);
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    throw Error(fmt::format("{} {} is not a regular file", what, path.string()));
  }
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    throw Error(fmt::format("{} {} is readable by others (mode {:04o}); chmod 600 it", what, path.string(),
                            info.st_mode & 07777));
  }
  if (info.st_uid != ::geteuid() && info.st_uid != 0) {
    throw Error(fmt::format("{} {} belongs to another user (uid {})", what, path.string(), info.st_uid));
  }
  check_folders(path, what);
  if (static_cast<std::uint64_t>(info.st_size) > max_bytes) {
    throw Error(fmt::format("{} {} is larger than {} bytes", what, path.string(), max_bytes));
  }
  std::string text(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t got = ::read(fd, text.data() + done, text.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) throw Error(fmt::format("cannot read {} {}", what, path.string()));
    done += static_cast<std::size_t>(got);
  }
  return text;
}

}  // namespace crowdfeed
