// http:// and https://: WebDAV or any server that accepts PUT, with basic or
// bearer authentication. The server is expected to replace the file whole
// (nginx's dav module writes to a temporary file and renames it).
#include <curl/curl.h>
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "publish/destination.h"
#include "util/error.h"

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
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return text;
}

class HttpDestination : public Destination {
 public:
  explicit HttpDestination(const DestinationSettings& settings) : settings_(settings) {
    base_ = settings.url;
    if (!base_.ends_with('/')) base_ += '/';
    auth_ = settings.options.contains("auth") ? settings.options.at("auth") : "none";
    if (auth_ != "none" && auth_ != "basic" && auth_ != "bearer") {
      throw UsageError(fmt::format("destination {:?}: auth must be none, basic or bearer", settings.name));
    }
    if (auth_ == "basic" && settings.credentials.username.empty()) {
      throw UsageError(fmt::format("destination {:?}: basic authentication needs a username", settings.name));
    }
    if (auth_ == "bearer" && settings.credentials.token.empty()) {
      throw UsageError(fmt::format("destination {:?}: bearer authentication needs a token", settings.name));
    }
  }

  void put(const UploadFile& file) override {
    std::unique_ptr<FILE, int (*)(FILE*)> in(std::fopen(file.source.c_str(), "rb"), &std::fclose);
    if (!in) throw PermanentUploadError(fmt::format("cannot read {}", file.source.string()));
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) throw TransientUploadError("cannot initialise libcurl");
    std::string url = base_ + file.name;
    std::string body;
    char error[CURL_ERROR_SIZE] = "";
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, &curl_slist_free_all);
    auto add_header = [&](const std::string& header) { headers.reset(curl_slist_append(headers.release(), header.c_str())); };
    add_header("Content-Type: " + file.content_type);
    add_header("Cache-Control: " + file.cache_control);
    add_header("Expect:");  // no 100-continue round trip for small files
    if (auth_ == "bearer") add_header("Authorization: Bearer " + settings_.credentials.token);

    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl.get(), CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_READDATA, in.get());
    curl_easy_setopt(curl.get(), CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(file.size));
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, keep_body);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, static_cast<long>(settings_.timeout_seconds));
    curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 20L);
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "crowdfeed/" CROWDFEED_VERSION);
    if (auth_ == "basic") {
      curl_easy_setopt(curl.get(), CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      curl_easy_setopt(curl.get(), CURLOPT_USERNAME, settings_.credentials.username.c_str());
      curl_easy_setopt(curl.get(), CURLOPT_PASSWORD, settings_.credentials.password.c_str());
    }

    CURLcode result = curl_easy_perform(curl.get());
    std::string where = fmt::format("PUT {}", redact_url(url));
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

 private:
  DestinationSettings settings_;
  std::string base_;
  std::string auth_;
};

}  // namespace

std::unique_ptr<Destination> make_http_destination(const DestinationSettings& settings) {
  return std::make_unique<HttpDestination>(settings);
}

}  // namespace crowdfeed
