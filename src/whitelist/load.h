// Loading the configured whitelist sources: local files or downloads, any
// list format, plain or inside .gz/.zip, each entry through the domain
// normaliser.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/settings.h"
#include "util/time.h"
#include "whitelist/whitelist.h"

namespace crowdfeed {

// What reading one list found.
struct ListStats {
  std::size_t entries = 0;          // valid, normalised entries kept
  std::size_t invalid = 0;          // entries that failed normalisation
  std::size_t public_suffixes = 0;  // refused: a public suffix would cover every site under it
};

// Reads one list's content (compressed or not, format by name or "auto"),
// calling `on_domain` with each valid normalised entry within the top `top`
// (0 = all). `origin` names the list in warnings. Throws Error when the
// content is not a list at all (an HTML page, a foreign JSON document), or
// decompresses to more than `max_bytes`.
ListStats read_list(std::string content, std::string_view format, std::int64_t top, const std::string& origin,
                    const std::function<void(std::string&&)>& on_domain,
                    std::int64_t max_bytes = WhitelistSettings{}.max_list_bytes);

// The same for a list of any type: `type` is "domain", "ip", "hash" or
// "auto" (what the list says, else each entry's shape, as for votes). Each valid entry reaches
// `on_entry` with its group, normalised: a domain, an address or CIDR range
// ("192.0.2.0/24"), a lower-case hash. An entry the list declares as
// another type than `type` makes the whole list an Error.
ListStats read_typed_list(std::string content, std::string_view format, std::string_view type, std::int64_t top,
                          const std::string& origin, const std::function<void(IndicatorGroup, std::string&&)>& on_entry,
                          std::int64_t max_bytes = WhitelistSettings{}.max_list_bytes);

struct SourceReport {
  std::string name;
  bool trusted = true;
  ListStats stats;
  std::string origin;  // "file", "downloaded", "unchanged (304)", or "last good copy of ..."
};

struct LoadedWhitelist {
  Whitelist whitelist;
  std::vector<SourceReport> sources;
};

// Loads every source. A local file that cannot be read, or a URL source
// whose download fails with no last good copy, is an Error: publishing
// without an intended whitelist could block popular domains. A failed or
// implausible download (error, timeout, HTML page, empty list, or a list
// that shrank by more than max_shrink) falls back to the last good copy
// with a warning.
struct LoadOptions {
  // false: use the last good copy of a URL source when there is one
  // (explain), and download only when there is none.
  bool download = true;
  // false: do not replace the last good copies (a dry run writes nothing).
  bool keep = true;
  // When set, only the entries it accepts are loaded (explain loads those
  // that could match one indicator).
  std::function<bool(IndicatorGroup, std::string_view)> only;
};

// One list, parsed: each valid entry with its group.
struct ParsedList {
  std::vector<std::pair<IndicatorGroup, std::string>> entries;
  ListStats stats;
};

// A source's content as read or downloaded, before it is parsed: an
// unchanged hour needs only its digest.
struct FetchedSource {
  std::string content;
  std::string sha256;  // of `content`
  std::string origin;
  std::optional<ParsedList> parsed;  // a fresh download is parsed to check it
};

struct FetchedWhitelist {
  std::vector<FetchedSource> sources;  // in the configuration's order
  // SHA-256 over every source's content: equal digests, equal whitelists
  // (for the same configuration).
  std::string digest() const;
};

FetchedWhitelist fetch_whitelist(const WhitelistSettings& settings, const std::filesystem::path& state_dir,
                                 TimePoint now, LoadOptions options = {});
LoadedWhitelist parse_whitelist(const WhitelistSettings& settings, FetchedWhitelist fetched);
// The same, reading each source's entries from its compiled copy in
// STATE_DIR/whitelist/compiled/ when that content was parsed before with the
// same settings, and (with `keep`) compiling the others there.
LoadedWhitelist parse_whitelist(const WhitelistSettings& settings, FetchedWhitelist fetched,
                                const std::filesystem::path& state_dir, bool keep,
                                const std::function<bool(IndicatorGroup, std::string_view)>& only = nullptr);

// fetch_whitelist, then parse_whitelist.
LoadedWhitelist load_whitelist(const WhitelistSettings& settings, const std::filesystem::path& state_dir, TimePoint now,
                               LoadOptions options = {});

// Throws UsageError naming the key when a whitelist setting is unusable.
void validate(const WhitelistSettings& whitelist);

}  // namespace crowdfeed
