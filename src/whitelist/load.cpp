#include "whitelist/load.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <new>
#include <nlohmann/json.hpp>
#include <set>

#include "config/checks.h"
#include "config/state_layout.h"
#include "indicator/domain.h"
#include "indicator/file_hash.h"
#include "indicator/ip_address.h"
#include "util/atomic_file.h"
#include "util/decompress.h"
#include "util/error.h"
#include "util/log.h"
#include "util/safe_path.h"
#include "util/sha256.h"
#include "util/text.h"
#include "util/version.h"
#include "whitelist/download.h"
#include "whitelist/list_format.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kWarningsPerList = 5;

bool is_url(std::string_view location) {
  return location.starts_with("http://") || location.starts_with("https://");
}

std::string read_file(const fs::path& path, std::int64_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(fmt::format("cannot read whitelist {}", path.string()));
  std::error_code error;
  auto size = fs::file_size(path, error);
  if (!error && size > static_cast<std::uintmax_t>(max_bytes)) {
    throw Error(fmt::format("whitelist {} has {} bytes, more than whitelist.max_list_bytes ({})", path.string(), size,
                            max_bytes));
  }
  std::string content;
  if (!error) content.reserve(size);
  std::array<char, 1 << 16> buffer{};
  while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
    content.append(buffer.data(), static_cast<std::size_t>(in.gcount()));
    if (content.size() > static_cast<std::size_t>(max_bytes)) {
      throw Error(
          fmt::format("whitelist {} has more than whitelist.max_list_bytes ({}) bytes", path.string(), max_bytes));
    }
  }
  if (in.bad()) throw Error(fmt::format("cannot read whitelist {}", path.string()));
  return content;
}

ParsedList parse_list(std::string content, const WhitelistSourceSettings& source, const std::string& origin,
                      std::int64_t max_bytes) {
  ParsedList parsed;
  parsed.stats = read_typed_list(
      std::move(content), source.format, source.type, source.top, origin,
      [&](IndicatorGroup group, std::string&& value) { parsed.entries.emplace_back(group, std::move(value)); },
      max_bytes);
  return parsed;
}

// A whitelist entry of `group`, normalised, or why it is refused;
// `public_suffix` when it would cover every site under a public suffix.
struct NormalisedEntry {
  std::string value;
  std::string problem;
  bool public_suffix = false;
};

NormalisedEntry normalise_entry(std::string_view text, IndicatorGroup group) {
  switch (group) {
    case IndicatorGroup::kDomain: {
      NormalisedDomain domain = normalise_domain(text);
      return {std::move(domain.domain), std::move(domain.problem), domain.public_suffix};
    }
    case IndicatorGroup::kIp: {
      ParsedRange range = parse_address_range(text);
      return {range.ok() ? range.range.text() : std::string(), std::move(range.problem), false};
    }
    case IndicatorGroup::kHash: {
      NormalisedHash hash = normalise_file_hash(text);
      return {std::move(hash.hash), std::move(hash.problem), false};
    }
  }
  return {{}, "has an unknown type", false};
}

// A download must look like the list it replaces before it replaces it.
void check_plausible(const ParsedList& list, const DownloadedList& download, double max_shrink) {
  if (list.stats.entries == 0) throw Error("the downloaded list has no valid entries");
  auto before = static_cast<double>(download.last_good_entries());
  if (before > 0 && static_cast<double>(list.stats.entries) < before * (1 - max_shrink)) {
    throw Error(
        fmt::format("the downloaded list has {} valid entries, down from {}: more than the allowed {:.0f}% shrink",
                    list.stats.entries, download.last_good_entries(), max_shrink * 100));
  }
}

// A URL source's content: downloaded (and parsed, to check it), or the
// last good copy when the server says it is unchanged, or when the
// download fails or looks wrong.
FetchedSource fetch_url_source(const WhitelistSourceSettings& source, const WhitelistSettings& settings,
                               const fs::path& cache_dir, TimePoint now, LoadOptions options) {
  DownloadedList download(source.name, source.location, cache_dir);
  const std::int64_t max_bytes = settings.max_list_bytes;
  if (!options.download) {
    if (auto kept = download.last_good()) {
      return {std::move(*kept), {}, fmt::format("last good copy of {}", download.last_good_time()), std::nullopt};
    }
  }
  std::string problem;
  try {
    std::optional<std::string> body = download.download(settings.download_timeout_seconds, settings.max_download_bytes);
    if (!body) {
      if (auto kept = download.last_good()) {
        return {std::move(*kept), {}, "unchanged since the last download (304)", std::nullopt};
      }
      throw Error("the server answered 304 but no copy is kept");
    }
    ParsedList list = parse_list(*body, source, source.location, max_bytes);
    check_plausible(list, download, settings.max_shrink);
    if (options.keep) download.keep(*body, static_cast<std::int64_t>(list.stats.entries), format_iso8601(now));
    return {std::move(*body), {}, "downloaded", std::move(list)};
  } catch (const std::bad_alloc&) {
    problem = "the list is too large to hold in memory";
  } catch (const std::exception& error) {
    // Whatever went wrong with the new copy (a JSON value of the wrong type
    // included), the last good one stands in.
    problem = error.what();
  }
  std::optional<std::string> kept = download.last_good();
  if (!kept) {
    throw Error(fmt::format("whitelist source {:?}: {}; no earlier copy to fall back on", source.name, problem));
  }
  log::warning("whitelist source {:?}: {}; using the last good copy, downloaded {}", source.name, problem,
               download.last_good_time());
  return {std::move(*kept), {}, fmt::format("last good copy of {}", download.last_good_time()), std::nullopt};
}

}  // namespace

ListStats read_list(std::string content, std::string_view format, std::int64_t top, const std::string& origin,
                    const std::function<void(std::string&&)>& on_domain, std::int64_t max_bytes) {
  return read_typed_list(
      std::move(content), format, "domain", top, origin,
      [&](IndicatorGroup, std::string&& domain) { on_domain(std::move(domain)); }, max_bytes);
}

ListStats read_typed_list(std::string content, std::string_view format, std::string_view type, std::int64_t top,
                          const std::string& origin, const std::function<void(IndicatorGroup, std::string&&)>& on_entry,
                          std::int64_t max_bytes) {
  std::optional<IndicatorGroup> forced = parse_indicator_group(type);
  try {
    content = decompress_if_compressed(std::move(content), static_cast<std::size_t>(max_bytes));
  } catch (const Error& error) {
    throw Error(fmt::format("{}: {} (whitelist.max_list_bytes)", origin, error.what()));
  }
  auto start = content.find_first_not_of(" \t\r\n");
  if (start != std::string::npos && content[start] == '<') {
    throw Error(fmt::format("{} looks like an HTML page, not a list", origin));
  }
  const ListFormat& list_format_used = crowdfeed::list_format(format, content);
  ListStats stats;
  std::int64_t position = 0;
  try {
    list_format_used.parse(content, [&](const ListEntry& entry) {
      ++position;
      if (top > 0 && (entry.rank > 0 ? entry.rank : position) > top) return entry.rank > 0;  // ranks may be unordered
      if (forced && entry.group && *entry.group != *forced) {
        throw Error(fmt::format("the list holds {} entries, but its source has type = {:?}", group_name(*entry.group),
                                group_name(*forced)));
      }
      // The source's type, else what the list says, else the entry's shape
      // (an address or CIDR range, a hash, else a domain), as for votes.
      IndicatorGroup group = forced ? *forced
                             : entry.group
                                 ? *entry.group
                                 : group_of(detect_indicator_type(entry.text.substr(0, entry.text.find('/'))));
      NormalisedEntry normalised = normalise_entry(entry.text, group);
      if (normalised.problem.empty()) {
        ++stats.entries;
        on_entry(group, std::move(normalised.value));
        return true;
      }
      std::size_t& count = normalised.public_suffix ? stats.public_suffixes : stats.invalid;
      if (++count <= kWarningsPerList) {
        std::string where = entry.line > 0 ? fmt::format("{}:{}", origin, entry.line) : origin;
        std::string what = group == IndicatorGroup::kDomain ? "entry" : fmt::format("{} entry", group_name(group));
        log::warning("{}: {} {} {}: it {}", where, normalised.public_suffix ? "refusing" : "ignoring", what,
                     quote_text(entry.text), normalised.problem);
      }
      return true;
    });
  } catch (const Error& error) {
    throw Error(fmt::format("{} ({} list): {}", origin, list_format_used.name(), error.what()));
  } catch (const nlohmann::json::exception& error) {
    throw Error(fmt::format("{} ({} list): {}", origin, list_format_used.name(), error.what()));
  }
  return stats;
}

std::string FetchedWhitelist::digest() const {
  Sha256 all;
  for (const auto& source : sources) {
    all.update(source.sha256);
    all.update("\n");
  }
  return all.hex();
}

FetchedWhitelist fetch_whitelist(const WhitelistSettings& settings, const fs::path& state_dir, TimePoint now,
                                 LoadOptions options) {
  FetchedWhitelist fetched;
  for (const auto& source : settings.sources) {
    if (is_url(source.location)) {
      fetched.sources.push_back(
          fetch_url_source(source, settings, StateLayout(state_dir).whitelist_downloads(), now, options));
    } else {
      fetched.sources.push_back({read_file(source.location, settings.max_list_bytes), {}, "file", std::nullopt});
    }
    fetched.sources.back().sha256 = sha256_hex(fetched.sources.back().content);
  }
  return fetched;
}

namespace {

// A source's parsed entries are kept in state/whitelist/compiled/, one file
// per content and parse settings, so that an unchanged list is read back
// without normalising a million entries again:
//   crowdfeed-compiled-list 1
//   ENTRIES INVALID PUBLIC_SUFFIXES
//   d example.com | i 192.0.2.0/24 | h <hex>   (one entry a line)
constexpr std::string_view kCompiledMagic = "crowdfeed-compiled-list 1\n";

// Keyed by everything the entries come from: the content, how it is read,
// and the program and public-suffix list that normalise it.
std::string compiled_name(const WhitelistSourceSettings& source, const FetchedSource& content, std::int64_t max_bytes) {
  return sha256_hex(fmt::format("{}\n{}\n{}\n{}\n{}\n{}\n{}", content.sha256, source.format, source.type, source.top,
                                max_bytes, program_identity(), public_suffix_list_identity())) +
         ".list";
}

char group_letter(IndicatorGroup group) {
  return group == IndicatorGroup::kDomain ? 'd' : group == IndicatorGroup::kIp ? 'i' : 'h';
}

std::optional<IndicatorGroup> group_of_letter(char letter) {
  if (letter == 'd') return IndicatorGroup::kDomain;
  if (letter == 'i') return IndicatorGroup::kIp;
  if (letter == 'h') return IndicatorGroup::kHash;
  return std::nullopt;
}

// Calls `visit` with each entry of the compiled list `text` and returns its
// stats; nullopt, having visited nothing, when it is not a list this
// version wrote whole (then the source is parsed again and the file
// replaced).
std::optional<ListStats> read_compiled(std::string_view text,
                                       const std::function<void(IndicatorGroup, std::string_view)>& visit) {
  if (!text.starts_with(kCompiledMagic)) return std::nullopt;
  text.remove_prefix(kCompiledMagic.size());
  auto stats_end = text.find('\n');
  if (stats_end == std::string_view::npos) return std::nullopt;
  unsigned long long entries = 0, invalid = 0, suffixes = 0;
  std::string stats_line(text.substr(0, stats_end));
  if (std::sscanf(stats_line.c_str(), "%llu %llu %llu", &entries, &invalid, &suffixes) != 3) return std::nullopt;
  text.remove_prefix(stats_end + 1);
  // Checked whole before anything is visited.
  auto for_each_line = [&](const std::function<void(IndicatorGroup, std::string_view)>& each) {
    unsigned long long lines = 0;
    for (std::string_view rest = text; !rest.empty(); ++lines) {
      auto end = rest.find('\n');
      if (end == std::string_view::npos || end < 3 || rest[1] != ' ') return false;
      std::string_view value = rest.substr(2, end - 2);
      auto group = group_of_letter(rest[0]);
      if (!group ||
          std::any_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) <= ' '; })) {
        return false;
      }
      if (each) each(*group, value);
      rest.remove_prefix(end + 1);
    }
    return lines == entries;
  };
  if (!for_each_line(nullptr)) return std::nullopt;
  for_each_line(visit);
  return ListStats{static_cast<std::size_t>(entries), static_cast<std::size_t>(invalid),
                   static_cast<std::size_t>(suffixes)};
}

// Writes a compiled list as its entries arrive; add() every entry, then
// commit() with the list's stats.
class CompiledWriter {
 public:
  explicit CompiledWriter(const fs::path& path) : file_(path, kPrivateFile) {}
  void add(IndicatorGroup group, std::string_view value) {
    body_ += group_letter(group);
    body_ += ' ';
    body_ += value;
    body_ += '\n';
  }
  void commit(const ListStats& stats) {
    file_.write(kCompiledMagic);
    file_.write(fmt::format("{} {} {}\n", stats.entries, stats.invalid, stats.public_suffixes));
    file_.write(body_);
    file_.commit();
  }

 private:
  AtomicFile file_;
  std::string body_;
};

}  // namespace

LoadedWhitelist parse_whitelist(const WhitelistSettings& settings, FetchedWhitelist fetched, const fs::path& state_dir,
                                bool keep, const std::function<bool(IndicatorGroup, std::string_view)>& only) {
  std::vector<WhitelistSource> sources;
  for (const auto& source : settings.sources) {
    sources.push_back({source.name, source.kind == WhitelistSourceSettings::Kind::kTrusted});
  }
  LoadedWhitelist loaded{Whitelist(std::move(sources), settings.min_observed), {}};
  const fs::path compiled_dir = state_dir.empty() ? fs::path() : StateLayout(state_dir).whitelist_compiled();
  std::set<std::string> used;
  for (std::size_t index = 0; index < settings.sources.size(); ++index) {
    const WhitelistSourceSettings& source = settings.sources[index];
    FetchedSource& content = fetched.sources.at(index);
    SourceReport report{source.name, source.kind == WhitelistSourceSettings::Kind::kTrusted, {}, content.origin};
    auto add = [&](IndicatorGroup group, std::string_view value) {
      if (only && !only(group, value)) return;
      switch (group) {
        case IndicatorGroup::kDomain:
          loaded.whitelist.add(value, index);
          break;
        case IndicatorGroup::kIp:
          loaded.whitelist.add_range(parse_address_range(value).range, index);
          break;
        case IndicatorGroup::kHash:
          loaded.whitelist.add_hash(std::string(value), index);
          break;
      }
    };
    std::string name = compiled_dir.empty() ? std::string() : compiled_name(source, content, settings.max_list_bytes);
    std::optional<ListStats> compiled;
    if (!name.empty()) {
      used.insert(name);
      try {
        if (auto text = read_regular_file(compiled_dir / name, static_cast<std::size_t>(settings.max_list_bytes) * 2)) {
          compiled = read_compiled(*text, add);
        }
      } catch (const Error&) {
        // Not a file this job wrote: parsed again, and replaced below.
      }
    }
    std::optional<CompiledWriter> writer;
    if (!compiled && keep && !name.empty()) {
      fs::create_directories(compiled_dir);
      writer.emplace(compiled_dir / name);
    }
    if (compiled) {
      report.stats = *compiled;
    } else if (content.parsed) {
      for (const auto& [group, value] : content.parsed->entries) {
        add(group, value);
        if (writer) writer->add(group, value);
      }
      report.stats = content.parsed->stats;
    } else {
      // Straight into the whitelist, without a list of a million strings.
      report.stats = read_typed_list(
          std::move(content.content), source.format, source.type, source.top, source.location,
          [&](IndicatorGroup group, std::string&& value) {
            add(group, value);
            if (writer) writer->add(group, value);
          },
          settings.max_list_bytes);
    }
    if (writer) writer->commit(report.stats);
    const ListStats& stats = report.stats;
    if (stats.public_suffixes > 0) {
      log::warning("whitelist source {:?}: refused {} public-suffix entries (each would cover every site under it)",
                   source.name, stats.public_suffixes);
    }
    loaded.sources.push_back(std::move(report));
  }
  // The compiled lists of contents no longer configured go.
  if (keep && !compiled_dir.empty()) {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(compiled_dir, error)) {
      std::string file = entry.path().filename().string();
      if (file.ends_with(".list") && !used.contains(file) && entry.is_regular_file() && !entry.is_symlink()) {
        fs::remove(entry.path(), error);
      }
    }
  }
  return loaded;
}

LoadedWhitelist parse_whitelist(const WhitelistSettings& settings, FetchedWhitelist fetched) {
  return parse_whitelist(settings, std::move(fetched), {}, false);
}

LoadedWhitelist load_whitelist(const WhitelistSettings& settings, const fs::path& state_dir, TimePoint now,
                               LoadOptions options) {
  return parse_whitelist(settings, fetch_whitelist(settings, state_dir, now, options), state_dir, options.keep,
                         options.only);
}

void validate(const WhitelistSettings& whitelist) {
  if (whitelist.min_observed < 1) throw UsageError("whitelist.min_observed must be at least 1");
  if (!(whitelist.max_shrink >= 0 && whitelist.max_shrink <= 1)) {
    throw UsageError("whitelist.max_shrink must be between 0 and 1");
  }
  if (whitelist.download_timeout_seconds < 1) throw UsageError("whitelist.download_timeout_seconds must be positive");
  if (whitelist.max_download_bytes < 1 || whitelist.max_list_bytes < 1) {
    throw UsageError("whitelist.max_download_bytes and whitelist.max_list_bytes must be positive");
  }
  // One of the whitelist's 64 is kept for the allow-list of accepted
  // disputes (see community/allow_list.h).
  constexpr std::size_t kMaxSources = Whitelist::kMaxSources - 1;
  if (whitelist.sources.size() > kMaxSources) {
    throw UsageError(fmt::format("at most {} whitelist sources are supported", kMaxSources));
  }
  std::set<std::string> names;
  for (const auto& source : whitelist.sources) {
    if (source.name.empty()) throw UsageError("a whitelist source has an empty name");
    require_one_line("whitelist source name", source.name);
    if (!names.insert(source.name).second) {
      throw UsageError(fmt::format("whitelist source name {:?} is used twice", source.name));
    }
    if (source.top < 0) throw UsageError(fmt::format("whitelist source {:?}: top must not be negative", source.name));
    if (source.location.empty()) throw UsageError(fmt::format("whitelist source {:?} has no location", source.name));
  }
}

}  // namespace crowdfeed
