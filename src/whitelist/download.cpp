#include "whitelist/download.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "util/atomic_file.h"
#include "util/error.h"
#include "util/file_stem.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

constexpr curl_off_t kMaxDownloadBytes = curl_off_t{1} << 30;  // 1 GiB: larger is not a domain list

nlohmann::json read_meta(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return nlohmann::json::object();
  auto meta = nlohmann::json::parse(in, nullptr, false);
  return meta.is_object() ? meta : nlohmann::json::object();
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* body) {
  static_cast<std::string*>(body)->append(data, size * count);
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

std::optional<std::string> DownloadedList::download(int timeout_seconds) const {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw Error("cannot initialise libcurl");
  std::string body;
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl.get(), CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, static_cast<long>(timeout_seconds));
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 30L);
  curl_easy_setopt(curl.get(), CURLOPT_MAXFILESIZE_LARGE, kMaxDownloadBytes);
  curl_easy_setopt(curl.get(), CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "crowdfeed/" CROWDFEED_VERSION);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);

  // Conditional request: only when the last good copy is still on disk.
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, &curl_slist_free_all);
  nlohmann::json meta = read_meta(meta_path_);
  if (fs::exists(body_path_) && meta.value("url", "") == url_) {
    if (auto etag = meta.value("etag", ""); !etag.empty()) {
      headers.reset(curl_slist_append(headers.release(), ("If-None-Match: " + etag).c_str()));
    }
    if (auto modified = meta.value("last_modified", ""); !modified.empty()) {
      headers.reset(curl_slist_append(headers.release(), ("If-Modified-Since: " + modified).c_str()));
    }
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  }

  CURLcode result = curl_easy_perform(curl.get());
  if (result != CURLE_OK) {
    throw Error(fmt::format("download of {} failed: {}", url_, *error != '\0' ? error : curl_easy_strerror(result)));
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status == 304) return std::nullopt;
  if (status != 200) throw Error(fmt::format("download of {} failed: HTTP status {}", url_, status));
  etag_ = response_header(curl.get(), "ETag");
  last_modified_ = response_header(curl.get(), "Last-Modified");
  return body;
}

std::optional<std::string> DownloadedList::last_good() const {
  std::ifstream in(body_path_, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::int64_t DownloadedList::last_good_entries() const {
  return read_meta(meta_path_).value("entries", 0);
}

std::string DownloadedList::last_good_time() const {
  return read_meta(meta_path_).value("downloaded_at", "");
}

void DownloadedList::keep(const std::string& body, std::int64_t entries, const std::string& downloaded_at) const {
  fs::create_directories(body_path_.parent_path());
  write_file_atomically(body_path_, body);
  nlohmann::json meta = {{"url", url_},
                         {"etag", etag_},
                         {"last_modified", last_modified_},
                         {"entries", entries},
                         {"downloaded_at", downloaded_at}};
  write_file_atomically(meta_path_, meta.dump(2) + "\n");
}

}  // namespace crowdfeed
