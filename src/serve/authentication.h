// Who is asking, decided from a request's headers before any work is done
// for it: which client (its address, through the trusted proxies, IPv6 by
// network), whether a page of another site sent it through its visitor's
// browser, and which voter (its token's, or in anonymous mode a keyed hash
// of its client). Every refusal is an answer naming the rule, counted in
// the metrics.
#pragma once

#include <microhttpd.h>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/settings.h"
#include "serve/answer.h"
#include "serve/client_address.h"
#include "serve/metrics.h"
#include "serve/voters_cache.h"

namespace crowdfeed {

// A header's whole value (which may hold a NUL that a C string would hide).
std::optional<std::string_view> header(MHD_Connection* connection, std::string_view name);

// An Authorization header's value as "SCHEME CREDENTIALS": the scheme as
// sent (compare it without case, RFC 9110 section 11.1) and the
// credentials without surrounding spaces; nullopt when it is not of that
// shape or holds a NUL.
struct AuthorizationParts {
  std::string_view scheme;
  std::string_view credentials;
};
std::optional<AuthorizationParts> split_authorization(std::string_view value);

// The role whose tokens read the TAXII collections and cast no vote.
inline constexpr std::string_view kReaderRole = "reader";

class Authentication {
 public:
  // `anonymous_key` makes anonymous voters' ids (empty when serve.anonymous
  // is off). Throws UsageError for a trusted proxy that is no address or
  // network.
  Authentication(const ServeSettings& serve, VotersCache& voters, ServeMetrics& metrics, std::string anonymous_key);

  // The key the client is counted by (see serve/client_address.h), or why
  // the request names no client.
  struct Client {
    std::string key;
    std::string problem;
  };
  Client identify(MHD_Connection* connection) const;

  // An answer refusing a vote that a page of another site sent.
  std::optional<Answer> from_another_site(MHD_Connection* connection);

  // Who votes: the voter of the request's token, or, in anonymous mode and
  // without a token, a keyed hash of `client`; else the refusal. `by_get`:
  // the vote comes in a URL, which any page can make a browser fetch.
  std::variant<std::string, Answer> voter_of(MHD_Connection* connection, const std::string& client, bool by_get);

  // The anonymous id of `client` (a keyed hash of its address), also for
  // a dispute filed without signing in.
  std::string anonymous_id(const std::string& client) const { return anonymous_voter(client); }

 private:
  std::variant<std::string, Answer> token_of(MHD_Connection* connection) const;
  std::string anonymous_voter(const std::string& client) const;

  const ServeSettings& serve_;
  VotersCache& voters_;
  ServeMetrics& metrics_;
  std::string anonymous_key_;
  std::vector<AddressNetwork> trusted_proxies_;
};

}  // namespace crowdfeed
