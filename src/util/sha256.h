// SHA-256 digests through OpenSSL, printed as lower-case hex.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "util/output.h"

namespace crowdfeed {

// Incremental SHA-256: feed bytes with update(), read the digest once with hex().
class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  std::string hex();

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context_;
};

std::string sha256_hex(std::string_view bytes);

// Whether `text` is a digest as sha256_hex() prints it: 64 lower-case hex digits.
inline bool is_sha256_hex(std::string_view text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// The digest of a file's whole content; throws Error naming the file.
std::string sha256_file_hex(const std::filesystem::path& path);

// The digest of what is left to read from an open file; `name` is for errors.
std::string sha256_fd_hex(int fd, const std::filesystem::path& name);

}  // namespace crowdfeed

namespace crowdfeed {

// An Output that only hashes and counts what is written: it tells whether a
// rendering would change a file without writing anything.
class HashingOutput : public Output {
 public:
  void write(std::string_view bytes) override {
    hash_.update(bytes);
    size_ += bytes.size();
  }
  std::string sha256() { return hash_.hex(); }
  std::uint64_t size() const { return size_; }

 private:
  Sha256 hash_;
  std::uint64_t size_ = 0;
};

}  // namespace crowdfeed
