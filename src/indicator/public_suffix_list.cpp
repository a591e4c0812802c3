#include "indicator/public_suffix_list.h"

#include <fmt/format.h>
#include <libpsl.h>
#include <sys/stat.h>

#include <cstdio>
#include <memory>

#include "util/sha256.h"

namespace crowdfeed {
namespace {

constexpr std::size_t kMinRules = 5000;  // the list has had over 9,000 since 2018

// The system's list: psl_latest() picks the newer of the built-in list and
// the publicsuffix package's.
ParsedSuffixList system_list() {
  const psl_ctx_t* context = psl_latest(nullptr);
  if (context == nullptr) context = psl_builtin();
  PublicSuffixListInfo info;
  const char* path = psl_dist_filename();
  struct stat file {};
  if (path != nullptr && ::stat(path, &file) == 0 && file.st_mtim.tv_sec >= psl_builtin_file_time()) {
    info.origin = fmt::format("system ({})", path);
    info.dated = TimePoint(std::chrono::seconds(file.st_mtim.tv_sec));
    info.sha256 = fmt::format("{} {} {}", path, file.st_size, file.st_mtim.tv_sec);
  } else {
    info.origin = "libpsl's built-in list";
    info.dated = TimePoint(std::chrono::seconds(psl_builtin_file_time()));
    info.sha256 = psl_builtin_sha1sum();
  }
  info.rules = static_cast<std::size_t>(std::max(0, psl_suffix_count(context)));
  // psl_latest's context is freed with the last copy; the built-in one never.
  return {std::shared_ptr<const void>(context,
                                      [](const void* list) {
                                        if (list != psl_builtin())
                                          psl_free(static_cast<psl_ctx_t*>(const_cast<void*>(list)));
                                      }),
          std::move(info)};
}

struct Installed {
  ParsedSuffixList list = system_list();
};

Installed& installed() {
  static Installed list;
  return list;
}

// "// VERSION: 2025-06-12_09-55-45_UTC", as publicsuffix.org serves it.
std::optional<TimePoint> version_line_time(std::string_view text) {
  auto at = text.find("// VERSION: ");
  if (at == std::string_view::npos || at > 4096) return std::nullopt;
  std::string_view version = text.substr(at + 12, 19);  // YYYY-MM-DD_HH-MM-SS
  if (version.size() < 10) return std::nullopt;
  std::string iso = fmt::format("{}T{}:{}:{}Z", version.substr(0, 10), version.substr(11, 2), version.substr(14, 2),
                                version.substr(17, 2));
  if (version.size() < 19) iso = fmt::format("{}T00:00:00Z", version.substr(0, 10));
  return parse_time(iso);
}

}  // namespace

std::variant<ParsedSuffixList, std::string> parse_public_suffix_list(std::string_view text, std::string origin,
                                                                     std::optional<TimePoint> file_time) {
  using Result = std::variant<ParsedSuffixList, std::string>;
  if (text.find("===BEGIN ICANN DOMAINS===") == std::string_view::npos) {
    return Result(std::in_place_index<1>,
                  fmt::format("{} is not a public suffix list (it has no \"===BEGIN ICANN DOMAINS===\" line)", origin));
  }
  std::unique_ptr<FILE, decltype(&std::fclose)> file(fmemopen(const_cast<char*>(text.data()), text.size(), "r"),
                                                     &std::fclose);
  if (!file) return Result(std::in_place_index<1>, fmt::format("cannot read {}", origin));
  psl_ctx_t* context = psl_load_fp(file.get());
  if (context == nullptr) return Result(std::in_place_index<1>, fmt::format("libpsl cannot read {}", origin));
  std::shared_ptr<const void> owned(
      context, [](const void* list) { psl_free(static_cast<psl_ctx_t*>(const_cast<void*>(list))); });
  const int rules = psl_suffix_count(context);
  if (rules < static_cast<int>(kMinRules)) {
    return Result(std::in_place_index<1>,
                  fmt::format("{} has {} rules; a real list has over {}", origin, std::max(rules, 0), kMinRules));
  }
  for (const char* suffix : {"com", "co.uk", "github.io"}) {
    if (psl_is_public_suffix2(context, suffix, PSL_TYPE_ANY) == 0) {
      return Result(std::in_place_index<1>, fmt::format("{} does not know {} as a public suffix", origin, suffix));
    }
  }
  PublicSuffixListInfo info{std::move(origin), version_line_time(text), static_cast<std::size_t>(rules),
                            sha256_hex(text)};
  if (!info.dated) info.dated = file_time;
  return Result(std::in_place_index<0>, ParsedSuffixList{std::move(owned), std::move(info)});
}

std::string describe(const PublicSuffixListInfo& list) {
  std::string text =
      fmt::format("{}, {}", list.origin, list.dated ? format_iso8601(*list.dated).substr(0, 10) : "undated");
  if (list.rules > 0) text += fmt::format(", {} rules", list.rules);
  return text;
}

void install_public_suffix_list(ParsedSuffixList list) {
  installed().list = std::move(list);
}

PublicSuffixListInfo public_suffix_list_info() {
  return installed().list.info;
}

const void* public_suffix_context() {
  return installed().list.context.get();
}

std::optional<std::string> registrable_domain(std::string_view domain) {
  const auto* context = static_cast<const psl_ctx_t*>(public_suffix_context());
  const std::string name(domain);
  const char* found = psl_registrable_domain(context, name.c_str());
  if (found == nullptr) return std::nullopt;
  return std::string(found);
}

}  // namespace crowdfeed
