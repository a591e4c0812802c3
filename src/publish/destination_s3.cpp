// s3://BUCKET/PREFIX: Amazon S3 and S3-compatible stores. Requests are signed
// with AWS Signature Version 4 by libcurl (CURLOPT_AWS_SIGV4), always with an
// explicit region and service. libcurl 7.88 neither adds
// x-amz-content-sha256 nor hashes an upload's body (it signs it as empty),
// so the header is set here to the body's SHA-256, which libcurl then signs;
// x-amz-checksum-sha256 makes the store reject a body corrupted on the way.
// No "Expect:" header to turn off 100-continue: libcurl would sign the
// emptied header without sending it, and every signature would fail.
#include <fmt/format.h>
#include <openssl/evp.h>

#include <array>

#include "publish/destination.h"
#include "publish/http_request.h"
#include "util/error.h"

namespace crowdfeed {
namespace {

// The base64 of the digest that `hex` spells.
std::string base64_of_hex(const std::string& hex) {
  std::array<unsigned char, 32> digest{};
  for (std::size_t i = 0; i < digest.size() && 2 * i + 1 < hex.size(); ++i) {
    digest[i] = static_cast<unsigned char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  }
  std::array<unsigned char, 64> encoded{};
  int length = EVP_EncodeBlock(encoded.data(), digest.data(), static_cast<int>(digest.size()));
  return std::string(reinterpret_cast<const char*>(encoded.data()), static_cast<std::size_t>(length));
}

class S3Destination : public Destination {
 public:
  explicit S3Destination(const DestinationSettings& settings)
      : settings_(settings), prefix_url_(s3_prefix_url(settings)), region_(settings.option("region")) {
    if (settings.credentials.username.empty() || settings.credentials.password.empty()) {
      throw UsageError(fmt::format("destination {:?}: S3 needs an access key id (username) and a secret key (password)",
                                   settings.name));
    }
  }

  void put(const UploadFile& file) override {
    http_put(file, signed_request(file.name, file.sha256,
                                  {"Content-Type: " + file.content_type, "Cache-Control: " + file.cache_control,
                                   "x-amz-checksum-sha256: " + base64_of_hex(file.sha256)}));
  }

  std::optional<std::uint64_t> size_of(const std::string& name) override {
    return http_head(signed_request(name, kEmptySha256, {}));
  }

  void remove(const std::string& name) override { http_delete(signed_request(name, kEmptySha256, {})); }

 private:
  // The SHA-256 of an empty body, for the requests that send none.
  static constexpr const char* kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  // A request for the object `name`, signed by libcurl over `headers` and
  // x-amz-content-sha256, the SHA-256 of the body it sends.
  HttpRequest signed_request(const std::string& name, const std::string& body_sha256,
                             std::vector<std::string> headers) const {
    headers.push_back("x-amz-content-sha256: " + body_sha256);
    return {prefix_url_ + url_path(name), std::move(headers), request_timeout_ms(settings_.timeout_seconds),
            [this](CURL* curl) {
              std::string sigv4 = fmt::format("aws:amz:{}:s3", region_);
              curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4.c_str());
              curl_easy_setopt(curl, CURLOPT_USERNAME, settings_.credentials.username.c_str());
              curl_easy_setopt(curl, CURLOPT_PASSWORD, settings_.credentials.password.c_str());
            }};
  }

  DestinationSettings settings_;
  std::string prefix_url_;
  std::string region_;
};

}  // namespace

std::string s3_prefix_url(const DestinationSettings& settings) {
  std::string rest = settings.url.substr(std::string_view("s3://").size());
  std::string bucket = rest.substr(0, rest.find('/'));
  std::string prefix = rest.size() > bucket.size() + 1 ? rest.substr(bucket.size() + 1) : "";
  if (!prefix.empty() && !prefix.ends_with('/')) prefix += '/';
  std::string region = settings.option("region");
  std::string endpoint = settings.option("endpoint");
  std::string addressing = settings.option("addressing");
  if (bucket.empty()) throw UsageError(fmt::format("destination {:?}: s3:// needs a bucket", settings.name));
  if (region.empty())
    throw UsageError(fmt::format("destination {:?}: an S3 destination needs a region", settings.name));
  // Without an endpoint: AWS, where virtual-host addressing is the default.
  if (addressing.empty()) addressing = endpoint.empty() ? "virtual" : "path";
  if (endpoint.empty()) endpoint = fmt::format("https://s3.{}.amazonaws.com", region);
  if (endpoint.ends_with('/')) endpoint.pop_back();
  auto scheme_end = endpoint.find("://");
  if (scheme_end == std::string::npos) {
    throw UsageError(fmt::format("destination {:?}: endpoint must be a URL", settings.name));
  }
  if (addressing == "path") return fmt::format("{}/{}/{}", endpoint, bucket, prefix);
  if (addressing == "virtual") {
    return fmt::format("{}{}.{}/{}", endpoint.substr(0, scheme_end + 3), bucket, endpoint.substr(scheme_end + 3),
                       prefix);
  }
  throw UsageError(fmt::format("destination {:?}: addressing must be path or virtual", settings.name));
}

std::unique_ptr<Destination> make_s3_destination(const DestinationSettings& settings) {
  return std::make_unique<S3Destination>(settings);
}

}  // namespace crowdfeed
