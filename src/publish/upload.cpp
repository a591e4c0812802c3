#include "publish/upload.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "config/checks.h"
#include "config/state_layout.h"
#include "feeds/by_hash.h"
#include "feeds/layout.h"
#include "feeds/manifest.h"
#include "publish/destination_state.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/file_stem.h"
#include "util/log.h"
#include "util/safe_path.h"
#include "util/secret_file.h"
#include "util/sha256.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// A by-hash name never changes its content, so caches may keep it.
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";

// The size and SHA-256 of `name` beneath `feeds_dir`, read without
// following a symbolic link.
UploadFile describe_file(const fs::path& feeds_dir, const std::string& name, const std::string& cache_control,
                         std::uint64_t size = 0, std::string sha256 = {}) {
  if (sha256.empty()) {
    FileDescriptor file = open_beneath(feeds_dir, name);
    Sha256 hash;
    char buffer[1 << 16];
    for (ssize_t got; (got = ::read(file.get(), buffer, sizeof buffer)) != 0;) {
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw Error(fmt::format("cannot read {}", (feeds_dir / name).string()));
      hash.update(std::string_view(buffer, static_cast<std::size_t>(got)));
      size += static_cast<std::uint64_t>(got);
    }
    sha256 = hash.hex();
  }
  return {name, feeds_dir, size, std::move(sha256), content_type_for(name), cache_control};
}

// Why the feeds directory's entry `name` is not uploaded, or "".
std::string not_uploadable(const fs::file_status& status, const std::string& name) {
  if (fs::is_symlink(status)) return "it is a symbolic link";
  if (!fs::is_regular_file(status)) return "it is not a regular file";
  if ((status.permissions() & fs::perms::others_read) == fs::perms::none) {
    return "others may not read it (a private file is nobody's feed)";
  }
  if (std::string problem = relative_name_problem(name); !problem.empty()) return "it " + problem;
  return {};
}

// The files outside the manifest: the archive (its hours never change once
// over, so only the current hour's and those the destination lacks are
// read), archive/history.csv and index.html. Only regular files count: a
// symbolic link, or a name that is not a plain relative one, is reported
// and left alone, whatever it points to.
std::vector<UploadFile> history_files(const fs::path& feeds_dir, const Manifest& manifest,
                                      const DestinationState& state, const std::string& cache_control) {
  std::vector<UploadFile> files;
  std::string current_hour = archive_hour_folder(manifest.hour) + "/";
  std::error_code error;
  std::vector<std::string> archived;
  // recursive_directory_iterator does not descend into linked folders.
  for (auto it = fs::recursive_directory_iterator(feeds_dir / kArchiveFolder, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    fs::file_status status = it->symlink_status();
    if (fs::is_directory(status) || it->path().filename().string().starts_with('.')) continue;
    std::string name = it->path().lexically_relative(feeds_dir).generic_string();
    if (std::string problem = not_uploadable(status, name); !problem.empty()) {
      log::warning("not uploading {}: {}", quote_text(it->path().string()), problem);
      continue;
    }
    if (!state.knows(name) || name.starts_with(current_hour) || name == kHistoryCsvName) {
      archived.push_back(std::move(name));
    }
  }
  std::sort(archived.begin(), archived.end());
  for (const auto& name : archived) files.push_back(describe_file(feeds_dir, name, cache_control));
  if (fs::is_regular_file(fs::symlink_status(feeds_dir / kIndexPageName))) {
    files.push_back(describe_file(feeds_dir, std::string(kIndexPageName), cache_control));
  }
  return files;
}

// The files in upload order: the by-hash objects the manifest points to,
// the feed files under their own names, the history, SHA256SUMS, then
// manifest.json; each signature right after the file it signs, so the
// manifest's comes last.
std::vector<UploadFile> files_in_order(const fs::path& feeds_dir, const Manifest& manifest,
                                       const DestinationState& state, const std::string& cache_control) {
  std::vector<UploadFile> files;
  for (const auto& file : manifest.files) {
    UploadFile object =
        describe_file(feeds_dir, by_hash_name(file.sha256), std::string(kImmutable), file.size, file.sha256);
    object.content_type = content_type_for(file.name);
    files.push_back(std::move(object));
  }
  auto add = [&](UploadFile file) {
    std::string signature = signature_name(file.name);
    bool with_signature = is_signed(manifest, file.name);
    files.push_back(std::move(file));
    if (with_signature) files.push_back(describe_file(feeds_dir, signature, cache_control));
  };
  for (const auto& file : manifest.files)
    add(describe_file(feeds_dir, file.name, cache_control, file.size, file.sha256));
  for (auto& file : history_files(feeds_dir, manifest, state, cache_control)) files.push_back(std::move(file));
  add(describe_file(feeds_dir, std::string(kChecksumsName), cache_control));
  add(describe_file(feeds_dir, std::string(kManifestName), cache_control));
  return files;
}

// Runs `request` (one upload, check or deletion), retrying transient
// failures with exponential backoff and full jitter within the
// destination's remaining time. Returns the error, or "" on success.
std::string with_retries(const std::function<void()>& request, const UploadSettings& upload, Clock::time_point deadline,
                         const Credentials& credentials, std::size_t& retries) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  for (int attempt = 1;; ++attempt) {
    try {
      if (Clock::now() >= deadline) {
        return fmt::format("out of time: upload.max_seconds ({} s) for this destination passed", upload.max_seconds);
      }
      request();
      return {};
    } catch (const PermanentUploadError& error) {
      return redact(error.what(), credentials);
    } catch (const TransientUploadError& error) {
      std::string message = redact(error.what(), credentials);
      if (attempt >= upload.max_attempts) return fmt::format("{} (after {} attempts)", message, attempt);
      long long cap = std::min<long long>(upload.max_delay_ms, static_cast<long long>(upload.base_delay_ms)
                                                                   << std::min(attempt - 1, 20));
      auto delay = std::chrono::milliseconds(std::uniform_int_distribution<long long>(0, cap)(random));
      if (Clock::now() + delay >= deadline) return fmt::format("{} (out of time after {} attempts)", message, attempt);
      log::warning("{}; retrying in {} ms", message, delay.count());
      ++retries;
      std::this_thread::sleep_for(delay);
    }
  }
}

std::string environment(const std::string& variable) {
  if (variable.empty()) return {};
  const char* value = std::getenv(variable.c_str());
  return value != nullptr ? value : "";
}

// Secrets from the environment, then the credentials file's table for this
// destination, which must not be readable by others.
Credentials load_credentials(const DestinationConfig& destination, const fs::path& credentials_file) {
  Credentials credentials{environment(destination.username_env), environment(destination.password_env),
                          environment(destination.token_env)};
  if (credentials_file.empty()) return credentials;
  std::string text;
  try {
    text = read_secret_file(credentials_file, "credentials file");
  } catch (const Error& error) {
    throw UsageError(error.what());
  }
  toml::table file;
  try {
    file = toml::parse(text, credentials_file.string());
  } catch (const toml::parse_error& error) {
    // The message could quote a secret: name the line only.
    throw UsageError(fmt::format("{}:{}: not valid TOML", credentials_file.string(), error.source().begin.line));
  }
  if (const toml::table* table = file[destination.name].as_table()) {
    if (auto value = (*table)["username"].value<std::string>()) credentials.username = *value;
    if (auto value = (*table)["password"].value<std::string>()) credentials.password = *value;
    if (auto value = (*table)["token"].value<std::string>()) credentials.token = *value;
  }
  return credentials;
}

}  // namespace

std::string content_type_for(const std::string& name) {
  if (name.ends_with(".gz")) return "application/gzip";
  if (name.ends_with(".stix.json")) return "application/stix+json;version=2.1";
  if (name.ends_with(".json")) return "application/json";
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  return "text/plain; charset=utf-8";
}

std::string redact(std::string text, const Credentials& credentials) {
  for (const std::string* secret : {&credentials.password, &credentials.token}) {
    if (secret->empty()) continue;
    for (auto at = text.find(*secret); at != std::string::npos; at = text.find(*secret, at)) {
      text.replace(at, secret->size(), "REDACTED");
    }
  }
  return safe_message(text);
}

DestinationOutcome sync_destination(Destination& destination, const DestinationSettings& settings,
                                    const UploadSettings& upload, const fs::path& feeds_dir,
                                    const fs::path& state_file) {
  DestinationOutcome outcome;
  outcome.name = settings.name;
  std::optional<Manifest> manifest = read_manifest(feeds_dir / kManifestName);
  if (!manifest) throw Error(fmt::format("no readable {} in {}; nothing to upload", kManifestName, feeds_dir.string()));
  // upload.max_seconds bounds the whole destination, each request included.
  auto deadline = Clock::now() + std::chrono::seconds(upload.max_seconds);
  destination.set_deadline(deadline);
  DestinationState state = DestinationState::load(state_file, settings.url);
  // Whatever happens below, what was done is remembered.
  struct SaveOnExit {
    DestinationState& state;
    ~SaveOnExit() {
      try {
        state.save();
      } catch (const std::exception& error) {
        log::warning("{}", error.what());
      }
    }
  } save_on_exit{state};

  // Deletes what the feeds directory no longer has, among `names`. A
  // failed deletion is tried again by the next run. The names come from
  // the state file, which only keeps plain relative names.
  auto remove_gone = [&](const std::vector<std::string>& names) {
    for (const auto& name : names) {
      std::string error =
          with_retries([&] { destination.remove(name); }, upload, deadline, settings.credentials, outcome.retries);
      if (!error.empty()) {
        log::warning("destination {:?}: could not delete {}: {}", settings.name, quote_text(name), error);
        continue;
      }
      state.deleted(name);
      ++outcome.deleted;
    }
  };
  // A signature no longer published (signing stopped, or a file no longer
  // signed) goes first: its file may change in this upload, and the
  // signature would then contradict it until the upload completes.
  std::vector<std::string> gone_signatures;
  for (auto& name : state.gone_from(feeds_dir)) {
    if (name.ends_with(kSignatureSuffix)) gone_signatures.push_back(std::move(name));
  }
  remove_gone(gone_signatures);

  std::vector<UploadFile> files = files_in_order(feeds_dir, *manifest, state, upload.cache_control);
  log::Progress progress(fmt::format("uploading to {}", settings.name), files.size(), "files");
  for (std::size_t done = 0; done < files.size(); ++done) {
    const UploadFile& file = files[done];
    progress.update_coarse(done);
    if (state.holds(file)) {
      ++outcome.unchanged;
      continue;
    }
    outcome.error = with_retries(
        [&] {
          // A by-hash object of the right size is the right object: the state
          // file may be new or lost, the destination still has it.
          if (is_by_hash_name(file.name) && destination.size_of(file.name) == file.size) {
            ++outcome.unchanged;
            return;
          }
          destination.put(file);
          ++outcome.uploaded;
        },
        upload, deadline, settings.credentials, outcome.retries);
    if (!outcome.error.empty()) return outcome;  // SHA256SUMS and the manifest wait for the next run
    state.record(file);
  }
  progress.finish();
  outcome.current = true;

  // Only now, with the manifest in place, may the rest of what the feeds
  // directory no longer has go.
  remove_gone(state.gone_from(feeds_dir));
  return outcome;
}

std::vector<DestinationOutcome> upload_everywhere(const UploadSettings& upload,
                                                  const std::vector<DestinationConfig>& destinations,
                                                  const fs::path& feeds_dir, const StateLayout& state) {
  // libcurl's global state is set up once, before the threads start.
  static const CURLcode curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (curl_ready != CURLE_OK) throw Error(fmt::format("cannot initialise libcurl: {}", curl_easy_strerror(curl_ready)));
  std::vector<DestinationOutcome> outcomes(destinations.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < destinations.size(); ++i) {
    threads.emplace_back([&, i] {
      const DestinationConfig& destination = destinations[i];
      outcomes[i].name = destination.name;
      Credentials credentials;
      try {
        credentials = load_credentials(destination, upload.credentials_file);
        DestinationSettings settings{destination.name,
                                     destination.url,
                                     {{"auth", destination.auth},
                                      {"region", destination.region},
                                      {"endpoint", destination.endpoint},
                                      {"addressing", destination.addressing},
                                      {"key", destination.key},
                                      {"known_hosts", destination.known_hosts},
                                      {"host_key_sha256", destination.host_key_sha256}},
                                     credentials,
                                     upload.timeout_seconds};
        std::unique_ptr<Destination> backend = make_destination(settings);
        outcomes[i] = sync_destination(*backend, settings, upload, feeds_dir,
                                       state.destination_state(file_stem_for(destination.name)));
      } catch (const std::exception& error) {
        outcomes[i].error = redact(error.what(), credentials);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  return outcomes;
}

void validate(const UploadSettings& upload, const std::vector<DestinationConfig>& destinations) {
  if (upload.max_attempts < 1) throw UsageError("upload.max_attempts must be at least 1");
  if (upload.base_delay_ms < 0 || upload.max_delay_ms < upload.base_delay_ms) {
    throw UsageError("upload.base_delay_ms must be between 0 and upload.max_delay_ms");
  }
  if (upload.max_seconds < 1 || upload.timeout_seconds < 1) {
    throw UsageError("upload.max_seconds and upload.timeout_seconds must be positive");
  }
  require_one_line("upload.cache_control", upload.cache_control);
  std::set<std::string> names;
  for (const auto& destination : destinations) {
    if (destination.name.empty()) throw UsageError("a destination has an empty name");
    require_one_line("destination name", destination.name);
    if (!names.insert(destination.name).second) {
      throw UsageError(fmt::format("destination name {:?} is used twice", destination.name));
    }
  }
}

}  // namespace crowdfeed
