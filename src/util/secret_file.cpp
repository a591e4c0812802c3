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
