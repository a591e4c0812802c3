#include "serve/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <shared_mutex>
#include <thread>
#include <variant>

#include "policy/thresholds.h"
#include "serve/rate_limit.h"
#include "serve/tokens.h"
#include "serve/vote_writer.h"
#include "util/error.h"
#include "util/log.h"
#include "util/text.h"
#include "votes/stores.h"
#include "votes/tally_query.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// How often the voters and their tokens are read again: a revocation takes
// effect within this.
constexpr auto kVotersRefresh = std::chrono::seconds(1);
constexpr unsigned kContentTooLarge = 413;
constexpr std::array<double, 11> kLatencyBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};

// An answer: a status, a JSON (or text) body and extra headers.
struct Answer {
  unsigned status = MHD_HTTP_OK;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

Answer json_answer(unsigned status, const json& body) {
  return {status, body.dump() + "\n", "application/json", {}};
}

Answer error_answer(unsigned status, std::string_view message, const json& detail = json::object()) {
  json body = {{"error", message}};
  for (const auto& [key, value] : detail.items()) body[key] = value;
  return json_answer(status, body);
}

// The Prometheus figures of the server.
class Metrics {
 public:
  void request(const std::string& route, unsigned status, double seconds) {
    std::lock_guard lock(mutex_);
    ++requests_[{route, status}];
    std::size_t bucket = 0;
    while (bucket < kLatencyBuckets.size() && seconds > kLatencyBuckets[bucket]) ++bucket;
    ++latency_[bucket];
    latency_sum_ += seconds;
    ++latency_count_;
  }
  void accepted(std::size_t votes) {
    std::lock_guard lock(mutex_);
    accepted_ += votes;
  }
  void refused(const std::string& reason, std::size_t votes = 1) {
    std::lock_guard lock(mutex_);
    refused_[reason] += votes;
  }
  void limited(const std::string& scope) {
    std::lock_guard lock(mutex_);
    ++limited_[scope];
  }
  std::string text() {
    std::lock_guard lock(mutex_);
    std::string out =
        "# HELP crowdfeed_serve_requests_total HTTP requests answered, by route and status.\n"
        "# TYPE crowdfeed_serve_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
      out += fmt::format("crowdfeed_serve_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first, key.second,
                         count);
    }
    out += fmt::format(
        "# HELP crowdfeed_serve_votes_accepted_total Votes stored.\n"
        "# TYPE crowdfeed_serve_votes_accepted_total counter\n"
        "crowdfeed_serve_votes_accepted_total {}\n"
        "# HELP crowdfeed_serve_votes_refused_total Votes refused, by reason.\n"
        "# TYPE crowdfeed_serve_votes_refused_total counter\n",
        accepted_);
    for (const auto& [reason, count] : refused_) {
      out += fmt::format("crowdfeed_serve_votes_refused_total{{reason=\"{}\"}} {}\n", reason, count);
    }
    out +=
        "# HELP crowdfeed_serve_rate_limited_total Requests refused by a rate limit or the daily cap, by scope.\n"
        "# TYPE crowdfeed_serve_rate_limited_total counter\n";
    for (const auto& [scope, count] : limited_) {
      out += fmt::format("crowdfeed_serve_rate_limited_total{{scope=\"{}\"}} {}\n", scope, count);
    }
    out +=
        "# HELP crowdfeed_serve_request_seconds Time from a request's arrival to its answer.\n"
        "# TYPE crowdfeed_serve_request_seconds histogram\n";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      cumulative += latency_[i];
      out += fmt::format("crowdfeed_serve_request_seconds_bucket{{le=\"{}\"}} {}\n", kLatencyBuckets[i], cumulative);
    }
    out += fmt::format(
        "crowdfeed_serve_request_seconds_bucket{{le=\"+Inf\"}} {}\n"
        "crowdfeed_serve_request_seconds_sum {}\n"
        "crowdfeed_serve_request_seconds_count {}\n",
        latency_count_, latency_sum_, latency_count_);
    return out;
  }

 private:
  std::mutex mutex_;
  std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;
  std::uint64_t accepted_ = 0;
  std::map<std::string, std::uint64_t> refused_;
  std::map<std::string, std::uint64_t> limited_;
  std::array<std::uint64_t, kLatencyBuckets.size() + 1> latency_{};
  double latency_sum_ = 0;
  std::uint64_t latency_count_ = 0;
};

// The key of the anonymous voters' hashes: 32 random bytes in the state
// directory, made once (0600) and kept, so that an address is the same
// anonymous voter from run to run, and no one without the file can tell
// which address a voter id stands for.
std::string anonymous_key(const fs::path& state_dir) {
  fs::create_directories(state_dir);
  const fs::path path = state_dir / "serve-anonymous.key";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    std::array<unsigned char, 32> key{};
    bool written = RAND_bytes(key.data(), key.size()) == 1 && ::write(fd, key.data(), key.size()) == 32;
    ::close(fd);
    if (!written) {
      fs::remove(path);
      throw Error(fmt::format("cannot write {}", path.string()));
    }
  }
  std::ifstream in(path, std::ios::binary);
  std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (key.size() != 32) throw Error(fmt::format("{} is not a 32-byte key; delete it to make a new one", path.string()));
  return key;
}

// The voters and their tokens' hashes, read again from the database every
// kVotersRefresh, so that `crowdfeed voters revoke` takes effect.
class Voters {
 public:
  struct Known {
    std::string name;
    std::string role;
  };
  explicit Voters(const Config& config) : config_(config) { refresh(); }
  // The voter whose token this is, if any (not revoked).
  std::optional<Known> find(std::string_view token) {
    if (Clock::now() - refreshed_.load() > kVotersRefresh) refresh();
    const std::string hash = token_sha256(token);
    std::shared_lock lock(mutex_);
    auto found = by_hash_.find(hash);
    // The map compares hashes, not tokens; the last check is constant-time.
    if (found == by_hash_.end() || !same_secret(found->first, hash)) return std::nullopt;
    return found->second;
  }

 private:
  void refresh() {
    std::lock_guard refreshing(refreshing_);
    if (Clock::now() - refreshed_.load() <= kVotersRefresh) return;  // another thread just did
    std::map<std::string, Known> fresh;
    try {
      for (const auto& voter : open_vote_store(config_, StoreAccess::kRead)->voters()) {
        if (!voter.revoked_at) fresh.emplace(voter.token_sha256, Known{voter.name, voter.role});
      }
    } catch (const Error& error) {
      log::warning("cannot read the voters: {}", error.what());
      return;  // keep the last list; try again on the next request
    }
    std::unique_lock lock(mutex_);
    by_hash_ = std::move(fresh);
    refreshed_ = Clock::now();
  }

  const Config& config_;
  std::mutex refreshing_;
  std::shared_mutex mutex_;
  std::map<std::string, Known> by_hash_;
  std::atomic<Clock::time_point> refreshed_{Clock::time_point{}};
};

// libmicrohttpd's timeout counts idle time only: a client that sends a byte
// a second keeps its connection (and, one thread a connection, a thread)
// for ever. Each connection here has a deadline to deliver a whole request
// (from its start, or the end of its last request): a watchdog shuts the
// socket down when it passes, and libmicrohttpd then closes it.
class Deadlines {
 public:
  struct Tracked {
    Tracked(int socket, std::int64_t until) : fd(socket), deadline(until) {}
    int fd;
    std::atomic<std::int64_t> deadline;  // steady-clock nanoseconds; kNone while a request is answered
  };
  static constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::max();

  explicit Deadlines(std::chrono::seconds limit) : limit_(limit), watchdog_([this] { watch(); }) {}
  ~Deadlines() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    watchdog_.join();
  }
  Deadlines(const Deadlines&) = delete;
  Deadlines& operator=(const Deadlines&) = delete;

  Tracked* start(int fd) {
    auto tracked = std::make_unique<Tracked>(fd, from_now());
    Tracked* raw = tracked.get();
    std::lock_guard lock(mutex_);
    tracked_.emplace(raw, std::move(tracked));
    return raw;
  }
  void close(Tracked* tracked) {
    std::lock_guard lock(mutex_);
    tracked_.erase(tracked);
  }
  static void answering(Tracked* tracked) {
    if (tracked != nullptr) tracked->deadline = kNone;
  }
  void next_request(Tracked* tracked) const {
    if (tracked != nullptr) tracked->deadline = from_now();
  }

 private:
  std::int64_t from_now() const { return (Clock::now() + limit_).time_since_epoch().count(); }
  void watch() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::milliseconds(250), [&] { return stopping_; })) {
      std::int64_t now = Clock::now().time_since_epoch().count();
      for (auto& [raw, tracked] : tracked_) {
        if (tracked->deadline.load() < now) {
          ::shutdown(tracked->fd, SHUT_RDWR);
          tracked->deadline = kNone;
        }
      }
    }
  }

  std::chrono::seconds limit_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<Tracked*, std::unique_ptr<Tracked>> tracked_;
  std::thread watchdog_;  // last: starts once the rest is ready
};

// What a request sent, gathered over libmicrohttpd's calls.
struct Request {
  Clock::time_point started = Clock::now();
  std::string body;
  bool too_large = false;
};

class Server {
 public:
  explicit Server(const Config& config)
      : config_(config),
        writer_([&config] { return open_vote_store(config, StoreAccess::kWrite); },
                static_cast<std::size_t>(config.serve.group_commit)),
        voters_(config),
        by_voter_(config.serve.voter_rate, config.serve.voter_burst),
        by_address_(config.serve.address_rate, config.serve.address_burst),
        deadlines_(std::chrono::seconds(config.serve.timeout_seconds)) {
    if (config.serve.anonymous) anonymous_key_ = anonymous_key(config.state_dir);
  }

  static MHD_Result handle(void* self, MHD_Connection* connection, const char* url, const char* method,
                           const char* /*version*/, const char* upload, std::size_t* upload_size, void** state) {
    return static_cast<Server*>(self)->on_request(connection, url, method, upload, upload_size, state);
  }
  static void completed(void* self, MHD_Connection* connection, void** state, MHD_RequestTerminationCode) {
    delete static_cast<Request*>(*state);
    *state = nullptr;
    static_cast<Server*>(self)->deadlines_.next_request(tracked(connection));
  }
  static void connection_event(void* self, MHD_Connection* connection, void** socket_context,
                               MHD_ConnectionNotificationCode code) {
    Deadlines& deadlines = static_cast<Server*>(self)->deadlines_;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
      const MHD_ConnectionInfo* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
      *socket_context = info == nullptr ? nullptr : deadlines.start(info->connect_fd);
    } else if (*socket_context != nullptr) {
      deadlines.close(static_cast<Deadlines::Tracked*>(*socket_context));
      *socket_context = nullptr;
    }
  }

 private:
  MHD_Result on_request(MHD_Connection* connection, const char* url, const char* method, const char* upload,
                        std::size_t* upload_size, void** state) {
    if (*state == nullptr) {
      *state = new Request();
      // A body announced larger than allowed is refused before it is read.
      const char* length = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Content-Length");
      if (length != nullptr &&
          std::strtoull(length, nullptr, 10) > static_cast<std::uint64_t>(config_.serve.max_body_bytes)) {
        Answer answer = error_answer(kContentTooLarge, fmt::format("the body is larger than serve.max_body_bytes ({})",
                                                                   config_.serve.max_body_bytes));
        metrics_.request(std::string_view(url) == "/api/v1/votes" ? "votes" : "other", answer.status, 0);
        return send(connection, answer);
      }
      return MHD_YES;  // the headers are in; the body (if any) comes next
    }
    Request& request = *static_cast<Request*>(*state);
    if (*upload_size > 0) {
      if (request.body.size() + *upload_size > static_cast<std::size_t>(config_.serve.max_body_bytes)) {
        request.too_large = true;
      } else {
        request.body.append(upload, *upload_size);
      }
      *upload_size = 0;
      return MHD_YES;
    }
    Deadlines::answering(tracked(connection));
    std::string route;
    Answer answer = route_request(connection, url, method, request, route);
    std::chrono::duration<double> took = Clock::now() - request.started;
    metrics_.request(route, answer.status, took.count());
    return send(connection, answer);
  }

  static Deadlines::Tracked* tracked(MHD_Connection* connection) {
    const MHD_ConnectionInfo* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info == nullptr ? nullptr : static_cast<Deadlines::Tracked*>(info->socket_context);
  }

  static MHD_Result send(MHD_Connection* connection, const Answer& answer) {
    MHD_Response* response = MHD_create_response_from_buffer(answer.body.size(), const_cast<char*>(answer.body.data()),
                                                             MHD_RESPMEM_MUST_COPY);
    if (response == nullptr) return MHD_NO;
    MHD_add_response_header(response, "Content-Type", answer.content_type.c_str());
    MHD_add_response_header(response, "Cache-Control", "no-store");
    MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
    for (const auto& [name, value] : answer.headers) MHD_add_response_header(response, name.c_str(), value.c_str());
    MHD_Result queued = MHD_queue_response(connection, answer.status, response);
    MHD_destroy_response(response);
    return queued;
  }

  Answer route_request(MHD_Connection* connection, std::string_view url, std::string_view method, Request& request,
                       std::string& route) {
    // HEAD is a GET without its body, for the routes that only read.
    auto only = [&](std::string_view allowed, bool reads = true) -> std::optional<Answer> {
      if (method == allowed || (reads && allowed == "GET" && method == "HEAD")) return std::nullopt;
      Answer answer =
          error_answer(MHD_HTTP_METHOD_NOT_ALLOWED, fmt::format("{} takes {} only", printable(url, 100), allowed));
      answer.headers.emplace_back("Allow", std::string(allowed));
      return answer;
    };
    if (url == "/healthz") {
      route = "healthz";
      if (auto refused = only("GET")) return *refused;
      return json_answer(MHD_HTTP_OK, {{"status", "ok"}});
    }
    if (url == "/metrics") {
      route = "metrics";
      if (auto refused = only("GET")) return *refused;
      return {MHD_HTTP_OK, metrics_.text(), "text/plain; version=0.0.4", {}};
    }
    if (url == "/vote.php" || url == "/vote") {
      route = "vote";
      if (auto refused = only("GET", false)) return *refused;
      return vote_by_query(connection, client_address(connection));
    }
    if (url == "/api/v1/votes") {
      route = "votes";
      if (auto refused = only("POST")) return *refused;
      const std::string address = client_address(connection);
      if (auto limited = admit_address(address, 0)) return *limited;
      if (request.too_large) {
        return error_answer(kContentTooLarge, fmt::format("the body is larger than serve.max_body_bytes ({})",
                                                          config_.serve.max_body_bytes));
      }
      return vote_by_json(connection, address, request.body);
    }
    if (url.starts_with("/api/v1/indicators/")) {
      route = "indicator";
      if (auto refused = only("GET")) return *refused;
      if (auto limited = admit_address(client_address(connection), 0)) return *limited;
      return indicator(url.substr(std::string_view("/api/v1/indicators/").size()));
    }
    route = "other";
    return error_answer(MHD_HTTP_NOT_FOUND, fmt::format("no such resource: {}", printable(url, 100)));
  }

  // The client's address: the connection's, or, from a trusted proxy, the
  // last address of X-Forwarded-For that is not itself a trusted proxy.
  std::string client_address(MHD_Connection* connection) {
    const MHD_ConnectionInfo* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    std::string address = "unknown";
    if (info != nullptr && info->client_addr != nullptr) {
      std::array<char, INET6_ADDRSTRLEN> text{};
      const sockaddr* peer = info->client_addr;
      const void* raw = peer->sa_family == AF_INET6
                            ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in6*>(peer)->sin6_addr)
                            : static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(peer)->sin_addr);
      if (inet_ntop(peer->sa_family, raw, text.data(), text.size()) != nullptr) address = text.data();
    }
    auto trusted = [&](std::string_view candidate) {
      return std::find(config_.serve.trusted_proxies.begin(), config_.serve.trusted_proxies.end(), candidate) !=
             config_.serve.trusted_proxies.end();
    };
    if (!trusted(address)) return address;
    const char* forwarded = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "X-Forwarded-For");
    if (forwarded == nullptr) return address;
    std::string_view list = forwarded;
    while (!list.empty()) {
      auto comma = list.rfind(',');
      std::string_view last = comma == std::string_view::npos ? list : list.substr(comma + 1);
      while (!last.empty() && last.front() == ' ') last.remove_prefix(1);
      while (!last.empty() && last.back() == ' ') last.remove_suffix(1);
      if (!trusted(last)) return last.empty() ? address : std::string(last);
      if (comma == std::string_view::npos) break;
      list = list.substr(0, comma);
    }
    return address;
  }

  // Who votes: the voter of the request's token, or, in anonymous mode and
  // without a token, a keyed hash of its address. An answer instead when
  // the request may not vote.
  struct Caller {
    std::string voter;
    std::optional<Answer> refused;
  };
  Caller caller(MHD_Connection* connection, const std::string& address) {
    std::string token;
    if (const char* bearer = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Authorization")) {
      std::string_view value = bearer;
      if (!value.starts_with("Bearer ")) {
        return {{}, error_answer(MHD_HTTP_UNAUTHORIZED, "Authorization takes \"Bearer TOKEN\"")};
      }
      token = value.substr(7);
    } else if (const char* key = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "X-API-Key")) {
      token = key;
    }
    if (token.empty()) {
      if (!config_.serve.anonymous) {
        Answer answer = error_answer(MHD_HTTP_UNAUTHORIZED,
                                     "a token is needed (Authorization: Bearer TOKEN, or X-API-Key: TOKEN); "
                                     "anonymous voting is off");
        answer.headers.emplace_back("WWW-Authenticate", "Bearer");
        return {{}, answer};
      }
      std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
      unsigned length = 0;
      HMAC(EVP_sha256(), anonymous_key_.data(), static_cast<int>(anonymous_key_.size()),
           reinterpret_cast<const unsigned char*>(address.data()), address.size(), digest.data(), &length);
      std::string voter(kAnonymousVoterPrefix);
      for (unsigned i = 0; i < 16 && i < length; ++i) voter += fmt::format("{:02x}", digest[i]);
      return {voter, std::nullopt};
    }
    auto known = voters_.find(token);
    if (!known) {
      return {{}, error_answer(MHD_HTTP_FORBIDDEN, "the token is not a voter's, or was revoked")};
    }
    return {known->name, std::nullopt};
  }

  static Answer too_many(std::string_view message, double retry_after) {
    Answer answer = error_answer(MHD_HTTP_TOO_MANY_REQUESTS, message);
    answer.headers.emplace_back("Retry-After", fmt::format("{}", static_cast<long>(std::ceil(retry_after))));
    return answer;
  }

  // The first check of a request that reads or writes the store, before
  // anything else is done for it: its address's rate.
  std::optional<Answer> admit_address(const std::string& address, std::size_t votes) {
    double retry_after = 0;
    if (by_address_.take(address, 1, Clock::now(), retry_after)) return std::nullopt;
    metrics_.limited("address");
    if (votes > 0) metrics_.refused("rate_limited", votes);
    return too_many("too many requests from this address (serve.address_rate)", retry_after);
  }

  // Who votes (see caller()), or the answer that refuses the request.
  std::optional<Answer> authenticate(MHD_Connection* connection, const std::string& address, std::size_t votes,
                                     std::string& voter) {
    Caller who = caller(connection, address);
    if (who.refused) {
      metrics_.refused("unauthorised", votes);
      return who.refused;
    }
    voter = who.voter;
    return std::nullopt;
  }

  // The voter's rate and daily cap, charged for valid votes only, before
  // they go to the store.
  std::optional<Answer> admit_votes(const std::string& voter, std::size_t votes) {
    double retry_after = 0;
    if (!by_voter_.take(voter, static_cast<double>(votes), Clock::now(), retry_after)) {
      metrics_.limited("voter");
      metrics_.refused("rate_limited", votes);
      if (retry_after < 0) {
        return error_answer(MHD_HTTP_BAD_REQUEST,
                            fmt::format("{} votes at once is more than serve.voter_burst allows", votes));
      }
      return too_many("too many votes from this voter (serve.voter_rate)", retry_after);
    }
    if (!count_today(voter, votes)) {
      metrics_.limited("daily_cap");
      metrics_.refused("daily_cap", votes);
      auto now = std::chrono::system_clock::now();
      auto midnight = std::chrono::floor<std::chrono::days>(now) + std::chrono::days(1);
      return too_many(fmt::format("this voter cast its {} votes of the day (serve.daily_cap)", config_.serve.daily_cap),
                      std::chrono::duration<double>(midnight - now).count());
    }
    return std::nullopt;
  }

  // Counts `votes` against the voter's daily cap (a UTC day, held in
  // memory: a restart forgets it); false when they would exceed it.
  bool count_today(const std::string& voter, std::size_t votes) {
    auto day = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()).time_since_epoch().count();
    std::lock_guard lock(daily_mutex_);
    if (day != daily_day_) {
      daily_.clear();
      daily_day_ = day;
    }
    std::uint64_t& count = daily_[voter];
    if (count + votes > static_cast<std::uint64_t>(config_.serve.daily_cap)) return false;
    count += votes;
    return true;
  }

  // One vote as the API states it, normalised; an error naming the field
  // and the rule otherwise.
  std::variant<Vote, std::string> parse_vote(std::string_view vote_text, std::string_view value,
                                             std::string_view type_text, const std::string& voter) {
    std::optional<Verdict> verdict;
    if (vote_text == "0") verdict = Verdict::kMalicious;
    if (vote_text == "1") verdict = Verdict::kNonMalicious;
    if (!verdict) return fmt::format("vote must be 0 (malicious) or 1 (non-malicious), not {}", quote_text(vote_text));
    if (value.empty()) return std::string("value (the indicator) is missing");
    std::optional<IndicatorType> type;
    if (!type_text.empty()) {
      type = parse_indicator_type(type_text);
      if (!type)
        return fmt::format("type must be domain, ipv4, ipv6, md5, sha1 or sha256, not {}", quote_text(type_text));
    }
    NormalisedIndicator indicator = normalise_indicator(value, type);
    if (!indicator.ok()) return fmt::format("value {} {}", quote_text(printable(value, 300)), indicator.problem);
    return Vote{indicator.value, *verdict, voter, now_utc(), indicator.type};
  }

  Answer store(std::vector<Vote> votes) {
    std::size_t count = votes.size();
    try {
      writer_.write(std::move(votes));
    } catch (const Error& error) {
      metrics_.refused("store_unavailable", count);
      log::error("votes not stored: {}", error.what());
      Answer answer = error_answer(MHD_HTTP_SERVICE_UNAVAILABLE, "the votes store is unavailable; try again");
      answer.headers.emplace_back("Retry-After", "5");
      return answer;
    }
    metrics_.accepted(count);
    return {};
  }

  Answer vote_by_query(MHD_Connection* connection, const std::string& address) {
    if (auto limited = admit_address(address, 1)) return *limited;
    std::string voter;
    if (auto refused = authenticate(connection, address, 1, voter)) return *refused;
    // Each parameter once, and whole: libmicrohttpd decodes %00 into a
    // NUL, which would end a C string early.
    std::map<std::string, std::string> arguments;
    std::string problem;
    auto collect = [](void* context, MHD_ValueKind, const char* key, std::size_t key_size, const char* value,
                      std::size_t value_size) -> MHD_Result {
      auto& [found, trouble] = *static_cast<std::pair<std::map<std::string, std::string>*, std::string*>*>(context);
      std::string name(key, key_size);
      std::string_view text = value == nullptr ? std::string_view() : std::string_view(value, value_size);
      if (name == "vote" || name == "value" || name == "type") {
        if (text.find('\0') != std::string_view::npos) {
          *trouble = fmt::format("{} contains a NUL character (%00)", name);
        } else if (!found->emplace(name, std::string(text)).second) {
          *trouble = fmt::format("{} is given more than once", name);
        }
      }
      return MHD_YES;
    };
    std::pair<std::map<std::string, std::string>*, std::string*> context{&arguments, &problem};
    MHD_get_connection_values_n(connection, MHD_GET_ARGUMENT_KIND, collect, &context);
    if (!problem.empty()) {
      metrics_.refused("invalid");
      return error_answer(MHD_HTTP_BAD_REQUEST, problem);
    }
    auto parsed = parse_vote(arguments["vote"], arguments["value"], arguments["type"], voter);
    if (auto* invalid = std::get_if<std::string>(&parsed)) {
      metrics_.refused("invalid");
      return error_answer(MHD_HTTP_BAD_REQUEST, *invalid);
    }
    if (auto refused = admit_votes(voter, 1)) return *refused;
    Vote vote = std::get<Vote>(parsed);
    json stored = {{"value", vote.indicator},
                   {"type", type_name(vote.type)},
                   {"vote", static_cast<int>(vote.verdict)},
                   {"voter", vote.voter}};
    Answer failed = store({std::move(vote)});
    if (failed.status != MHD_HTTP_OK) return failed;
    return json_answer(MHD_HTTP_OK, {{"stored", 1}, {"votes", json::array({stored})}});
  }

  Answer vote_by_json(MHD_Connection* connection, const std::string& address, const std::string& body) {
    std::string voter;
    if (auto refused = authenticate(connection, address, 0, voter)) return *refused;
    json parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded()) return error_answer(MHD_HTTP_BAD_REQUEST, "the body is not JSON");
    if (parsed.is_object()) parsed = json::array({parsed});
    if (!parsed.is_array() || parsed.empty()) {
      return error_answer(MHD_HTTP_BAD_REQUEST, "the body is a vote object or a non-empty array of them");
    }
    if (parsed.size() > static_cast<std::size_t>(config_.serve.max_batch)) {
      return error_answer(kContentTooLarge, fmt::format("{} votes in one request; serve.max_batch is {}", parsed.size(),
                                                        config_.serve.max_batch));
    }
    std::vector<Vote> votes;
    json errors = json::array();
    for (std::size_t i = 0; i < parsed.size(); ++i) {
      const json& item = parsed[i];
      auto text = [&](const char* key) -> std::string {
        if (!item.is_object() || !item.contains(key)) return {};
        const json& field = item[key];
        if (field.is_string()) return field.get<std::string>();
        if (field.is_number_integer()) return field.dump();
        return "\x01";  // neither: refused by the checks below
      };
      auto result = parse_vote(text("vote"), text("value"), text("type"), voter);
      if (!item.is_object()) result = std::string("a vote is an object {\"value\": ..., \"vote\": 0 or 1}");
      if (auto* problem = std::get_if<std::string>(&result)) {
        errors.push_back({{"index", i}, {"error", *problem}});
      } else {
        votes.push_back(std::move(std::get<Vote>(result)));
      }
    }
    if (!errors.empty()) {
      metrics_.refused("invalid", parsed.size());
      return error_answer(MHD_HTTP_BAD_REQUEST,
                          fmt::format("{} of {} votes are invalid; none was stored", errors.size(), parsed.size()),
                          {{"errors", errors}});
    }
    std::size_t count = votes.size();
    if (auto refused = admit_votes(voter, count)) return *refused;
    Answer failed = store(std::move(votes));
    if (failed.status != MHD_HTTP_OK) return failed;
    return json_answer(MHD_HTTP_OK, {{"stored", count}, {"voter", voter}});
  }

  Answer indicator(std::string_view encoded) {
    std::string value(encoded);  // libmicrohttpd decoded the path already
    NormalisedIndicator normalised = normalise_indicator(value);
    if (!normalised.ok()) {
      return error_answer(MHD_HTTP_BAD_REQUEST,
                          fmt::format("{} {}", quote_text(printable(value, 300)), normalised.problem));
    }
    json answer = {{"value", normalised.value}, {"type", type_name(normalised.type)}};
    try {
      // Every vote cast until now: what the next hourly run counts.
      TallyWindow window = tally_window(config_.policy, now_utc());
      window.until = window.now;
      std::optional<Tally> tally = read_tally(config_, window, normalised.value);
      if (!tally) {
        answer["votes"] = {{"malicious", 0},
                           {"non_malicious", 0},
                           {"malicious_weight", 0},
                           {"non_malicious_weight", 0},
                           {"not_counted", 0}};
        answer["verdict"] = nullptr;
        answer["reason"] = "no votes counted";
        return json_answer(MHD_HTTP_OK, answer);
      }
      Decision decision = decide(config_.policy, *tally);
      // Counts only: who voted stays private.
      answer["votes"] = {{"malicious", tally->malicious_votes},
                         {"non_malicious", tally->non_malicious_votes},
                         {"malicious_weight", tally->malicious_votes + tally->malicious_extra_weight},
                         {"non_malicious_weight", tally->non_malicious_votes + tally->non_malicious_extra_weight},
                         {"not_counted", tally->uncounted_votes}};
      answer["verdict"] = decision.verdict ? json(verdict_name(*decision.verdict)) : json(nullptr);
      answer["reason"] = decision.reason;
      answer["note"] = "the hourly feeds also apply the whitelist and the guards; crowdfeed explain shows them";
      return json_answer(MHD_HTTP_OK, answer);
    } catch (const Error& error) {
      log::error("cannot read the tally of {}: {}", normalised.value, error.what());
      return error_answer(MHD_HTTP_SERVICE_UNAVAILABLE, "the votes store is unavailable; try again");
    }
  }

  const Config& config_;
  VoteWriter writer_;
  Voters voters_;
  RateLimiter by_voter_;
  RateLimiter by_address_;
  Metrics metrics_;
  Deadlines deadlines_;
  std::string anonymous_key_;
  std::mutex daily_mutex_;
  std::int64_t daily_day_ = 0;
  std::map<std::string, std::uint64_t> daily_;
};

// "ADDRESS:PORT" (an IPv6 address in brackets) as a socket address.
sockaddr_storage listen_address(const std::string& listen, socklen_t& length) {
  sockaddr_storage address{};
  auto colon = listen.rfind(':');
  if (colon == std::string::npos)
    throw UsageError(fmt::format("serve.listen {} is not ADDRESS:PORT", quote_text(listen)));
  std::string host = listen.substr(0, colon);
  std::string port_text = listen.substr(colon + 1);
  char* end = nullptr;
  long port = std::strtol(port_text.c_str(), &end, 10);
  if (port_text.empty() || *end != '\0' || port < 1 || port > 65535) {
    throw UsageError(fmt::format("serve.listen {}: the port must be 1 to 65535", quote_text(listen)));
  }
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    auto* six = reinterpret_cast<sockaddr_in6*>(&address);
    six->sin6_family = AF_INET6;
    six->sin6_port = htons(static_cast<std::uint16_t>(port));
    if (inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), &six->sin6_addr) != 1) {
      throw UsageError(fmt::format("serve.listen {}: not an IPv6 address", quote_text(listen)));
    }
    length = sizeof(sockaddr_in6);
    return address;
  }
  auto* four = reinterpret_cast<sockaddr_in*>(&address);
  four->sin_family = AF_INET;
  four->sin_port = htons(static_cast<std::uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &four->sin_addr) != 1) {
    throw UsageError(fmt::format("serve.listen {}: not an IPv4 address (or [IPv6])", quote_text(listen)));
  }
  length = sizeof(sockaddr_in);
  return address;
}

}  // namespace

void serve_votes(const Config& config, const std::atomic<bool>& stop) {
  socklen_t length = 0;
  sockaddr_storage address = listen_address(config.serve.listen, length);
  Server server(config);
  const bool six = address.ss_family == AF_INET6;
  // A thread per connection: a request waits for its group's commit
  // without holding up the others (the connection limit bounds the threads).
  MHD_Daemon* daemon = MHD_start_daemon(
      MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | (six ? MHD_USE_IPv6 : 0), 0,
      nullptr, nullptr, &Server::handle, &server, MHD_OPTION_SOCK_ADDR, reinterpret_cast<sockaddr*>(&address),
      MHD_OPTION_CONNECTION_LIMIT, static_cast<unsigned>(config.serve.max_connections),
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, static_cast<unsigned>(config.serve.connections_per_address),
      MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned>(config.serve.timeout_seconds),
      // Headers and the request line fit in 32 KiB or the request is refused.
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<std::size_t>(32 * 1024), MHD_OPTION_NOTIFY_COMPLETED,
      &Server::completed, &server, MHD_OPTION_NOTIFY_CONNECTION, &Server::connection_event, &server, MHD_OPTION_END);
  if (daemon == nullptr) {
    throw Error(fmt::format("cannot listen on {}: {}", config.serve.listen, std::strerror(errno)));
  }
  log::info("serving votes on http://{}/ (votes in {})", config.serve.listen,
            configured_store(config).backend == "sqlite" ? config.database.string() : "PostgreSQL");
  while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  log::info("stopping: the connections close, queued votes are committed");
  MHD_stop_daemon(daemon);
}

}  // namespace crowdfeed
