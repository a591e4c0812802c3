// Bringing every destination up to date with the local feeds directory:
// changed files first, SHA256SUMS and manifest.json last, each upload
// retried with exponential backoff and full jitter, destinations in parallel.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "config/settings.h"
#include "config/state_layout.h"
#include "publish/destination.h"

namespace crowdfeed {

struct DestinationOutcome {
  std::string name;
  bool current = false;       // holds every file of this run, manifest last
  std::size_t uploaded = 0;   // files sent
  std::size_t unchanged = 0;  // files skipped: the destination has them (by SHA-256)
  std::size_t deleted = 0;    // files the feeds directory no longer holds
  std::size_t retries = 0;    // attempts beyond the first, over all files
  std::string error;          // why it is not current, redacted
};

// Uploads what `destination` lacks of `feeds_dir` (as its manifest.json
// lists it, and its history), in order: the by-hash objects, the feed
// files, the history, SHA256SUMS, manifest.json. Remembers what it uploaded
// in `state_file`, so the next run skips unchanged files and catches up
// after a failure. Never uploads SHA256SUMS or manifest.json after another
// file failed. Once the manifest arrived, deletes what the destination
// received that `feeds_dir` no longer holds (pruned by-hash objects and
// archived hours).
DestinationOutcome sync_destination(Destination& destination, const DestinationSettings& settings,
                                    const UploadSettings& upload, const std::filesystem::path& feeds_dir,
                                    const std::filesystem::path& state_file);

// Every destination, each in its own thread: what `feeds_dir` holds, with
// each destination's state file under `state`.
std::vector<DestinationOutcome> upload_everywhere(const UploadSettings& upload,
                                                  const std::vector<DestinationConfig>& destinations,
                                                  const std::filesystem::path& feeds_dir, const StateLayout& state);

// The Content-Type for a published file name.
std::string content_type_for(const std::string& name);

// Replaces every secret of `credentials` in `text` with "REDACTED".
std::string redact(std::string text, const Credentials& credentials);

// Throws UsageError naming the key when the upload settings or a
// destination's name are unusable.
void validate(const UploadSettings& upload, const std::vector<DestinationConfig>& destinations);

}  // namespace crowdfeed
