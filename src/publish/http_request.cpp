#include "publish/http_request.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "util/version.h"

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

using CurlHandle = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;

struct Response {
  long status = 0;
  curl_off_t content_length = -1;
};

// Performs `method` on `request.url`; `prepare` adds the method's own
// options. Returns the status when it is 2xx or one of `accepted`.
Response perform(const char* method, const HttpRequest& request, const std::function<void(CURL*)>& prepare,
                 std::initializer_list<long> accepted = {}) {
  CurlHandle curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw TransientUploadError("cannot initialise libcurl");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, &curl_slist_free_all);
  for (const auto& header : request.headers) headers.reset(curl_slist_append(headers.release(), header.c_str()));

  std::string body;
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl.get(), CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, keep_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, request.timeout_ms);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 20L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  const std::string user_agent = "crowdfeed/" + program_version();
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, user_agent.c_str());
  prepare(curl.get());
  if (request.configure) request.configure(curl.get());

  CURLcode result = curl_easy_perform(curl.get());
  std::string where = fmt::format("{} {}", method, redact_url(request.url));
  if (result != CURLE_OK) {
    throw TransientUploadError(fmt::format("{}: {}", where, *error != '\0' ? error : curl_easy_strerror(result)));
  }
  Response response;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &response.status);
  curl_easy_getinfo(curl.get(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &response.content_length);
  bool ok = (response.status >= 200 && response.status < 300) ||
            std::find(accepted.begin(), accepted.end(), response.status) != accepted.end();
  if (ok) return response;
  std::string message = fmt::format("{}: HTTP {} {}", where, response.status, one_line(body));
  if (response.status == 429 || response.status >= 500) throw TransientUploadError(message);
  throw PermanentUploadError(message);
}

}  // namespace

void http_put(const UploadFile& file, const HttpRequest& request) {
  FileDescriptor source = open_upload_source(file);
  std::unique_ptr<FILE, int (*)(FILE*)> in(::fdopen(source.get(), "rb"), &std::fclose);
  if (!in) throw PermanentUploadError(fmt::format("cannot read {}", (file.directory / file.name).string()));
  source.release();  // the FILE owns it now
  perform("PUT", request, [&](CURL* curl) {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READDATA, in.get());
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(file.size));
  });
}

std::optional<std::uint64_t> http_head(const HttpRequest& request) {
  Response response = perform("HEAD", request, [](CURL* curl) { curl_easy_setopt(curl, CURLOPT_NOBODY, 1L); }, {404});
  if (response.status == 404 || response.content_length < 0) return std::nullopt;
  return static_cast<std::uint64_t>(response.content_length);
}

void http_delete(const HttpRequest& request) {
  perform("DELETE", request, [](CURL* curl) { curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "DELETE"); }, {404});
}

}  // namespace crowdfeed
