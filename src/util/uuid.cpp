#include "util/uuid.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <array>
#include <memory>

#include "util/error.h"

namespace crowdfeed {

bool is_canonical_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    char c = text[i];
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string uuid_v5(std::string_view namespace_uuid, std::string_view name) {
  if (!is_canonical_uuid(namespace_uuid)) throw Error(fmt::format("{:?} is not a UUID", namespace_uuid));
  std::array<unsigned char, 16> space{};
  std::size_t at = 0;
  for (std::size_t i = 0; i < namespace_uuid.size(); i += 2) {
    if (namespace_uuid[i] == '-') ++i;
    space.at(at++) = static_cast<unsigned char>(std::stoi(std::string(namespace_uuid.substr(i, 2)), nullptr, 16));
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha1(), nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), space.data(), space.size()) != 1 ||
      EVP_DigestUpdate(context.get(), name.data(), name.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), digest.data(), &length) != 1 || length < 16) {
    throw Error("cannot compute SHA-1 for a name-based UUID");
  }
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x50);  // version 5
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);  // the RFC's variant
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    text += fmt::format("{:02x}", digest[i]);
  }
  return text;
}

}  // namespace crowdfeed
