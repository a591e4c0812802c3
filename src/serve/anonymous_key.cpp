#include "serve/anonymous_key.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <iterator>

#include "util/error.h"

namespace crowdfeed {

namespace fs = std::filesystem;

std::string anonymous_key(const fs::path& path) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    std::array<unsigned char, 32> key{};
    bool written = RAND_bytes(key.data(), key.size()) == 1 && ::write(fd, key.data(), key.size()) == 32;
    ::close(fd);
    if (!written) {
      fs::remove(path);
      throw Error(fmt::format("cannot write {}", path.string()));
    }
  }
  std::ifstream in(path, std::ios::binary);
  std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (key.size() != 32) throw Error(fmt::format("{} is not a 32-byte key; delete it to make a new one", path.string()));
  return key;
}

}  // namespace crowdfeed
