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

}  // namespace crowdfeed
