// manifest.json and SHA256SUMS: what a run published, written after every
// feed file so that neither ever lists a file that is not in place. The
// previous manifest is also how a run knows each file's last change.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "util/gzip.h"
#include "util/time.h"

namespace crowdfeed {

struct ManifestFile {
  std::string name;  // "malicious-domains.txt"
  std::string feed;  // "malicious-domains"
  std::string format;
  std::uint64_t size = 0;
  std::int64_t entries = 0;
  std::string sha256;
  TimePoint last_modified{};
  // For a delta file (NAME.added.txt, NAME.removed.txt): the Last-Modified
  // of the list it starts from; nullopt for every other file.
  std::optional<TimePoint> since = std::nullopt;
};

// A minisign public key as the manifest and the index page show it.
struct PublishedKey {
  std::string key_id;      // 16 hex digits, as minisign prints it
  std::string public_key;  // the line `minisign -P` takes
  bool operator==(const PublishedKey&) const = default;
};

// Who signed what: manifest.json's "signing".
struct ManifestSigning {
  PublishedKey key;  // the key of the signatures beside the files
  // NAME.minisig beside every listed file; else only beside SHA256SUMS
  // and manifest.json, which vouch for the other files' digests.
  bool every_file = false;
  // Keys announced beside it: the next one before a rotation, the retired
  // one after it.
  std::vector<PublishedKey> announced;
  bool operator==(const ManifestSigning&) const = default;
};

struct Manifest {
  TimePoint generated{};  // when the run happened
  TimePoint hour{};       // the hour slot the run is for
  std::vector<ManifestFile> files;
  std::optional<ManifestSigning> signing = std::nullopt;  // unsigned when empty
  // How hard the .gz copies are compressed (manifest.json's "gzip"): a
  // change of level rewrites them although their content is the same.
  // Empty: no copies, or published before the level was recorded.
  std::optional<GzipLevel> gzip = std::nullopt;

  const ManifestFile* find(std::string_view name) const;
  // The newest Last-Modified of its files: the published set's version,
  // which grows with every change and stays put while nothing changes.
  TimePoint version() const;
};

std::string render_manifest(const Manifest& manifest);

// The signature files that come with the manifest's files, in the order
// they are written and uploaded: each listed file's (when every file is
// signed), then SHA256SUMS's, then manifest.json's. Empty when unsigned.
struct SignedFile {
  std::string name;       // the signed file
  std::string signature;  // NAME.minisig
};
std::vector<SignedFile> signed_files(const Manifest& manifest);

// Whether the file `name` comes with a signature, NAME.minisig.
bool is_signed(const Manifest& manifest, std::string_view name);

// The `sha256sum -c` format: "<hex>  <name>" a line.
std::string render_sha256sums(const Manifest& manifest);

// The manifest in `path`; nullopt when there is none or it cannot be read
// (then every file counts as changed, which is always safe). A manifest
// that lists a name which is not a plain relative name, or a digest that
// is not SHA-256, cannot be read.
std::optional<Manifest> read_manifest(const std::filesystem::path& path);

// The same from the manifest's text; throws std::exception when it is not
// a manifest render_manifest() could have written.
Manifest parse_manifest(std::string_view text);

}  // namespace crowdfeed
