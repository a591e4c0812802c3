// What the vote server reads from the network before and with a vote: the
// JSON body (bounded SAX reader), X-Forwarded-For entries and chains, the
// browser's origin headers. The input is split at its first two NUL bytes
// into a body, a forwarded chain and an Origin header. Whatever it holds:
// no crash, a body's votes never exceed the batch limit, a refusal names
// its reason, and a client's canonical text parses back to itself.
#include <string>

#include "fuzz_common.h"
#include "serve/client_address.h"
#include "serve/cross_site.h"
#include "serve/vote_body.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  using namespace crowdfeed;
  fuzz::quiet();
  std::string_view input = fuzz::as_text(data, size);
  auto first = input.find('\0');
  std::string_view body = input.substr(0, first);
  std::string_view rest = first == std::string_view::npos ? std::string_view() : input.substr(first + 1);
  auto second = rest.find('\0');
  std::string_view forwarded = rest.substr(0, second);
  std::string_view origin = second == std::string_view::npos ? std::string_view() : rest.substr(second + 1);

  constexpr std::size_t kMaxVotes = 5;
  auto parsed = parse_vote_body(body, kMaxVotes);
  if (auto* votes = std::get_if<VoteBody>(&parsed)) {
    if (votes->votes.empty() || votes->votes.size() > kMaxVotes) fuzz::violated("a batch out of bounds");
  } else if (std::get<VoteBodyError>(parsed).message.empty()) {
    fuzz::violated("a refusal without a reason");
  }

  static const std::vector<AddressNetwork> proxies = {*parse_address_network("127.0.0.1"),
                                                      *parse_address_network("10.0.0.0/8")};
  auto peer = parse_client_address("127.0.0.1");
  auto client = resolve_client(*peer, {forwarded}, proxies);
  if (auto* address = std::get_if<ClientAddress>(&client)) {
    auto again = parse_client_address(address->text());
    if (!again || !(*again == *address)) fuzz::violated("a client's canonical text is not itself", address->text());
    std::string key = client_key(*address, 64);
    if (key.empty() || key.size() > 50) fuzz::violated("a client key out of shape", key);
  } else if (std::get<std::string>(client).empty()) {
    fuzz::violated("a refused chain without a reason");
  }
  if (auto network = parse_address_network(forwarded)) {
    if (!network->contains(network->network)) fuzz::violated("a network without its own address");
  }
  RequestSource source{std::nullopt, origin, std::string_view("votes.example.org")};
  (void)cross_site_problem(source);
  (void)is_json_content_type(origin);
  return 0;
}
