// file:///PATH: another local directory, written with the atomic writer.
#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "publish/destination.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

class FileDestination : public Destination {
 public:
  explicit FileDestination(fs::path directory) : directory_(std::move(directory)) {}

  void put(const UploadFile& file) override {
    FileDescriptor source = open_upload_source(file);
    try {
      fs::path target = directory_ / file.name;
      create_public_directories(target.parent_path());
      copy_file_atomically(source.get(), target);
    } catch (const Error& error) {
      throw TransientUploadError(error.what());
    } catch (const fs::filesystem_error& error) {
      throw TransientUploadError(error.what());
    }
  }

  std::optional<std::uint64_t> size_of(const std::string& name) override {
    struct stat info {};
    if (::lstat((directory_ / name).c_str(), &info) != 0) {
      if (errno == ENOENT) return std::nullopt;
      throw TransientUploadError(fmt::format("{}: {}", (directory_ / name).string(), std::strerror(errno)));
    }
    if (!S_ISREG(info.st_mode)) return std::nullopt;
    return static_cast<std::uint64_t>(info.st_size);
  }

  void remove(const std::string& name) override {
    try {
      remove_beneath(directory_, name);
    } catch (const Error& error) {
      throw PermanentUploadError(error.what());
    }
  }

 private:
  fs::path directory_;
};

}  // namespace

std::unique_ptr<Destination> make_file_destination(const DestinationSettings& settings) {
  std::string path = settings.url.substr(std::string_view("file://").size());
  if (path.empty() || path.front() != '/') {
    throw UsageError(
        fmt::format("destination {:?}: a file URL needs an absolute path (file:///srv/feeds)", settings.name));
  }
  return std::make_unique<FileDestination>(path);
}

}  // namespace crowdfeed
