#include "serve/cross_site.h"

#include <fmt/format.h>

#include <charconv>

#include "util/text.h"

namespace crowdfeed {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A host and its port: "votes.example.org:8443" -> {"votes.example.org", 8443};
// the port is 0 when none is written. nullopt when the port is not a number.
struct Authority {
  std::string host;
  unsigned port = 0;
};
std::optional<Authority> split_authority(std::string_view text) {
  Authority authority;
  // An IPv6 literal keeps its brackets: "[2001:db8::1]:8080".
  auto colon = text.rfind(':');
  if (colon != std::string_view::npos && text.find(']', colon) == std::string_view::npos) {
    std::string_view port = text.substr(colon + 1);
    auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), authority.port);
    if (port.empty() || error != std::errc() || end != port.data() + port.size() || authority.port > 65535) {
      return std::nullopt;
    }
    text = text.substr(0, colon);
  }
  if (text.empty()) return std::nullopt;
  authority.host = lower_ascii(text);
  return authority;
}

}  // namespace

std::string cross_site_problem(const RequestSource& source) {
  if (source.sec_fetch_site) {
    std::string site = lower_ascii(trim(*source.sec_fetch_site));
    // "none": typed into the address bar or opened from a bookmark.
    if (site != "same-origin" && site != "none") {
      return fmt::format("a vote may not come from a page of another site (Sec-Fetch-Site: {})",
                         quote_text(printable(site, 40)));
    }
  }
  if (!source.origin) return {};
  const std::string_view origin = trim(*source.origin);
  auto refuse = [&] {
    return fmt::format("a vote may not come from a page of another origin (Origin: {})",
                       quote_text(printable(origin, 200)));
  };
  // The page's origin must be this server as its Host header names it:
  // the same host, and the same port (the scheme's default when the Host
  // header gives none; the server cannot know the scheme behind a proxy
  // that ends TLS, the port tells http and https apart).
  std::string lower = lower_ascii(origin);
  std::string_view rest = lower;
  unsigned default_port = 0;
  if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
    default_port = 80;
  } else if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
    default_port = 443;
  } else {
    return refuse();  // "null", or a scheme that is not the web's
  }
  if (!source.host || rest.find_first_of("/?#@ ") != std::string_view::npos) return refuse();
  auto page = split_authority(rest);
  auto host = split_authority(lower_ascii(trim(*source.host)));
  if (!page || !host || page->host != host->host) return refuse();
  const unsigned page_port = page->port == 0 ? default_port : page->port;
  const unsigned host_port = host->port == 0 ? default_port : host->port;
  return page_port == host_port ? std::string() : refuse();
}

bool is_json_content_type(std::string_view content_type) {
  std::string_view media = trim(content_type.substr(0, content_type.find(';')));
  return equal_ignoring_ascii_case(media, "application/json");
}

}  // namespace crowdfeed
