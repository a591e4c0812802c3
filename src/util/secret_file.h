// Files that hold secrets (a signing key, a passphrase, upload
// credentials): read only when nobody but their owner may read or write
// them.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace crowdfeed {

// The whole of `path`, a regular file of at most `max_bytes`. Throws Error,
// naming `what` and the path, when it cannot be read, when its group or
// others have any access to it or it belongs to another user than this one
// or root, or when a folder above it belongs to another user or may be
// written by others (unless sticky), as OpenSSH checks its keys. The mode
// is checked on the file as opened, so that it cannot be swapped between
// the check and the read.
std::string read_secret_file(const std::filesystem::path& path, std::string_view what,
                             std::size_t max_bytes = std::size_t{1} << 20);

}  // namespace crowdfeed
