#include "util/version.h"

#include <archive.h>
#include <curl/curl.h>
#include <fmt/format.h>
#include <libpsl.h>
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <toml++/toml.h>
#include <unicode/uchar.h>
#include <unicode/uversion.h>
#include <zlib.h>

#include <nlohmann/json.hpp>

#include "commit.h"  // CROWDFEED_COMMIT, written at every build (cmake/write_commit.cmake)
#ifndef CROWDFEED_BUILD_TYPE
#define CROWDFEED_BUILD_TYPE "unknown"
#endif

namespace crowdfeed {

std::string program_version() {
  return CROWDFEED_VERSION;
}

std::string program_commit() {
  return CROWDFEED_COMMIT;
}

std::string program_identity() {
  std::string identity = "crowdfeed " CROWDFEED_VERSION;
  struct stat program {};
  if (::stat("/proc/self/exe", &program) == 0) {
    identity += fmt::format(" {} {} {} {}.{:09}", program.st_dev, program.st_ino, program.st_size,
                            program.st_mtim.tv_sec, program.st_mtim.tv_nsec);
  }
  return identity;
}

std::string build_details() {
#if defined(__clang__)
  std::string compiler = fmt::format("clang {}.{}.{}", __clang_major__, __clang_minor__, __clang_patchlevel__);
#elif defined(__GNUC__)
  std::string compiler = fmt::format("GCC {}.{}.{}", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#else
  std::string compiler = "unknown compiler";
#endif
  const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);
  std::string details = fmt::format("crowdfeed {}\n", program_version());
  details += fmt::format("commit: {}\n", program_commit());
  details += fmt::format("built with: {}, C++ {}, {}\n", compiler, __cplusplus, CROWDFEED_BUILD_TYPE);
  details += fmt::format("SQLite {}\n", sqlite3_libversion());
  details +=
      fmt::format("libcurl {} ({})\n", curl->version, curl->ssl_version != nullptr ? curl->ssl_version : "no TLS");
  details += fmt::format("{}\n", OpenSSL_version(OPENSSL_VERSION));
  UVersionInfo icu{};
  u_getVersion(icu);
  UVersionInfo unicode{};
  u_getUnicodeVersion(unicode);
  details += fmt::format("ICU {}.{} (Unicode {}.{})\n", icu[0], icu[1], unicode[0], unicode[1]);
  details += fmt::format("libpsl {}\n", psl_get_version());
  details += fmt::format("{}\n", archive_version_string());
  details += fmt::format("zlib {}\n", zlibVersion());
  details += fmt::format("fmt {}.{}.{}, toml++ {}.{}.{}, nlohmann-json {}.{}.{} (built in)\n", FMT_VERSION / 10000,
                         FMT_VERSION / 100 % 100, FMT_VERSION % 100, TOML_LIB_MAJOR, TOML_LIB_MINOR, TOML_LIB_PATCH,
                         NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH);
  return details;
}

}  // namespace crowdfeed
