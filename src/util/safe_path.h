// Names that crowdfeed reads back from its own state, manifest, archive or
// configuration, and the file operations on them that never leave their
// directory. A state file or a feeds directory may have been damaged or
// tampered with; whatever it holds, crowdfeed only reads, uploads and
// deletes files it owns, beneath the directory it owns.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crowdfeed {

// Why `name` is not a plain relative name inside a directory, or "" when it
// is one: '/'-separated components, none empty, "." or "..", no leading
// '/', no backslash, no NUL or other control character, valid UTF-8, at
// most 1024 bytes.
std::string relative_name_problem(std::string_view name);

inline bool is_relative_name(std::string_view name) {
  return relative_name_problem(name).empty();
}

// An open file descriptor, closed when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd = -1) : fd_(fd) {}
  ~FileDescriptor();
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.release()) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept;
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_;
};

// Opens the regular file `name` (a relative name, checked) beneath
// `directory` for reading, following no symbolic link on the way: each
// component is opened with openat() and O_NOFOLLOW. Throws Error naming the
// file when it is missing, a link, not a regular file or not a valid name.
FileDescriptor open_beneath(const std::filesystem::path& directory, std::string_view name);

// Whether the open file `fd` may be others' to read: its mode lets others
// read it. A file of mode 0600 is somebody's secret, whatever its name.
bool is_public_file(int fd);

// Deletes the file `name` beneath `directory` in the same way (the link
// itself when `name` is a symbolic link, never its target). A name that is
// not there is no error. Throws Error for an invalid name or a failure.
void remove_beneath(const std::filesystem::path& directory, std::string_view name);

// Reads the whole regular file `name` beneath `directory` (see
// open_beneath), refusing one larger than `max_bytes`.
std::string read_beneath(const std::filesystem::path& directory, std::string_view name, std::size_t max_bytes);

// Reads the file `path` when it exists: nullopt when it does not. Throws
// Error when it is a symbolic link, a FIFO or anything but a regular file
// (a FIFO would hang the run while it holds the lock), or larger than
// `max_bytes`.
std::optional<std::string> read_regular_file(const std::filesystem::path& path,
                                             std::size_t max_bytes = std::size_t{1} << 30);

// Throws Error when one of `folders` (relative to `base`) exists but is a
// symbolic link or not a folder: crowdfeed writes, prunes and uploads its
// own folders, and never through a link.
void require_real_folders(const std::filesystem::path& base, const std::vector<std::string_view>& folders);

}  // namespace crowdfeed
