// file:///PATH: another local directory, written with the atomic writer.
#include <fmt/format.h>

#include <array>
#include <fstream>

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
      std::ifstream in(file.source, std::ios::binary);
      if (!in) throw PermanentUploadError(fmt::format("cannot read {}", file.source.string()));
      AtomicFile out(target);
      std::array<char, 1 << 16> buffer{};
      while (in) {
        in.read(buffer.data(), buffer.size());
        out.write(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
      }
      out.commit();
    } catch (const Error& error) {
      throw TransientUploadError(error.what());
    } catch (const fs::filesystem_error& error) {
      throw TransientUploadError(error.what());
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
