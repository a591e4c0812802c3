#include "community/stix_collections.h"

#include <absl/container/flat_hash_set.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "community/published.h"
#include "feeds/layout.h"
#include "feeds/manifest.h"
#include "feeds/stix.h"
#include "feeds/stix_delta.h"
#include "util/error.h"
#include "util/sha256.h"
#include "util/uuid.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

// The value of "KEY":"…" first found in `line`; empty when there is none.
std::string_view string_field(std::string_view line, std::string_view key) {
  std::string pattern = fmt::format("\"{}\":\"", key);
  auto start = line.find(pattern);
  if (start == std::string_view::npos) return {};
  start += pattern.size();
  auto end = line.find('"', start);
  return end == std::string_view::npos ? std::string_view() : line.substr(start, end - start);
}

// Reads the bundle open as `fd` (file number `file`) line by line and
// appends the objects it holds, skipping ids in `seen` and adding theirs.
void index_bundle(int fd, std::size_t file, const ManifestFile& listed, std::vector<StixObjectRef>& objects,
                  absl::flat_hash_set<std::string>& seen) {
  const std::string& name = listed.name;
  Sha256 digest;
  std::string pending;
  std::uint64_t pending_offset = 0;
  std::uint64_t offset = 0;
  char buffer[1 << 16];
  auto line_done = [&](std::string_view line, std::uint64_t at) {
    // Objects only: not the bundle's opening line nor its end.
    if (!line.starts_with(R"({"type":")") || line.starts_with(R"({"type":"bundle")")) return;
    std::uint32_t length = static_cast<std::uint32_t>(line.size() - (line.ends_with(',') ? 1 : 0));
    std::string_view object = line.substr(0, length);
    std::string_view id = string_field(object, "id");
    std::string_view type = string_field(object, "type");
    std::string_view version = string_field(object, "modified");
    if (version.empty()) version = string_field(object, "created");
    if (id.empty() || type.empty() || version.empty()) {
      throw Error(fmt::format("{}: an object without id, type or version at byte {}", name, at));
    }
    if (!seen.insert(std::string(id)).second) return;
    objects.push_back({std::string(id), std::string(type), std::string(version), file, at, length});
  };
  for (;;) {
    ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw Error(fmt::format("cannot read {}: {}", name, std::strerror(errno)));
    if (got == 0) break;
    std::string_view chunk(buffer, static_cast<std::size_t>(got));
    digest.update(chunk);
    while (!chunk.empty()) {
      auto newline = chunk.find('\n');
      if (newline == std::string_view::npos) {
        if (pending.empty()) pending_offset = offset;
        pending.append(chunk);
        offset += chunk.size();
        break;
      }
      if (pending.empty()) {
        line_done(chunk.substr(0, newline), offset);
      } else {
        pending.append(chunk.substr(0, newline));
        line_done(pending, pending_offset);
        pending.clear();
      }
      offset += newline + 1;
      chunk.remove_prefix(newline + 1);
    }
  }
  if (!pending.empty()) line_done(pending, pending_offset);
  // A copy that is not what the manifest lists (cut short, replaced) is
  // never served.
  if (digest.hex() != listed.sha256) throw Error(fmt::format("{} is not the file the manifest lists", name));
}

}  // namespace

std::shared_ptr<const StixCollections> StixCollections::load(const fs::path& feeds_dir, const FeedSettings& settings) {
  auto snapshot = std::make_shared<StixCollections>();
  snapshot->manifest_sha256_ = published_manifest_sha256(feeds_dir);
  std::optional<Manifest> manifest = read_manifest(feeds_dir / kManifestName);
  if (!manifest) {
    // Nothing published yet; a manifest that cannot be read is an error
    // (the last good snapshot stays).
    std::error_code error;
    if (fs::exists(feeds_dir / kManifestName, error)) {
      throw Error(fmt::format("{} cannot be read", (feeds_dir / kManifestName).string()));
    }
    return snapshot;
  }
  StixPublisher publisher = stix_publisher(settings);
  auto open_copy = [&](const ManifestFile& file) {
    // The immutable by-hash copy, else the file itself.
    try {
      return open_beneath(feeds_dir, by_hash_name(file.sha256));
    } catch (const Error&) {
      return open_beneath(feeds_dir, file.name);
    }
  };
  for (const ManifestFile& bundle : manifest->files) {
    if (bundle.format != "stix") continue;
    StixCollection collection;
    collection.feed = bundle.feed;
    collection.id = uuid_v5(publisher.namespace_uuid, "collection/" + bundle.feed);
    collection.title = fmt::format("{} {}", settings.title, bundle.feed);
    collection.description = fmt::format(
        "The indicators of the feed {} as the last hourly run published them, with those it removed revoked",
        bundle.feed);
    absl::flat_hash_set<std::string> seen;
    for (const ManifestFile* file : {&bundle, manifest->find(stix_delta_name(bundle.feed))}) {
      if (file == nullptr) continue;
      snapshot->files_.push_back(open_copy(*file));
      index_bundle(snapshot->files_.back().get(), snapshot->files_.size() - 1, *file, collection.objects, seen);
    }
    std::sort(collection.objects.begin(), collection.objects.end(),
              [](const auto& a, const auto& b) { return std::tie(a.date_added, a.id) < std::tie(b.date_added, b.id); });
    snapshot->collections_.push_back(std::move(collection));
  }
  return snapshot;
}

const StixCollection* StixCollections::find(std::string_view id) const {
  for (const StixCollection& collection : collections_) {
    if (collection.id == id) return &collection;
  }
  return nullptr;
}

std::string StixCollections::read(const StixObjectRef& object) const {
  std::string text(object.length, '\0');
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t got = ::pread(files_.at(object.file).get(), text.data() + done, text.size() - done,
                          static_cast<off_t>(object.offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) throw Error(fmt::format("cannot read the STIX object {}", object.id));
    done += static_cast<std::size_t>(got);
  }
  return text;
}

}  // namespace crowdfeed
