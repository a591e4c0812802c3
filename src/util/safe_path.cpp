#include "util/safe_path.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/error.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxNameLength = 1024;

// The directory that holds `name`'s last component, opened without
// following a link anywhere below `directory`; `last` receives that
// component. An invalid descriptor when a folder on the way is missing;
// throws Error for any other failure.
FileDescriptor open_parent(const fs::path& directory, std::string_view name, std::string& last) {
  if (std::string problem = relative_name_problem(name); !problem.empty()) {
    throw Error(fmt::format("refusing the name {} under {}: it {}", quote_text(name), directory.string(), problem));
  }
  FileDescriptor parent(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!parent) {
    if (errno == ENOENT) return parent;
    throw Error(fmt::format("cannot open {}: {}", directory.string(), std::strerror(errno)));
  }
  std::string_view rest = name;
  for (auto slash = rest.find('/'); slash != std::string_view::npos; slash = rest.find('/')) {
    std::string component(rest.substr(0, slash));
    FileDescriptor child(::openat(parent.get(), component.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!child) {
      if (errno == ENOENT) return child;
      if (errno == ELOOP || errno == ENOTDIR) {
        throw Error(
            fmt::format("refusing {}: {} is a symbolic link or not a folder", (directory / name).string(), component));
      }
      throw Error(fmt::format("cannot open {}: {}", (directory / name).string(), std::strerror(errno)));
    }
    parent = std::move(child);
    rest.remove_prefix(slash + 1);
  }
  last = std::string(rest);
  return parent;
}

}  // namespace

std::string relative_name_problem(std::string_view name) {
  if (name.empty()) return "is empty";
  if (name.size() > kMaxNameLength) return fmt::format("is longer than {} bytes", kMaxNameLength);
  if (name.front() == '/') return "is an absolute path";
  if (!is_valid_utf8(name)) return "is not valid UTF-8";
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return "contains a control character";
    if (c == '\\') return "contains a backslash";
  }
  std::string_view rest = name;
  while (true) {
    auto slash = rest.find('/');
    std::string_view component = rest.substr(0, slash);
    if (component.empty()) return "has an empty component";
    if (component == "." || component == "..") return "has a '.' or '..' component";
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return {};
}

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) ::close(fd_);
}

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

FileDescriptor open_beneath(const fs::path& directory, std::string_view name) {
  std::string last;
  FileDescriptor parent = open_parent(directory, name, last);
  auto path = [&] { return (directory / name).string(); };
  if (!parent) throw Error(fmt::format("cannot open {}: a folder on the way is missing", path()));
  FileDescriptor file(::openat(parent.get(), last.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!file) {
    if (errno == ELOOP) throw Error(fmt::format("refusing {}: it is a symbolic link", path()));
    throw Error(fmt::format("cannot open {}: {}", path(), std::strerror(errno)));
  }
  struct stat info {};
  if (::fstat(file.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
    throw Error(fmt::format("refusing {}: not a regular file", path()));
  }
  // O_NONBLOCK only kept a FIFO from blocking the open; reads block again.
  ::fcntl(file.get(), F_SETFL, ::fcntl(file.get(), F_GETFL) & ~O_NONBLOCK);
  return file;
}

bool is_public_file(int fd) {
  struct stat info {};
  return ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && (info.st_mode & S_IROTH) != 0;
}

void remove_beneath(const fs::path& directory, std::string_view name) {
  std::string last;
  FileDescriptor parent = open_parent(directory, name, last);
  if (!parent) return;  // a folder on the way is missing, so the name is not there
  if (::unlinkat(parent.get(), last.c_str(), 0) != 0 && errno != ENOENT) {
    throw Error(fmt::format("cannot delete {}: {}", (directory / name).string(), std::strerror(errno)));
  }
}

std::string read_beneath(const fs::path& directory, std::string_view name, std::size_t max_bytes) {
  FileDescriptor file = open_beneath(directory, name);
  std::string content;
  char buffer[1 << 16];
  while (true) {
    ssize_t got = ::read(file.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw Error(fmt::format("cannot read {}: {}", (directory / name).string(), std::strerror(errno)));
    if (got == 0) break;
    if (content.size() + static_cast<std::size_t>(got) > max_bytes) {
      throw Error(fmt::format("{} is larger than {} bytes", (directory / name).string(), max_bytes));
    }
    content.append(buffer, static_cast<std::size_t>(got));
  }
  return content;
}

std::optional<std::string> read_regular_file(const fs::path& path, std::size_t max_bytes) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return std::nullopt;
    throw Error(fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
  }
  if (S_ISLNK(info.st_mode)) throw Error(fmt::format("refusing {}: it is a symbolic link", path.string()));
  if (!S_ISREG(info.st_mode)) throw Error(fmt::format("refusing {}: not a regular file", path.string()));
  fs::path directory = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  return read_beneath(directory, path.filename().string(), max_bytes);
}

void require_real_folders(const fs::path& base, const std::vector<std::string_view>& folders) {
  for (std::string_view folder : folders) {
    fs::path path = base / folder;
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) continue;  // not there (yet)
    if (S_ISLNK(info.st_mode) || !S_ISDIR(info.st_mode)) {
      throw Error(fmt::format(
          "{} is {}; crowdfeed writes, prunes and uploads its own folders and follows no link in them: make it a "
          "real folder (to use another disk, point paths.feeds_dir or paths.state_dir there)",
          path.string(), S_ISLNK(info.st_mode) ? "a symbolic link" : "not a folder"));
    }
  }
}

}  // namespace crowdfeed
