// The layout of the feeds directory, in one place: the names of the files a
// run writes beside the feeds, the archive's folders and the by-hash copies.
// Whoever reads or writes the directory asks here.
#pragma once

#include <string>
#include <string_view>

#include "util/time.h"

namespace crowdfeed {

constexpr std::string_view kManifestName = "manifest.json";
constexpr std::string_view kChecksumsName = "SHA256SUMS";
constexpr std::string_view kExcludedName = "excluded-domains.csv";
constexpr std::string_view kIndexPageName = "index.html";
constexpr std::string_view kArchiveFolder = "archive";
constexpr std::string_view kHistoryCsvName = "archive/history.csv";
constexpr std::string_view kByHashFolder = "by-hash/SHA256";
// The MISP feed: its own manifest.json, hashes.csv and one event a feed,
// in a folder, as MISP's feed fetcher reads a feed's URL.
constexpr std::string_view kMispFolder = "misp/";
// A file's minisign signature is NAME.minisig beside it.
constexpr std::string_view kSignatureSuffix = ".minisig";
inline std::string signature_name(std::string_view name) {
  return std::string(name) + std::string(kSignatureSuffix);
}

// "archive/YYYY/MM/DD/HH", relative to the feeds directory.
std::string archive_hour_folder(TimePoint hour);

// The longest feed name: its files' names, with their longest suffix
// and a temporary name's, stay within file systems' 255 bytes.
constexpr std::size_t kMaxFeedNameLength = 200;

// Why a feed called `name` would collide with a file or folder of the
// layout above (its files are NAME.FORMAT, NAME.added.txt, ...), or "".
std::string reserved_feed_name_problem(std::string_view name);

// "by-hash/SHA256/<sha256>", relative to the feeds directory.
std::string by_hash_name(std::string_view sha256);

// Whether `name` is exactly a by-hash object's name: the prefix and 64
// lower-case hex digits, nothing else (and so never a feed file's name nor
// one that leaves the folder).
bool is_by_hash_name(std::string_view name);

}  // namespace crowdfeed
