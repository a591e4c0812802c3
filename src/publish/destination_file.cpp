// file:///PATH: another local directory, written with the atomic writer.
#include <fmt/format.h>

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
    try {
      fs::path target = directory_ / file.name;
      fs::create_directories(target.parent_path());
      copy_file_atomically(file.source, target);
    } catch (const Error& error) {
      throw TransientUploadError(error.what());
    } catch (const fs::filesystem_error& error) {
      throw TransientUploadError(error.what());
    }
  }

  std::optional<std::uint64_t> size_of(const std::string& name) override {
    std::error_code error;
    auto size = fs::file_size(directory_ / name, error);
    if (error == std::errc::no_such_file_or_directory) return std::nullopt;
    if (error) throw TransientUploadError(fmt::format("{}: {}", (directory_ / name).string(), error.message()));
    return size;
  }

  void remove(const std::string& name) override {
    std::error_code error;
    fs::remove(directory_ / name, error);
    if (error) throw TransientUploadError(fmt::format("{}: {}", (directory_ / name).string(), error.message()));
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
