// Replacing a file so that readers only ever see the complete old or the
// complete new content, even if the process is killed at any instant.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "util/output.h"
#include "util/sha256.h"

namespace crowdfeed {

// Writes to a temporary file created with O_EXCL beside the target. commit()
// fsyncs it, renames it over the target and fsyncs the directory. If commit()
// never runs (an exception, an early return), the destructor removes the
// temporary file and the target keeps its old content.
// File modes: feeds are public documents; state files (voter-derived
// counts, destination URLs, error texts) are for the service user only.
constexpr unsigned kPublicFile = 0644;
constexpr unsigned kPrivateFile = 0600;
constexpr unsigned kGroupReadableFile = 0640;
constexpr unsigned kPublicFolder = 0755;

// Creates `path` and any missing parents, each new folder with mode 0755
// whatever the umask (the service's 0027 keeps the votes database private;
// the feeds' folders must stay readable by a web server). Folders that
// exist are left as they are. Throws std::filesystem::filesystem_error.
void create_public_directories(const std::filesystem::path& path);

class AtomicFile : public Output {
 public:
  explicit AtomicFile(std::filesystem::path target, unsigned mode = kPublicFile);
  ~AtomicFile() override;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(std::string_view bytes) override;

  // Makes the new content visible under the target name. When the target
  // already holds exactly these bytes it is left untouched (same inode, same
  // mtime, so web servers keep answering 304) and commit() returns false.
  bool commit();

  const std::filesystem::path& target() const { return target_; }
  std::uint64_t size() const { return size_; }
  // The SHA-256 of everything written; valid after commit().
  const std::string& sha256() const { return sha256_; }

 private:
  void flush();

  std::filesystem::path target_;
  std::filesystem::path temporary_;
  int fd_ = -1;
  std::string buffer_;
  std::uint64_t size_ = 0;
  Sha256 hash_;
  std::string sha256_;
  bool committed_ = false;
};

// Writes a whole file atomically; returns false if it already held `content`.
bool write_file_atomically(const std::filesystem::path& target, std::string_view content, unsigned mode = kPublicFile);

// Copies `source` to `target` atomically; returns false if `target`
// already held the same bytes.
bool copy_file_atomically(const std::filesystem::path& source, const std::filesystem::path& target);

// The same from an open file, read from its current position.
bool copy_file_atomically(int source_fd, const std::filesystem::path& target);

// Gives `source`'s content a second name, `target`, durably: a hard link (no
// copy, the same inode) where the file system allows one, else an atomic
// copy. An existing `target` is left as it is and false returned; use it only
// for names that always mean the same content.
bool link_durably(const std::filesystem::path& source, const std::filesystem::path& target);

// Makes `target` a hard link of `source` whatever `target` was (a file of
// other content, a symbolic link, which is replaced, never followed): a link
// to a temporary name, renamed over it; a copy where links are impossible.
void relink_durably(const std::filesystem::path& source, const std::filesystem::path& target);

// Removes temporary files that a killed process left in `directory` and its
// subdirectories (the archive, by-hash). Only call
// it while holding the lock that keeps other writers out.
void remove_stale_temporary_files(const std::filesystem::path& directory);

}  // namespace crowdfeed
