#include "whitelist/public_suffix_source.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "config/state_layout.h"
#include "indicator/public_suffix_list.h"
#include "util/error.h"
#include "util/log.h"
#include "whitelist/download.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

bool is_url(const std::string& location) {
  return location.starts_with("http://") || location.starts_with("https://");
}

ParsedSuffixList parsed_or_throw(std::string_view text, const std::string& origin, std::optional<TimePoint> file_time) {
  auto parsed = parse_public_suffix_list(text, origin, file_time);
  if (auto* problem = std::get_if<std::string>(&parsed)) throw Error(*problem);
  return std::move(std::get<ParsedSuffixList>(parsed));
}

void install_file(const std::string& path, std::int64_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  struct stat info {};
  if (!in || ::stat(path.c_str(), &info) != 0) {
    throw Error(fmt::format("public_suffixes.list: cannot read {}", path));
  }
  if (info.st_size > max_bytes) {
    throw Error(fmt::format("public_suffixes.list: {} is larger than whitelist.max_list_bytes", path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  install_public_suffix_list(parsed_or_throw(text.str(), path, TimePoint(std::chrono::seconds(info.st_mtim.tv_sec))));
}

}  // namespace

void load_public_suffix_list(const PublicSuffixSettings& settings, const WhitelistSettings& bounds,
                             const fs::path& state_dir, TimePoint now, bool download) {
  if (settings.list.empty()) return;
  if (!is_url(settings.list)) {
    install_file(settings.list, bounds.max_list_bytes);
    return;
  }
  DownloadedList list("public suffix list", settings.list, StateLayout(state_dir).public_suffix_download());
  auto install_kept = [&](const std::string& how) {
    std::optional<std::string> kept = list.last_good();
    if (!kept) return false;
    // A kept copy's date is its own VERSION line, else when it was downloaded.
    auto parsed =
        parse_public_suffix_list(*kept, fmt::format("{} ({})", settings.list, how), parse_time(list.last_good_time()));
    if (auto* problem = std::get_if<std::string>(&parsed)) throw Error(*problem);
    install_public_suffix_list(std::move(std::get<ParsedSuffixList>(parsed)));
    return true;
  };
  if (!download) {
    if (!install_kept(fmt::format("downloaded {}", list.last_good_time()))) {
      log::warning(
          "public_suffixes.list {} is not downloaded yet (the next publish does): the system's list is "
          "used until then",
          settings.list);
    }
    return;
  }
  std::string problem;
  try {
    std::optional<std::string> body = list.download(bounds.download_timeout_seconds, bounds.max_download_bytes);
    if (!body) {
      if (install_kept(fmt::format("unchanged since {}", list.last_good_time()))) return;
      throw Error("the server answered 304 but no copy is kept");
    }
    ParsedSuffixList parsed = parsed_or_throw(*body, settings.list, now);
    list.keep(*body, static_cast<std::int64_t>(parsed.info.rules), format_iso8601(now));
    install_public_suffix_list(std::move(parsed));
    return;
  } catch (const std::exception& error) {
    problem = error.what();
  }
  if (!install_kept(fmt::format("last good copy of {}", list.last_good_time()))) {
    throw Error(fmt::format("public_suffixes.list {}: {}; no earlier copy to fall back on", settings.list, problem));
  }
  log::warning("public_suffixes.list {}: {}; using the last good copy, downloaded {}", settings.list, problem,
               list.last_good_time());
}

std::string public_suffix_list_age_warning(const PublicSuffixSettings& settings, TimePoint now) {
  PublicSuffixListInfo list = public_suffix_list_info();
  if (!list.dated) {
    return fmt::format("the public suffix list in use ({}) has no date", list.origin);
  }
  auto days = std::chrono::floor<std::chrono::days>(now - *list.dated).count();
  if (days <= settings.warn_after_days) return {};
  return fmt::format(
      "the public suffix list in use ({}) is from {}, {} days old (public_suffixes.warn_after_days = {}): names "
      "registered as suffixes since are taken for ordinary domains; set [public_suffixes] list to a current copy",
      list.origin, format_iso8601(*list.dated).substr(0, 10), days, settings.warn_after_days);
}

void validate(const PublicSuffixSettings& settings) {
  if (settings.warn_after_days < 1) throw UsageError("public_suffixes.warn_after_days must be at least 1");
}

}  // namespace crowdfeed
