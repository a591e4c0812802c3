// Reading compressed downloads: a gzip stream or the first file of a zip
// archive (Tranco and Umbrella ship zipped), through libarchive.
#pragma once

#include <string>

namespace crowdfeed {

// The uncompressed content of `data` when it is gzip or zip (told by its
// magic bytes); `data` itself otherwise. Throws Error for a damaged archive.
std::string decompress_if_compressed(std::string data);

}  // namespace crowdfeed
