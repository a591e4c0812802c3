#include "util/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "util/error.h"
#include "util/sha256.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

// Temporary files are hidden and carry a fixed marker, so importers that
// list the directory skip them and stale ones are easy to recognise.
constexpr std::string_view kTemporaryMarker = ".tmp-";
constexpr std::size_t kBufferSize = 1 << 16;

std::string system_error(std::string_view what, const fs::path& path) {
  return fmt::format("{} {}: {}", what, path.string(), std::strerror(errno));
}

void fsync_directory(const fs::path& directory) {
  int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw Error(system_error("cannot open directory", directory));
  int result = ::fsync(fd);
  ::close(fd);
  if (result != 0) throw Error(system_error("cannot fsync directory", directory));
}

// Whether `path` is a regular file (not a link to one) with these bytes.
// The file is always opened, then checked through its descriptor: the same
// file is measured and read, and a run makes the same calls whatever the
// sizes (the kill test counts them).
bool has_same_content(const fs::path& path, std::uint64_t size, const std::string& sha256) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat info {};
  bool same = false;
  try {
    same = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && static_cast<std::uint64_t>(info.st_size) == size &&
           sha256_fd_hex(fd, path) == sha256;
  } catch (const Error&) {
    same = false;  // unreadable: replace it
  }
  ::close(fd);
  return same;
}

}  // namespace

AtomicFile::AtomicFile(fs::path target, unsigned mode) : target_(std::move(target)) {
  fs::path directory = target_.parent_path().empty() ? fs::path(".") : target_.parent_path();
  std::string pattern =
      (directory / fmt::format(".{}{}XXXXXX", target_.filename().string(), kTemporaryMarker)).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  // mkostemp opens with O_CREAT | O_EXCL: it never reuses an existing file.
  fd_ = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd_ < 0) throw Error(system_error("cannot create a temporary file in", directory));
  temporary_ = name.data();
  // mkostemp creates files readable by the owner only.
  if (::fchmod(fd_, static_cast<mode_t>(mode)) != 0) {
    auto message = system_error("cannot set permissions on", temporary_);
    ::close(fd_);
    ::unlink(temporary_.c_str());
    throw Error(message);
  }
  buffer_.reserve(kBufferSize);
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temporary_.c_str());
}

void AtomicFile::write(std::string_view bytes) {
  hash_.update(bytes);
  size_ += bytes.size();
  if (buffer_.size() + bytes.size() > kBufferSize) flush();
  if (bytes.size() >= kBufferSize) {
    buffer_.assign(bytes);
    flush();
  } else {
    buffer_.append(bytes);
  }
}

void AtomicFile::flush() {
  std::string_view pending = buffer_;
  while (!pending.empty()) {
    ssize_t written = ::write(fd_, pending.data(), pending.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      throw Error(system_error("cannot write", temporary_));
    }
    pending.remove_prefix(static_cast<std::size_t>(written));
  }
  buffer_.clear();
}

bool AtomicFile::commit() {
  flush();
  sha256_ = hash_.hex();
  if (::fsync(fd_) != 0) throw Error(system_error("cannot fsync", temporary_));
  if (::close(fd_) != 0) {
    fd_ = -1;
    throw Error(system_error("cannot close", temporary_));
  }
  fd_ = -1;
  if (has_same_content(target_, size_, sha256_)) return false;  // destructor removes the temporary
  if (::rename(temporary_.c_str(), target_.c_str()) != 0) {
    throw Error(fmt::format("cannot rename {} to {}: {}", temporary_.string(), target_.string(), std::strerror(errno)));
  }
  committed_ = true;
  fsync_directory(target_.parent_path().empty() ? fs::path(".") : target_.parent_path());
  return true;
}

bool write_file_atomically(const fs::path& target, std::string_view content, unsigned mode) {
  AtomicFile file(target, mode);
  file.write(content);
  return file.commit();
}

bool copy_file_atomically(const fs::path& source, const fs::path& target) {
  int fd = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(system_error("cannot read", source));
  try {
    bool changed = copy_file_atomically(fd, target);
    ::close(fd);
    return changed;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

bool copy_file_atomically(int source_fd, const fs::path& target) {
  AtomicFile out(target);
  std::vector<char> buffer(kBufferSize);
  for (;;) {
    ssize_t got = ::read(source_fd, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw Error(fmt::format("cannot read the source of {}: {}", target.string(), std::strerror(errno)));
    if (got == 0) break;
    out.write(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
  }
  return out.commit();
}

bool link_durably(const fs::path& source, const fs::path& target) {
  fs::path directory = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  if (::link(source.c_str(), target.c_str()) == 0) {
    fsync_directory(directory);
    return true;
  }
  if (errno == EEXIST) return false;
  if (errno != EPERM && errno != EXDEV && errno != EMLINK && errno != ENOTSUP) {
    throw Error(fmt::format("cannot link {} to {}: {}", target.string(), source.string(), std::strerror(errno)));
  }
  // No hard links here: a copy instead (AtomicFile fsyncs the directory).
  std::error_code error;
  if (fs::exists(target, error)) return false;
  return copy_file_atomically(source, target);
}

void relink_durably(const fs::path& source, const fs::path& target) {
  fs::path directory = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  fs::path temporary = directory / fmt::format(".{}{}link", target.filename().string(), kTemporaryMarker);
  ::unlink(temporary.c_str());
  if (::link(source.c_str(), temporary.c_str()) != 0) {
    copy_file_atomically(source, temporary);
  }
  if (::rename(temporary.c_str(), target.c_str()) != 0) {
    auto message = fmt::format("cannot rename {} to {}: {}", temporary.string(), target.string(), std::strerror(errno));
    ::unlink(temporary.c_str());
    throw Error(message);
  }
  fsync_directory(directory);
}

void remove_stale_temporary_files(const fs::path& directory) {
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(directory, error); !error && it != fs::recursive_directory_iterator();
       it.increment(error)) {
    std::string name = it->path().filename().string();
    if (name.starts_with('.') && name.find(kTemporaryMarker) != std::string::npos && it->is_regular_file()) {
      std::error_code ignored;
      fs::remove(it->path(), ignored);
    }
  }
}

void create_public_directories(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  if (path.empty() || fs::is_directory(path)) return;
  create_public_directories(path.parent_path());
  if (fs::create_directory(path)) {
    fs::permissions(path, static_cast<fs::perms>(kPublicFolder), fs::perm_options::replace);
  }
}

}  // namespace crowdfeed
