// One HTTP PUT of a file through libcurl, shared by the backends that speak
// HTTP (WebDAV/plain PUT and S3). Classifies failures for the retry loop.
#pragma once

#include <curl/curl.h>

#include <functional>
#include <string>
#include <vector>

#include "publish/destination.h"

namespace crowdfeed {

struct HttpPut {
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  int timeout_seconds = 60;
  // Sets the backend's own options (authentication, signing) on the handle.
  std::function<void(CURL*)> configure;
};

// Streams `file` to `put.url`. 2xx is success; a connection error, a
// timeout, 429 or 5xx throws TransientUploadError; any other status throws
// PermanentUploadError with the server's message. URLs in messages are redacted.
void http_put(const UploadFile& file, const HttpPut& put);

}  // namespace crowdfeed
