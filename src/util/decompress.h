// Reading compressed downloads: a gzip stream or the first file of a zip
// archive (Tranco and Umbrella ship zipped), through libarchive.
#pragma once

#include <cstddef>
#include <string>

namespace crowdfeed {

// The uncompressed content of `data` when it is gzip or zip (told by its
// magic bytes); `data` itself otherwise. Throws Error for a damaged archive
// or one that decompresses to more than `max_bytes` (checked while it
// streams, so a small bomb never takes more memory than that).
std::string decompress_if_compressed(std::string data, std::size_t max_bytes = std::size_t{4} << 30);

}  // namespace crowdfeed
