#include "serve/tokens.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>

#include "util/error.h"
#include "util/sha256.h"

namespace crowdfeed {

std::string new_token() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw Error("cannot draw random bytes for a token");
  std::string token = "cfv_";
  for (unsigned char byte : bytes) token += fmt::format("{:02x}", byte);
  return token;
}

std::string token_sha256(std::string_view token) {
  return sha256_hex(token);
}

bool same_secret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace crowdfeed
