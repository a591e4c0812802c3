// What the last run that published built its feeds from, so that an hour in
// which none of it changed is known at once: no tally is read, no file
// rendered, and every feed file stays byte-identical.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "config/config.h"
#include "feeds/manifest.h"
#include "votes/tally_query.h"
#include "whitelist/load.h"

namespace crowdfeed {

struct LastInputs {
  TallyMark tallies;            // the kept tallies' generation it closed, and its hour slot
  std::string inputs;           // inputs_digest() of its run
  std::string manifest_sha256;  // the manifest.json it wrote
  // file_identity() of manifest.json and of every file it lists, by name.
  std::map<std::string, std::string> files;
};

// A file as the file system knows it: its size and modification time (to
// the nanosecond), which any rewrite changes, and which a copy that keeps
// times (a restored backup) keeps; empty when it is missing or not a
// regular file.
std::string file_identity(const std::filesystem::path& path);

// SHA-256 over everything besides the tallies that decides what a run
// publishes: this program (its version and executable file), the configuration
// file, the paths in use and the whitelist sources' contents.
std::string inputs_digest(const Config& config, const FetchedWhitelist& whitelist);

// Whether the feeds directory still holds what the run recorded in `last`
// wrote: its manifest, byte for byte, and every file it lists untouched
// (a file replaced or edited by hand makes the run build everything).
bool published_as_recorded(const std::filesystem::path& feeds_dir, const LastInputs& last);

// state/last-inputs.json; nullopt when there is none or it is damaged (a
// damaged one is set aside and the run builds everything).
std::optional<LastInputs> read_last_inputs(const std::filesystem::path& state_dir);
void write_last_inputs(const std::filesystem::path& state_dir, const LastInputs& last);
// Writes what the run that published `manifest` in `feeds_dir` built it
// from, with the files' identities as they are now.
void record_last_inputs(const std::filesystem::path& state_dir, const std::filesystem::path& feeds_dir,
                        const TallyMark& tallies, const std::string& inputs, const Manifest& manifest);
// Forgotten before a run replaces published files, so that a run killed
// half-way is never taken for the state the files are in.
void forget_last_inputs(const std::filesystem::path& state_dir);

}  // namespace crowdfeed
