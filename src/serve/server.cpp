#include "serve/server.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <unordered_map>
#include <variant>

#include "config/checks.h"
#include "policy/thresholds.h"
#include "serve/admission.h"
#include "serve/anonymous_key.h"
#include "serve/answer.h"
#include "serve/authentication.h"
#include "serve/body_budget.h"
#include "serve/community.h"
#include "serve/cross_site.h"
#include "serve/deadlines.h"
#include "serve/listen_address.h"
#include "serve/metrics.h"
#include "serve/taxii.h"
#include "serve/vote_body.h"
#include "serve/vote_writer.h"
#include "serve/voters_cache.h"
#include "util/error.h"
#include "util/log.h"
#include "util/text.h"
#include "votes/sqlite_store.h"
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

// What a request sent, gathered over libmicrohttpd's calls, and who sent it.
struct Request {
  explicit Request(BodyBudget& bodies) : budget(bodies) {}
  ~Request() { budget.release(client, reserved); }
  Request(const Request&) = delete;
  Request& operator=(const Request&) = delete;

  BodyBudget& budget;
  Clock::time_point started = Clock::now();
  std::string route;
  std::string client;  // the key limits and anonymous ids count by
  std::string voter;   // who votes, once authenticated
  std::string body;
  std::size_t reserved = 0;  // bytes of the budget this request holds
  bool too_large = false;
  bool over_budget = false;
  std::optional<Answer> answer;  // decided on the first call, sent on the last
};

std::string route_name(std::string_view url) {
  if (url == "/healthz") return "healthz";
  if (url == "/metrics") return "metrics";
  if (url == "/vote.php" || url == "/vote") return "vote";
  if (url == "/api/v1/votes") return "votes";
  if (url.starts_with("/api/v1/indicators/")) return "indicator";
  if (TaxiiServer::serves(url)) return "taxii";
  if (CommunityPages::serves(url)) return "page";
  return "other";
}

class Server {
 public:
  explicit Server(const VoteServerSettings& config)
      : config_(config),
        writer_([&config] { return open_vote_store(config.votes, StoreAccess::kWrite); },
                static_cast<std::size_t>(config.serve.group_commit)),
        voters_([&config] { return open_vote_store(config.votes, StoreAccess::kRead)->voters(); }, kVotersRefresh),
        admission_(config.serve, metrics_),
        bodies_(static_cast<std::size_t>(config.serve.max_buffered_bytes),
                static_cast<std::size_t>(config.serve.max_body_bytes)),
        deadlines_(std::chrono::seconds(config.serve.timeout_seconds)),
        // The key also makes the pseudonymous ids of disputes filed without
        // signing in, so it is read whether anonymous voting is on or not.
        authentication_(config.serve, voters_, metrics_, anonymous_key(config.anonymous_key_file)),
        community_(
            {config.serve, config.votes, config.policy, config.feeds, config.whitelist, config.state_dir,
             config.serve.feeds_dir, config.cluster_output, anonymous_key(config.anonymous_key_file)},
            voters_, metrics_,
            [this](const std::string& voter, std::string_view vote, const std::string& value) {
              return cast_from_page(voter, vote, value);
            },
            [this](const std::string& client) { return authentication_.anonymous_id(client); }),
        taxii_(config.feeds, config.serve.feeds_dir, config.serve.public_url, voters_, metrics_) {}

  // No exception may cross libmicrohttpd's C code: one that escapes a
  // request is logged and answered with 500, and the server goes on.
  static MHD_Result handle(void* self, MHD_Connection* connection, const char* url, const char* method,
                           const char* /*version*/, const char* upload, std::size_t* upload_size, void** state) {
    try {
      return static_cast<Server*>(self)->on_request(connection, url, method, upload, upload_size, state);
    } catch (const std::exception& error) {
      log::error("a request failed: {}", printable(error.what(), 500));
    } catch (...) {
      log::error("a request failed");
    }
    *upload_size = 0;
    return send(connection, error_answer(MHD_HTTP_INTERNAL_SERVER_ERROR, "the request failed on the server"));
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
  // libmicrohttpd calls this once when the headers are in, then once per
  // piece of the body, then once more with nothing. Everything that decides
  // whether the request may cost anything (its client, its rate, its
  // origin, its token, its size) is decided on the first call, before a
  // byte of the body is read; a refusal then closes the connection.
  MHD_Result on_request(MHD_Connection* connection, const char* url, const char* method, const char* upload,
                        std::size_t* upload_size, void** state) {
    if (*state == nullptr) {
      auto request = std::make_unique<Request>(bodies_);
      request->route = route_name(url);
      Request& started = *request;
      *state = request.release();
      if (std::optional<Answer> answer = before_body(connection, url, method, started)) {
        // A refusal of a request with a body goes now, and libmicrohttpd
        // closes the connection without reading the body. Any other answer
        // goes on the last call: answered on the first, libmicrohttpd would
        // close a keep-alive connection too.
        if (has_body(connection)) {
          Deadlines::answering(tracked(connection));
          return finish(connection, started, *answer);
        }
        started.answer = std::move(answer);
      }
      return MHD_YES;  // the body (if any) comes next
    }
    Request& request = *static_cast<Request*>(*state);
    if (*upload_size > 0) {
      // libmicrohttpd (0.9.75) takes no answer while a body arrives: a body
      // that does not fit is dropped as it comes, and refused at its end.
      if (!request.answer) receive(request, std::string_view(upload, *upload_size));
      *upload_size = 0;
      return MHD_YES;
    }
    Deadlines::answering(tracked(connection));
    Answer answer;
    if (request.answer) {
      answer = std::move(*request.answer);
    } else if (request.too_large) {
      answer = body_too_large();
    } else if (request.over_budget) {
      answer = over_budget_answer();
    } else if (request.route == "page" || request.route == "indicator") {
      answer = community_.answer(connection, url, method, request.client, request.body);
    } else if (request.route == "votes" && !request.voter.empty()) {
      answer = vote_by_json(request);
    } else {
      // Only a vote batch's body comes this far with a voter: anything else
      // is a routing mistake, and stores nothing.
      log::error("a request to {} reached the vote batch without a voter", printable(url, 100));
      answer = error_answer(MHD_HTTP_INTERNAL_SERVER_ERROR, "the request failed on the server");
    }
    return finish(connection, request, answer);
  }

  // Whether the request announces a body (a length above 0, or chunks).
  static bool has_body(MHD_Connection* connection) {
    if (header(connection, "Transfer-Encoding")) return true;
    auto length = header(connection, "Content-Length");
    return length && length->find_first_not_of("0 \t") != std::string_view::npos;
  }

  // A piece of the body, kept while it fits the request's limit and the
  // budget of all bodies.
  void receive(Request& request, std::string_view piece) {
    if (request.too_large || request.over_budget) return;
    if (request.body.size() + piece.size() > static_cast<std::size_t>(config_.serve.max_body_bytes)) {
      request.too_large = true;
      request.body = std::string();
      return;
    }
    const std::size_t needed = request.body.size() + piece.size();
    if (needed > request.reserved) {
      if (!bodies_.reserve(request.client, needed - request.reserved)) {
        request.over_budget = true;
        request.body = std::string();
        return;
      }
      request.reserved = needed;
    }
    request.body.append(piece);
  }

  MHD_Result finish(MHD_Connection* connection, const Request& request, const Answer& answer) {
    std::chrono::duration<double> took = Clock::now() - request.started;
    metrics_.request(request.route, answer.status, took.count());
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

  // The answer of every request but a vote batch's, whose body is still to
  // come; for that one, its checks, and nullopt when the body may be read.
  std::optional<Answer> before_body(MHD_Connection* connection, std::string_view url, std::string_view method,
                                    Request& request) {
    // HEAD is a GET without its body, for the routes that only read.
    auto only = [&](std::string_view allowed, bool reads = true) -> std::optional<Answer> {
      if (method == allowed || (reads && allowed == "GET" && method == "HEAD")) return std::nullopt;
      Answer answer =
          error_answer(MHD_HTTP_METHOD_NOT_ALLOWED, fmt::format("{} takes {} only", printable(url, 100), allowed));
      answer.headers.emplace_back("Allow", std::string(allowed));
      return answer;
    };
    const std::string& route = request.route;
    if (route == "healthz") return only("GET").value_or(json_answer(MHD_HTTP_OK, {{"status", "ok"}}));
    if (route == "metrics") {
      if (auto refused = only("GET")) return refused;
      std::string text = metrics_.text(bodies_.used());
      try {
        text += community_.metrics_text();
      } catch (const Error& error) {
        log::error("metrics: cannot count the disputes: {}", error.what());
      }
      return Answer{MHD_HTTP_OK, std::move(text), "text/plain; version=0.0.4", {}};
    }
    if (route == "other") {
      return error_answer(MHD_HTTP_NOT_FOUND, fmt::format("no such resource: {}", printable(url, 100)));
    }
    const bool votes = route == "vote" || route == "votes";
    const bool pages = route == "indicator" || route == "page";  // their methods are theirs to check
    if (!pages) {
      if (auto refused = only(route == "votes" ? "POST" : "GET", !votes)) return refused;
    }

    // Who asks, and whether they may ask now: before any other work.
    Authentication::Client client = authentication_.identify(connection);
    if (!client.problem.empty()) {
      if (votes) metrics_.refused("invalid");
      return error_answer(MHD_HTTP_BAD_REQUEST, client.problem);
    }
    request.client = client.key;
    if (auto limited = admission_.admit_address(request.client, votes ? 1 : 0)) return limited;
    if (route == "taxii") return taxii_.answer(connection, url);
    if (pages) {
      if (!CommunityPages::takes_body(url, method))
        return community_.answer(connection, url, method, request.client, "");
      return body_announced_too_large(connection);
    }

    if (auto refused = authentication_.from_another_site(connection)) return refused;
    if (route == "votes") {
      auto type = header(connection, "Content-Type");
      if (!type || !is_json_content_type(*type)) {
        metrics_.refused("invalid");
        return error_answer(MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "votes are sent as JSON: Content-Type: application/json");
      }
    }
    auto voter = authentication_.voter_of(connection, request.client, route == "vote");
    if (auto* refused = std::get_if<Answer>(&voter)) return *refused;
    request.voter = std::get<std::string>(std::move(voter));
    if (route == "vote") return vote_by_query(connection, request);

    return body_announced_too_large(connection);
  }

  // The body's size, announced: refused before it is read. Its memory is
  // reserved as it arrives (see receive()): an announcement holds none.
  std::optional<Answer> body_announced_too_large(MHD_Connection* connection) {
    if (auto length = header(connection, "Content-Length")) {
      std::uint64_t announced = 0;
      auto [end, error] = std::from_chars(length->data(), length->data() + length->size(), announced);
      if (error != std::errc() || end != length->data() + length->size()) {
        return error_answer(MHD_HTTP_BAD_REQUEST, "Content-Length is not a number");
      }
      if (announced > static_cast<std::uint64_t>(config_.serve.max_body_bytes)) return body_too_large();
    }
    return std::nullopt;
  }

  // A vote from the indicator page: the API's rules and limits; why not,
  // or an empty string.
  std::string cast_from_page(const std::string& voter, std::string_view vote_text, const std::string& value) {
    auto parsed = parse_vote(vote_text, value, "", voter);
    if (auto* invalid = std::get_if<std::string>(&parsed)) {
      metrics_.refused("invalid");
      return *invalid;
    }
    const std::int64_t day = admission_.today();
    if (auto refused = admission_.admit_votes(voter, 1, day)) return refused->body;
    if (auto failed = store({std::get<Vote>(std::move(parsed))}, day))
      return "the votes store is unavailable; try again";
    return {};
  }

  static Answer over_budget_answer() {
    return busy(
        "the server holds as many request bodies as serve.max_buffered_bytes allows (for all clients, or "
        "a quarter of it for one)");
  }

  Answer body_too_large() {
    metrics_.refused("invalid");
    return error_answer(kContentTooLarge,
                        fmt::format("the body is larger than serve.max_body_bytes ({})", config_.serve.max_body_bytes));
  }

  static Answer busy(std::string_view message) {
    Answer answer = error_answer(MHD_HTTP_SERVICE_UNAVAILABLE, fmt::format("{}; try again", message));
    answer.headers.emplace_back("Retry-After", "1");
    return answer;
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

  // Stores the votes counted against the voter's cap on `day`; when the
  // store is away, the cap is given back and the answer says to retry.
  std::optional<Answer> store(std::vector<Vote> votes, std::int64_t day) {
    const std::size_t count = votes.size();
    const std::string voter = votes.front().voter;
    try {
      writer_.write(std::move(votes));
    } catch (const Error& error) {
      admission_.give_back(voter, count, day);
      metrics_.refused("store_unavailable", count);
      log::error("votes not stored: {}", error.what());
      Answer answer = error_answer(MHD_HTTP_SERVICE_UNAVAILABLE, "the votes store is unavailable; try again");
      answer.headers.emplace_back("Retry-After", "5");
      return answer;
    }
    metrics_.accepted(count);
    return std::nullopt;
  }

  Answer vote_by_query(MHD_Connection* connection, const Request& request) {
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
    auto parsed = parse_vote(arguments["vote"], arguments["value"], arguments["type"], request.voter);
    if (auto* invalid = std::get_if<std::string>(&parsed)) {
      metrics_.refused("invalid");
      return error_answer(MHD_HTTP_BAD_REQUEST, *invalid);
    }
    const std::int64_t day = admission_.today();
    if (auto refused = admission_.admit_votes(request.voter, 1, day)) return *refused;
    Vote vote = std::get<Vote>(parsed);
    json stored = {{"value", vote.indicator},
                   {"type", type_name(vote.type)},
                   {"vote", static_cast<int>(vote.verdict)},
                   {"voter", vote.voter}};
    if (auto failed = store({std::move(vote)}, day)) return *failed;
    return json_answer(MHD_HTTP_OK, {{"stored", 1}, {"votes", json::array({stored})}});
  }

  Answer vote_by_json(const Request& request) {
    auto parsed = parse_vote_body(request.body, static_cast<std::size_t>(config_.serve.max_batch));
    if (auto* refused = std::get_if<VoteBodyError>(&parsed)) {
      metrics_.refused("invalid");
      return error_answer(refused->too_many ? kContentTooLarge : MHD_HTTP_BAD_REQUEST, refused->message);
    }
    const std::vector<VoteFields>& sent = std::get<VoteBody>(parsed).votes;
    std::vector<Vote> votes;
    json errors = json::array();
    for (std::size_t i = 0; i < sent.size(); ++i) {
      const VoteFields& fields = sent[i];
      std::variant<Vote, std::string> result = fields.problem;
      if (fields.problem.empty()) {
        result =
            parse_vote(fields.vote.value_or(""), fields.value.value_or(""), fields.type.value_or(""), request.voter);
      }
      if (auto* problem = std::get_if<std::string>(&result)) {
        errors.push_back({{"index", i}, {"error", *problem}});
      } else {
        votes.push_back(std::move(std::get<Vote>(result)));
      }
    }
    if (!errors.empty()) {
      metrics_.refused("invalid", sent.size());
      return error_answer(MHD_HTTP_BAD_REQUEST,
                          fmt::format("{} of {} votes are invalid; none was stored", errors.size(), sent.size()),
                          {{"errors", errors}});
    }
    const std::size_t count = votes.size();
    const std::int64_t day = admission_.today();
    if (auto refused = admission_.admit_votes(request.voter, count, day)) return *refused;
    if (auto failed = store(std::move(votes), day)) return *failed;
    return json_answer(MHD_HTTP_OK, {{"stored", count}, {"voter", request.voter}});
  }

  const VoteServerSettings& config_;
  VoteWriter writer_;
  VotersCache voters_;
  Admission admission_;
  BodyBudget bodies_;
  ServeMetrics metrics_;
  Deadlines deadlines_;
  Authentication authentication_;
  CommunityPages community_;
  TaxiiServer taxii_;
};

}  // namespace

void serve_votes(const VoteServerSettings& config, const std::atomic<bool>& stop) {
  socklen_t length = 0;
  sockaddr_storage address = listen_address(config.serve.listen, length);
  SqliteVoteStore::tune_for_threads();
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
            configured_store(config.votes).backend == "sqlite" ? config.votes.database.string() : "PostgreSQL");
  while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  log::info("stopping: the connections close, queued votes are committed");
  MHD_stop_daemon(daemon);
}

void validate(const ServeSettings& serve) {
  auto at_least = [](std::string_view key, double value, double minimum) {
    require_at_least(fmt::format("serve.{}", key), value, minimum);
  };
  at_least("max_batch", serve.max_batch, 1);
  at_least("max_body_bytes", serve.max_body_bytes, 1024);
  at_least("voter_rate", serve.voter_rate, 0.001);
  at_least("voter_burst", serve.voter_burst, 1);
  at_least("address_rate", serve.address_rate, 0.001);
  at_least("address_burst", serve.address_burst, 1);
  at_least("daily_cap", serve.daily_cap, 1);
  at_least("max_connections", serve.max_connections, 1);
  at_least("connections_per_address", serve.connections_per_address, 1);
  at_least("timeout_seconds", serve.timeout_seconds, 1);
  at_least("group_commit", serve.group_commit, 1);
  at_least("ipv6_prefix", serve.ipv6_prefix, 32);
  if (serve.ipv6_prefix > 128) throw UsageError("serve.ipv6_prefix must be at most 128");
  at_least("session_hours", serve.session_hours, 1);
  at_least("dispute_rate", serve.dispute_rate, 0.001);
  at_least("dispute_burst", serve.dispute_burst, 1);
  at_least("max_open_disputes", serve.max_open_disputes, 1);
  if (!serve.public_url.empty()) {
    require_web_address("serve.public_url", serve.public_url);
    if (serve.public_url.back() == '/') throw UsageError("serve.public_url must not end with /");
  }
  if (serve.max_buffered_bytes < serve.max_body_bytes) {
    throw UsageError(fmt::format("serve.max_buffered_bytes ({}) must be at least serve.max_body_bytes ({})",
                                 serve.max_buffered_bytes, serve.max_body_bytes));
  }
}

}  // namespace crowdfeed
