// Browser sessions of the community pages. Every visitor's browser holds
// one random session id in a cookie (HttpOnly, SameSite=Strict, Secure
// behind TLS); the server remembers only the ids that signed in with a
// voter's token, until they expire or sign out. Each form carries a CSRF
// token, an HMAC of the session id under a key that lives as long as the
// process, so that a form posted from another origin, or with another
// session's token, is refused without any server state for visitors who
// never signed in.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "util/time.h"

namespace crowdfeed {

class Sessions {
 public:
  // Sessions signed in last `lifetime`; `secure` adds Secure to the cookie.
  Sessions(std::chrono::seconds lifetime, bool secure);

  // A new random session id (64 hex digits).
  static std::string new_id();
  // Whether `id` has the shape new_id() gives: anything else is ignored.
  static bool well_formed(std::string_view id);

  // The CSRF token of session `id`, and whether `token` is it (compared in
  // constant time).
  std::string csrf_token(std::string_view id) const;
  bool csrf_matches(std::string_view id, std::string_view token) const;

  struct SignedIn {
    std::string voter;
    std::string role;
    TimePoint expires{};
  };
  // Signs `voter` in under a new session id, which it returns (a session
  // id known before signing in is never promoted: no fixation).
  std::string sign_in(const std::string& voter, const std::string& role, TimePoint now);
  void sign_out(std::string_view id);
  // The voter signed in as `id`, unless it expired (then forgotten).
  std::optional<SignedIn> find(std::string_view id, TimePoint now);

  // The Set-Cookie header's value for `id`; an empty id clears the cookie.
  std::string cookie(std::string_view id) const;
  static constexpr std::string_view kCookieName = "crowdfeed_session";

 private:
  std::chrono::seconds lifetime_;
  bool secure_;
  std::string key_;  // of the CSRF tokens, random per process
  std::mutex mutex_;
  std::map<std::string, SignedIn, std::less<>> signed_in_;
  static constexpr std::size_t kMaxSignedIn = 100000;
};

}  // namespace crowdfeed
