// serve.listen, ADDRESS:PORT, as a socket address.
#pragma once

#include <sys/socket.h>

#include <string>

namespace crowdfeed {

// "127.0.0.1:8080" or "[::1]:8080"; throws UsageError naming the value
// otherwise. `length` is set to the address's size.
sockaddr_storage listen_address(const std::string& listen, socklen_t& length);

}  // namespace crowdfeed
