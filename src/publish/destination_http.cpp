// http:// and https://: WebDAV or any server that accepts PUT, with basic or
// bearer authentication. The server is expected to replace the file whole
// (nginx's dav module writes to a temporary file and renames it), and to
// answer HEAD and DELETE (nginx: dav_methods PUT DELETE).
#include <fmt/format.h>

#include "publish/destination.h"
#include "publish/http_request.h"
#include "util/error.h"

namespace crowdfeed {
namespace {

class HttpDestination : public Destination {
 public:
  explicit HttpDestination(const DestinationSettings& settings) : settings_(settings) {
    base_ = settings.url;
    if (!base_.ends_with('/')) base_ += '/';
    auth_ = settings.option("auth").empty() ? "none" : settings.option("auth");
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
    // "Expect:" saves the 100-continue round trip on each upload.
    http_put(file, request(file.name,
                           {"Content-Type: " + file.content_type, "Cache-Control: " + file.cache_control, "Expect:"}));
  }

  std::optional<std::uint64_t> size_of(const std::string& name) override { return http_head(request(name, {})); }

  void remove(const std::string& name) override { http_delete(request(name, {})); }

 private:
  HttpRequest request(const std::string& name, std::vector<std::string> headers) const {
    HttpRequest request{base_ + url_path(name), std::move(headers), request_timeout_ms(settings_.timeout_seconds), {}};
    if (auth_ == "bearer") request.headers.push_back("Authorization: Bearer " + settings_.credentials.token);
    if (auth_ == "basic") {
      request.configure = [this](CURL* curl) {
        curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(curl, CURLOPT_USERNAME, settings_.credentials.username.c_str());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, settings_.credentials.password.c_str());
      };
    }
    return request;
  }

  DestinationSettings settings_;
  std::string base_;
  std::string auth_;
};

}  // namespace

std::unique_ptr<Destination> make_http_destination(const DestinationSettings& settings) {
  return std::make_unique<HttpDestination>(settings);
}

}  // namespace crowdfeed
