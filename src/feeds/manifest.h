// manifest.json and SHA256SUMS: what a run published, written after every
// feed file so that neither ever lists a file that is not in place. The
// previous manifest is also how a run knows each file's last change.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

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

struct Manifest {
  TimePoint generated{};  // when the run happened
  TimePoint hour{};       // the hour slot the run is for
  std::vector<ManifestFile> files;

  const ManifestFile* find(std::string_view name) const;
  // The newest Last-Modified of its files: the published set's version,
  // which grows with every change and stays put while nothing changes.
  TimePoint version() const;
};

std::string render_manifest(const Manifest& manifest);

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
