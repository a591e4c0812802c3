#include "whitelist/download.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "util/atomic_file.h"
#include "util/error.h"
#include "util/file_stem.h"
#include "util/log.h"
#include "util/safe_path.h"
#include "util/state_file.h"
#include "util/version.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

// The body as it arrives, decoded, up to a limit: a compressed or chunked
// answer can be far larger than any Content-Length said.
struct Body {
  std::string text;
  std::size_t max_bytes = 0;
  bool too_large = false;
};

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<Body*>(user);
  if (body->text.size() + size * count > body->max_bytes) {
    body->too_large = true;
    return 0;  // stops the transfer
  }
  body->text.append(data, size * count);
  return size * count;
}

std::string response_header(CURL* curl, const char* name) {
  curl_header* header = nullptr;
  if (curl_easy_header(curl, name, 0, CURLH_HEADER, -1, &header) != CURLHE_OK) return {};
  return header->value;
}

}  // namespace

DownloadedList::DownloadedList(std::string name, std::string url, const fs::path& cache_dir)
    : name_(std::move(name)), url_(std::move(url)) {
  std::string stem = file_stem_for(name_);
  body_path_ = cache_dir / (stem + ".list");
  meta_path_ = cache_dir / (stem + ".json");
}

DownloadedList::Meta DownloadedList::read_meta() const {
  Meta meta;
  read_state_file(meta_path_, [&](const nlohmann::json& json) {
    Meta read;
    read.url = json.at("url").get<std::string>();
    read.etag = json.at("etag").get<std::string>();
    read.last_modified = json.at("last_modified").get<std::string>();
    read.downloaded_at = json.at("downloaded_at").get<std::string>();
    read.entries = bounded_integer(json, "entries", 0, kMaxCount);
    meta = std::move(read);
  });
  return meta;
}

std::optional<std::string> DownloadedList::download(int timeout_seconds, std::int64_t max_bytes) const {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw Error("cannot initialise libcurl");
  Body body{{}, static_cast<std::size_t>(max_bytes), false};
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl.get(), CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, static_cast<long>(timeout_seconds));
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt(curl.get(), CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_bytes));
  curl_easy_setopt(curl.get(), CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
  const std::string user_agent = "crowdfeed/" + program_version();
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);

  // Conditional request: only when the last good copy is still on disk.
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, &curl_slist_free_all);
  Meta meta = read_meta();
  // Validators go into request headers: one line each, nothing else.
  auto header_safe = [](const std::string& value) {
    return value.find_first_of("\r\n") == std::string::npos && value.size() < 1024;
  };
  if (fs::exists(body_path_) && meta.url == url_) {
    if (!meta.etag.empty() && header_safe(meta.etag)) {
      headers.reset(curl_slist_append(headers.release(), ("If-None-Match: " + meta.etag).c_str()));
    }
    if (!meta.last_modified.empty() && header_safe(meta.last_modified)) {
      headers.reset(curl_slist_append(headers.release(), ("If-Modified-Since: " + meta.last_modified).c_str()));
    }
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  }

  CURLcode result = curl_easy_perform(curl.get());
  if (body.too_large || result == CURLE_FILESIZE_EXCEEDED) {
    throw Error(
        fmt::format("download of {} failed: larger than whitelist.max_download_bytes ({} bytes)", url_, max_bytes));
  }
  if (result != CURLE_OK) {
    throw Error(fmt::format("download of {} failed: {}", url_, *error != '\0' ? error : curl_easy_strerror(result)));
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status == 304) return std::nullopt;
  if (status != 200) throw Error(fmt::format("download of {} failed: HTTP status {}", url_, status));
  etag_ = response_header(curl.get(), "ETag");
  last_modified_ = response_header(curl.get(), "Last-Modified");
  return std::move(body.text);
}

std::optional<std::string> DownloadedList::last_good() const {
  try {
    return read_regular_file(body_path_);
  } catch (const Error& error) {
    log::warning("{}", error.what());
    return std::nullopt;
  }
}

std::int64_t DownloadedList::last_good_entries() const {
  return read_meta().entries;
}

std::string DownloadedList::last_good_time() const {
  return read_meta().downloaded_at;
}

void DownloadedList::keep(const std::string& body, std::int64_t entries, const std::string& downloaded_at) const {
  fs::create_directories(body_path_.parent_path());
  write_file_atomically(body_path_, body, kPrivateFile);
  write_state_file(meta_path_, {{"url", url_},
                                {"etag", etag_},
                                {"last_modified", last_modified_},
                                {"entries", entries},
                                {"downloaded_at", downloaded_at}});
}

}  // namespace crowdfeed
