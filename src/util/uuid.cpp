#include "util/uuid.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <memory>

#include "util/error.h"

namespace crowdfeed {
namespace {

int hex_value(char c) {
  return c <= '9' ? c - '0' : c - 'a' + 10;
}

// SHA-1, fetched once, with a context per thread (names are made on every
// core at once when feeds are published).
struct Sha1 {
  Sha1() : digest(EVP_MD_fetch(nullptr, "SHA1", nullptr), &EVP_MD_free), context(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
    if (!digest || !context) throw Error("cannot initialise SHA-1 for name-based UUIDs");
  }
  std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> digest;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context;
};

}  // namespace

bool is_canonical_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    char c = text[i];
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

NameBasedUuids::NameBasedUuids(std::string_view namespace_uuid) {
  if (!is_canonical_uuid(namespace_uuid)) throw Error(fmt::format("{:?} is not a UUID", namespace_uuid));
  std::size_t at = 0;
  for (std::size_t i = 0; i < namespace_uuid.size(); i += 2) {
    if (namespace_uuid[i] == '-') ++i;
    namespace_.at(at++) =
        static_cast<unsigned char>(hex_value(namespace_uuid[i]) * 16 + hex_value(namespace_uuid[i + 1]));
  }
}

std::string NameBasedUuids::operator()(std::string_view name) const {
  thread_local Sha1 sha1;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_MD_CTX* context = sha1.context.get();
  if (EVP_DigestInit_ex2(context, sha1.digest.get(), nullptr) != 1 ||
      EVP_DigestUpdate(context, namespace_.data(), namespace_.size()) != 1 ||
      EVP_DigestUpdate(context, name.data(), name.size()) != 1 ||
      EVP_DigestFinal_ex(context, digest.data(), &length) != 1 || length < 16) {
    throw Error("cannot compute SHA-1 for a name-based UUID");
  }
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x50);  // version 5
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);  // the RFC's variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text(36, '-');
  std::size_t out = 0;
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++out;
    text[out++] = kHex[digest[i] >> 4];
    text[out++] = kHex[digest[i] & 0x0f];
  }
  return text;
}

}  // namespace crowdfeed
