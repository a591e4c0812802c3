#include "util/url.h"

#include <curl/curl.h>

#include <memory>

namespace crowdfeed {

std::string url_host(std::string_view url, bool guess_scheme) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> handle(curl_url(), &curl_url_cleanup);
  if (!handle) return {};
  std::string text(url);
  unsigned int flags = CURLU_NON_SUPPORT_SCHEME | (guess_scheme ? CURLU_GUESS_SCHEME : 0U);
  if (curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), flags) != CURLUE_OK) return {};
  char* host = nullptr;
  if (curl_url_get(handle.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK || host == nullptr) return {};
  std::string result = host;
  curl_free(host);
  if (result.size() > 2 && result.front() == '[' && result.back() == ']') result = result.substr(1, result.size() - 2);
  return result;
}

std::string_view url_host_as_written(std::string_view url) {
  std::string_view rest = url;
  auto scheme_end = rest.find(':');
  auto first_delimiter = rest.find_first_of("/?#");
  if (scheme_end != std::string_view::npos && scheme_end < first_delimiter &&
      rest.substr(scheme_end).starts_with("://")) {
    rest.remove_prefix(scheme_end + 1);
  }
  if (rest.starts_with("//")) {
    rest.remove_prefix(2);
  } else if (rest.starts_with('/') || rest.starts_with('?') || rest.starts_with('#')) {
    return {};  // a path alone
  }
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#\\"));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (authority.starts_with('[')) {
    auto close = authority.find(']');
    return close == std::string_view::npos ? authority : authority.substr(1, close - 1);
  }
  return authority.substr(0, authority.find(':'));
}

}  // namespace crowdfeed
