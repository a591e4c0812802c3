#include "serve/listen_address.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>

#include <cstdlib>
#include <cstring>

#include "util/error.h"
#include "util/text.h"

namespace crowdfeed {

// "ADDRESS:PORT" (an IPv6 address in brackets) as a socket address.
sockaddr_storage listen_address(const std::string& listen, socklen_t& length) {
  sockaddr_storage address{};
  auto colon = listen.rfind(':');
  if (colon == std::string::npos)
    throw UsageError(fmt::format("serve.listen {} is not ADDRESS:PORT", quote_text(listen)));
  std::string host = listen.substr(0, colon);
  std::string port_text = listen.substr(colon + 1);
  char* end = nullptr;
  long port = std::strtol(port_text.c_str(), &end, 10);
  if (port_text.empty() || *end != '\0' || port < 1 || port > 65535) {
    throw UsageError(fmt::format("serve.listen {}: the port must be 1 to 65535", quote_text(listen)));
  }
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    auto* six = reinterpret_cast<sockaddr_in6*>(&address);
    six->sin6_family = AF_INET6;
    six->sin6_port = htons(static_cast<std::uint16_t>(port));
    if (inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), &six->sin6_addr) != 1) {
      throw UsageError(fmt::format("serve.listen {}: not an IPv6 address", quote_text(listen)));
    }
    length = sizeof(sockaddr_in6);
    return address;
  }
  auto* four = reinterpret_cast<sockaddr_in*>(&address);
  four->sin_family = AF_INET;
  four->sin_port = htons(static_cast<std::uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &four->sin_addr) != 1) {
    throw UsageError(fmt::format("serve.listen {}: not an IPv4 address (or [IPv6])", quote_text(listen)));
  }
  length = sizeof(sockaddr_in);
  return address;
}

}  // namespace crowdfeed
