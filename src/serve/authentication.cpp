#include "serve/authentication.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

#include "serve/cross_site.h"
#include "util/error.h"
#include "util/text.h"
#include "votes/trust.h"

namespace crowdfeed {

std::optional<std::string_view> header(MHD_Connection* connection, std::string_view name) {
  const char* value = nullptr;
  std::size_t size = 0;
  if (MHD_lookup_connection_value_n(connection, MHD_HEADER_KIND, name.data(), name.size(), &value, &size) != MHD_YES ||
      value == nullptr) {
    return std::nullopt;
  }
  return std::string_view(value, size);
}

std::optional<AuthorizationParts> split_authorization(std::string_view value) {
  if (value.find('\0') != std::string_view::npos) return std::nullopt;
  auto space = value.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  AuthorizationParts parts{value.substr(0, space), value.substr(space)};
  while (!parts.credentials.empty() && parts.credentials.front() == ' ') parts.credentials.remove_prefix(1);
  while (!parts.credentials.empty() && parts.credentials.back() == ' ') parts.credentials.remove_suffix(1);
  return parts;
}

Authentication::Authentication(const ServeSettings& serve, VotersCache& voters, ServeMetrics& metrics,
                               std::string anonymous_key)
    : serve_(serve), voters_(voters), metrics_(metrics), anonymous_key_(std::move(anonymous_key)) {
  for (const std::string& proxy : serve.trusted_proxies) {
    auto network = parse_address_network(proxy);
    if (!network) {
      throw UsageError(
          fmt::format("serve.trusted_proxies: {} is not an address or a network (ADDRESS/PREFIX)", quote_text(proxy)));
    }
    trusted_proxies_.push_back(*network);
  }
}

Authentication::Client Authentication::identify(MHD_Connection* connection) const {
  const MHD_ConnectionInfo* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  auto peer = socket_client_address(info == nullptr ? nullptr : info->client_addr);
  if (!peer) return {{}, "the client has no IP address"};
  std::vector<std::string_view> forwarded;
  auto collect = [](void* list, MHD_ValueKind, const char* key, std::size_t key_size, const char* value,
                    std::size_t value_size) -> MHD_Result {
    if (equal_ignoring_ascii_case(std::string_view(key, key_size), "X-Forwarded-For") && value != nullptr) {
      static_cast<std::vector<std::string_view>*>(list)->emplace_back(value, value_size);
    }
    return MHD_YES;
  };
  MHD_get_connection_values_n(connection, MHD_HEADER_KIND, collect, &forwarded);
  auto client = resolve_client(*peer, forwarded, trusted_proxies_);
  if (auto* problem = std::get_if<std::string>(&client)) return {{}, *problem};
  return {client_key(std::get<ClientAddress>(client), serve_.ipv6_prefix), {}};
}

std::optional<Answer> Authentication::from_another_site(MHD_Connection* connection) {
  RequestSource source{header(connection, "Sec-Fetch-Site"), header(connection, "Origin"), header(connection, "Host")};
  std::string problem = cross_site_problem(source);
  if (problem.empty()) return std::nullopt;
  metrics_.refused("cross_site");
  return error_answer(MHD_HTTP_FORBIDDEN, problem);
}

// The token a request carries (Authorization: Bearer, any case, or
// X-API-Key), empty when none; an answer when a header is malformed.
std::variant<std::string, Answer> Authentication::token_of(MHD_Connection* connection) const {
  auto refuse = [](const std::string& message) {
    Answer answer = error_answer(MHD_HTTP_UNAUTHORIZED, message);
    answer.headers.emplace_back("WWW-Authenticate", "Bearer");
    return std::variant<std::string, Answer>(std::move(answer));
  };
  if (auto authorization = header(connection, "Authorization")) {
    if (authorization->find('\0') != std::string_view::npos) return refuse("Authorization holds a NUL character");
    auto parts = split_authorization(*authorization);
    if (!parts || !equal_ignoring_ascii_case(parts->scheme, "Bearer")) {
      return refuse("Authorization takes \"Bearer TOKEN\"");
    }
    if (parts->credentials.empty()) return refuse("Authorization: Bearer holds no token");
    return std::string(parts->credentials);
  }
  if (auto key = header(connection, "X-API-Key")) {
    if (key->find('\0') != std::string_view::npos) return refuse("X-API-Key holds a NUL character");
    return std::string(*key);
  }
  return std::string();
}

std::variant<std::string, Answer> Authentication::voter_of(MHD_Connection* connection, const std::string& client,
                                                           bool by_get) {
  auto token = token_of(connection);
  if (auto* refused = std::get_if<Answer>(&token)) {
    metrics_.refused("unauthorised");
    return *refused;
  }
  const std::string& presented = std::get<std::string>(token);
  if (presented.empty()) {
    if (!serve_.anonymous) {
      metrics_.refused("unauthorised");
      Answer answer = error_answer(MHD_HTTP_UNAUTHORIZED,
                                   "a token is needed (Authorization: Bearer TOKEN, or X-API-Key: TOKEN); "
                                   "anonymous voting is off");
      answer.headers.emplace_back("WWW-Authenticate", "Bearer");
      return answer;
    }
    if (by_get && !serve_.anonymous_get) {
      metrics_.refused("unauthorised");
      return error_answer(MHD_HTTP_FORBIDDEN,
                          "anonymous votes by GET are off (serve.anonymous_get): any web page could cast them "
                          "through its visitors' browsers; POST JSON to /api/v1/votes, or send a token");
    }
    return anonymous_voter(client);
  }
  auto known = voters_.find(presented);
  if (!known) {
    metrics_.refused("unauthorised");
    return error_answer(MHD_HTTP_FORBIDDEN, "the token is not a voter's, or was revoked");
  }
  if (known->role == kReaderRole) {
    metrics_.refused("unauthorised");
    return error_answer(MHD_HTTP_FORBIDDEN, "a reader's token reads the TAXII collections; it casts no vote");
  }
  return known->name;
}

std::string Authentication::anonymous_voter(const std::string& client) const {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned length = 0;
  HMAC(EVP_sha256(), anonymous_key_.data(), static_cast<int>(anonymous_key_.size()),
       reinterpret_cast<const unsigned char*>(client.data()), client.size(), digest.data(), &length);
  std::string voter(kAnonymousVoterPrefix);
  for (unsigned i = 0; i < 16 && i < length; ++i) voter += fmt::format("{:02x}", digest[i]);
  return voter;
}

}  // namespace crowdfeed
