// The HTTP requests of the backends that speak HTTP (WebDAV/plain PUT and
// S3) through libcurl: PUT a file, HEAD and DELETE a name. Each classifies
// failures for the retry loop: a connection error, a timeout, 429 or 5xx
// throws TransientUploadError; any other unexpected status throws
// PermanentUploadError with the server's message. URLs in messages are
// redacted.
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "publish/destination.h"

namespace crowdfeed {

struct HttpRequest {
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  long timeout_ms = 60000;
  // Sets the backend's own options (authentication, signing) on the handle.
  std::function<void(CURL*)> configure;
};

// Streams `file` to `request.url`; 2xx is success.
void http_put(const UploadFile& file, const HttpRequest& request);

// The size of what `request.url` names, or nullopt on 404.
std::optional<std::uint64_t> http_head(const HttpRequest& request);

// Deletes what `request.url` names; 2xx and 404 are success.
void http_delete(const HttpRequest& request);

}  // namespace crowdfeed
