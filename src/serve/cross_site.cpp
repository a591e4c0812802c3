#include "serve/cross_site.h"

#include <fmt/format.h>

#include <algorithm>

#include "util/text.h"

namespace crowdfeed {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// "https://votes.example.org:443" as "votes.example.org", the authority a
// Host header would carry for it; nullopt for what is not an http(s) origin.
std::optional<std::string> origin_authority(std::string_view origin) {
  std::string lower = lower_ascii(origin);
  std::string_view rest = lower;
  std::string_view default_port;
  if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
    default_port = ":80";
  } else if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
    default_port = ":443";
  } else {
    return std::nullopt;
  }
  if (rest.empty() || rest.find_first_of("/?#@ ") != std::string_view::npos) return std::nullopt;
  if (rest.ends_with(default_port)) rest.remove_suffix(default_port.size());
  return std::string(rest);
}

}  // namespace

std::string cross_site_problem(const RequestSource& source, const std::vector<std::string>& allowed_origins) {
  if (source.sec_fetch_site) {
    std::string site = lower_ascii(trim(*source.sec_fetch_site));
    // "none": typed into the address bar or opened from a bookmark.
    if (site != "same-origin" && site != "none") {
      return fmt::format("a vote may not come from a page of another site (Sec-Fetch-Site: {})",
                         quote_text(printable(site, 40)));
    }
  }
  if (!source.origin) return {};
  std::string_view origin = trim(*source.origin);
  if (std::any_of(allowed_origins.begin(), allowed_origins.end(),
                  [&](const std::string& allowed) { return equal_ignoring_ascii_case(allowed, origin); })) {
    return {};
  }
  auto authority = origin_authority(origin);
  if (authority && source.host) {
    std::string host = lower_ascii(trim(*source.host));
    if (host.ends_with(":80") || host.ends_with(":443")) {
      // The Host header carries no port for the scheme's default port, but may.
      std::string_view bare(host);
      bare.remove_suffix(host.ends_with(":80") ? 3 : 4);
      if (*authority == bare) return {};
    }
    if (*authority == host) return {};
  }
  return fmt::format("a vote may not come from a page of another origin (Origin: {}; serve.allowed_origins lists "
                     "the origins besides this server's own)",
                     quote_text(printable(origin, 200)));
}

bool is_json_content_type(std::string_view content_type) {
  std::string_view media = trim(content_type.substr(0, content_type.find(';')));
  return equal_ignoring_ascii_case(media, "application/json");
}

}  // namespace crowdfeed
