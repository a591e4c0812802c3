#include "serve/sessions.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>

#include "util/error.h"

namespace crowdfeed {
namespace {

std::string random_hex(std::size_t bytes) {
  std::array<unsigned char, 64> buffer{};
  if (bytes > buffer.size() || RAND_bytes(buffer.data(), static_cast<int>(bytes)) != 1) {
    throw Error("the system's random number generator failed");
  }
  std::string hex;
  for (std::size_t i = 0; i < bytes; ++i) hex += fmt::format("{:02x}", buffer[i]);
  return hex;
}

}  // namespace

Sessions::Sessions(std::chrono::seconds lifetime, bool secure)
    : lifetime_(lifetime), secure_(secure), key_(random_hex(32)) {}

std::string Sessions::new_id() {
  return random_hex(32);
}

bool Sessions::well_formed(std::string_view id) {
  return id.size() == 64 && id.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

std::string Sessions::csrf_token(std::string_view id) const {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned length = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()), reinterpret_cast<const unsigned char*>(id.data()),
       id.size(), digest.data(), &length);
  std::string token;
  for (unsigned i = 0; i < length; ++i) token += fmt::format("{:02x}", digest[i]);
  return token;
}

bool Sessions::csrf_matches(std::string_view id, std::string_view token) const {
  if (!well_formed(id)) return false;
  const std::string expected = csrf_token(id);
  return token.size() == expected.size() && CRYPTO_memcmp(token.data(), expected.data(), token.size()) == 0;
}

std::string Sessions::sign_in(const std::string& voter, const std::string& role, TimePoint now) {
  std::string id = new_id();
  std::lock_guard lock(mutex_);
  if (signed_in_.size() >= kMaxSignedIn) {
    std::erase_if(signed_in_, [&](const auto& entry) { return entry.second.expires <= now; });
  }
  if (signed_in_.size() >= kMaxSignedIn) signed_in_.erase(signed_in_.begin());
  signed_in_[id] = {voter, role, now + lifetime_};
  return id;
}

void Sessions::sign_out(std::string_view id) {
  std::lock_guard lock(mutex_);
  if (auto found = signed_in_.find(id); found != signed_in_.end()) signed_in_.erase(found);
}

std::optional<Sessions::SignedIn> Sessions::find(std::string_view id, TimePoint now) {
  std::lock_guard lock(mutex_);
  auto found = signed_in_.find(id);
  if (found == signed_in_.end()) return std::nullopt;
  if (found->second.expires <= now) {
    signed_in_.erase(found);
    return std::nullopt;
  }
  return found->second;
}

std::string Sessions::cookie(std::string_view id) const {
  // No Max-Age: the cookie lives as long as the browser; the server ends a
  // signed-in session after its lifetime whatever the browser keeps.
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict{}{}", kCookieName, id, secure_ ? "; Secure" : "",
                     id.empty() ? "; Max-Age=0" : "");
}

}  // namespace crowdfeed
