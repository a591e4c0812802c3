#include "publish/http_put.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace crowdfeed {
namespace {

constexpr std::size_t kMaxErrorBody = 300;

std::size_t keep_body(char* data, std::size_t size, std::size_t count, void* body) {
  auto* text = static_cast<std::string*>(body);
  if (text->size() < kMaxErrorBody) text->append(data, std::min(size * count, kMaxErrorBody - text->size()));
  return size * count;
}

// The server's own words, on one line, for the error message.
std::string one_line(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  return text;
}

}  // namespace

void http_put(const UploadFile& file, const HttpPut& put) {
  std::unique_ptr<FILE, int (*)(FILE*)> in(std::fopen(file.source.c_str(), "rb"), &std::fclose);
  if (!in) throw PermanentUploadError(fmt::format("cannot read {}", file.source.string()));
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw TransientUploadError("cannot initialise libcurl");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, &curl_slist_free_all);
  for (const auto& header : put.headers) headers.reset(curl_slist_append(headers.release(), header.c_str()));

  std::string body;
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl.get(), CURLOPT_URL, put.url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_READDATA, in.get());
  curl_easy_setopt(curl.get(), CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(file.size));
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, keep_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, static_cast<long>(put.timeout_seconds));
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 20L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "crowdfeed/" CROWDFEED_VERSION);
  if (put.configure) put.configure(curl.get());

  CURLcode result = curl_easy_perform(curl.get());
  std::string where = fmt::format("PUT {}", redact_url(put.url));
  if (result != CURLE_OK) {
    throw TransientUploadError(fmt::format("{}: {}", where, *error != '\0' ? error : curl_easy_strerror(result)));
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) return;
  std::string message = fmt::format("{}: HTTP {} {}", where, status, one_line(body));
  if (status == 429 || status >= 500) throw TransientUploadError(message);
  throw PermanentUploadError(message);
}

}  // namespace crowdfeed
