#include "util/decompress.h"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <array>
#include <memory>

#include "util/error.h"

namespace crowdfeed {

std::string decompress_if_compressed(std::string data, std::size_t max_bytes) {
  const bool gzip = data.size() >= 2 && data[0] == '\x1f' && data[1] == '\x8b';
  const bool zip = data.starts_with("PK\x03\x04");
  if (!gzip && !zip) return data;

  std::unique_ptr<archive, decltype(&archive_read_free)> reader(archive_read_new(), &archive_read_free);
  if (gzip) {
    archive_read_support_filter_gzip(reader.get());
    archive_read_support_format_raw(reader.get());
  } else {
    archive_read_support_format_zip(reader.get());
  }
  auto fail = [&](std::string_view what) {
    return Error(fmt::format("cannot read the {} data: {} ({})", gzip ? "gzip" : "zip", what,
                             archive_error_string(reader.get()) ? archive_error_string(reader.get()) : "no detail"));
  };
  if (archive_read_open_memory(reader.get(), data.data(), data.size()) != ARCHIVE_OK) throw fail("not an archive");

  archive_entry* entry = nullptr;
  while (true) {
    int result = archive_read_next_header(reader.get(), &entry);
    if (result == ARCHIVE_EOF) throw Error("the zip archive holds no file");
    if (result != ARCHIVE_OK && result != ARCHIVE_WARN) throw fail("a damaged header");
    if (gzip || archive_entry_filetype(entry) == AE_IFREG) break;  // skip folders in a zip
  }
  std::string content;
  std::array<char, 1 << 16> buffer{};
  while (true) {
    la_ssize_t read = archive_read_data(reader.get(), buffer.data(), buffer.size());
    if (read < 0) throw fail("damaged data");
    if (read == 0) break;
    if (content.size() + static_cast<std::size_t>(read) > max_bytes) {
      throw Error(fmt::format("the {} data decompresses to more than {} bytes", gzip ? "gzip" : "zip", max_bytes));
    }
    content.append(buffer.data(), static_cast<std::size_t>(read));
  }
  return content;
}

}  // namespace crowdfeed
