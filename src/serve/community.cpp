#include "serve/community.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <unordered_map>

#include "cluster/outputs.h"
#include "community/account.h"
#include "community/allow_list.h"
#include "feeds/build.h"
#include "feeds/settings.h"
#include "indicator/indicator.h"
#include "serve/authentication.h"
#include "serve/cross_site.h"
#include "serve/pages.h"
#include "util/error.h"
#include "util/log.h"
#include "util/text.h"
#include "votes/stores.h"
#include "whitelist/load.h"

namespace crowdfeed {

namespace fs = std::filesystem;

namespace {

using nlohmann::json;

// How often the refresher looks for a new publish.
constexpr auto kRefreshEvery = std::chrono::seconds(2);
// Read connections the pages keep open at most (see serve/store_pool.h).
constexpr std::size_t kPageStores = 16;
// The clustered reports an indicator's page lists at most.
constexpr std::size_t kShownReports = 20;

constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'";

// The fields of an application/x-www-form-urlencoded body (or a query),
// each decoded by libmicrohttpd; a field given twice keeps its first value.
std::map<std::string, std::string> form_fields(std::string_view body) {
  std::map<std::string, std::string> fields;
  while (!body.empty()) {
    std::string_view pair = body.substr(0, body.find('&'));
    body.remove_prefix(std::min(body.size(), pair.size() + 1));
    std::string_view name = pair.substr(0, pair.find('='));
    std::string_view value = name.size() < pair.size() ? pair.substr(name.size() + 1) : std::string_view();
    auto decode = [](std::string_view text) {
      std::string decoded(text);
      std::replace(decoded.begin(), decoded.end(), '+', ' ');
      decoded.resize(MHD_http_unescape(decoded.data()));
      return decoded;
    };
    fields.emplace(decode(name), decode(value));
  }
  return fields;
}

std::string query_value(MHD_Connection* connection, const char* name) {
  const char* value = MHD_lookup_connection_value(connection, MHD_GET_ARGUMENT_KIND, name);
  return value == nullptr ? std::string() : std::string(value);
}

std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id < 1) return std::nullopt;
  return id;
}

Answer redirect(std::string location, unsigned status = MHD_HTTP_SEE_OTHER) {
  Answer answer{status, {}, "text/plain; charset=utf-8", {}};
  answer.headers.emplace_back("Location", std::move(location));
  return answer;
}

}  // namespace

struct CommunityPages::Snapshot {
  std::string identity;  // inputs_identity() when it was read
  PublishedFeeds published;
  std::unique_ptr<LoadedWhitelist> whitelist;
  std::unique_ptr<FeedBuilder> placer;
  // The clustered reports naming each indicator (at most kShownReports).
  std::unordered_map<std::string, std::vector<ClusteredReport>> reports;
};

// Who asks: their session (a new one when the browser brought none) and,
// when signed in, as whom.
struct CommunityPages::Caller {
  std::string session;
  bool new_session = false;
  std::optional<Sessions::SignedIn> signed_in;
  Visitor visitor;
};

CommunityPages::CommunityPages(CommunitySettings settings, VotersCache& voters, ServeMetrics& metrics, CastVote cast,
                               AnonymousId anonymous)
    : settings_(std::move(settings)),
      voters_(voters),
      metrics_(metrics),
      cast_(std::move(cast)),
      anonymous_(std::move(anonymous)),
      sessions_(std::chrono::hours(settings_.serve.session_hours), settings_.serve.public_url.starts_with("https://")),
      dispute_limiter_(settings_.serve.dispute_rate / 3600.0, settings_.serve.dispute_burst),
      readers_([this] { return open_vote_store(settings_.votes, StoreAccess::kRead); }, kPageStores),
      snapshot_(first_snapshot()),
      refresher_([this] { refresh_until_stopped(); }) {}

CommunityPages::~CommunityPages() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  refresher_.join();
}

std::string CommunityPages::inputs_identity() const {
  std::string identity = published_manifest_sha256(settings_.feeds_dir);
  if (!settings_.cluster_output.empty()) {
    std::error_code error;
    const fs::path maltego = settings_.cluster_output / "maltego.csv";
    const auto size = fs::file_size(maltego, error);
    const auto written = fs::last_write_time(maltego, error);
    if (!error) identity += fmt::format(" {} {}", size, written.time_since_epoch().count());
  }
  return identity;
}

std::shared_ptr<const CommunityPages::Snapshot> CommunityPages::load_snapshot(const std::string& identity) const {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->identity = identity;
  if (!settings_.cluster_output.empty() && fs::exists(settings_.cluster_output / "maltego.csv")) {
    for_each_clustered_link(settings_.cluster_output, [&](const std::string& indicator, ClusteredReport&& report) {
      std::vector<ClusteredReport>& reports = snapshot->reports[indicator];
      if (reports.size() < kShownReports) reports.push_back(std::move(report));
    });
  }
  const std::vector<FeedSpec> feeds = feed_set(settings_.feeds);
  snapshot->published = read_published_feeds(settings_.feeds_dir, feeds);
  // The whitelist as the last run read it (its last good copies), without
  // downloading; the allow-list is read with each request.
  snapshot->whitelist = std::make_unique<LoadedWhitelist>(load_whitelist(
      settings_.whitelist, settings_.state_dir, now_utc(), {.download = false, .keep = false, .only = {}}));
  snapshot->placer = std::make_unique<FeedBuilder>(settings_.policy, snapshot->whitelist->whitelist, feeds, now_utc());
  return snapshot;
}

// The published feeds as the server starts; when they cannot be read, an
// empty snapshot (the pages say nothing is published) that the refresher
// replaces as soon as they can: the vote API starts whatever the feeds
// directory holds.
std::shared_ptr<const CommunityPages::Snapshot> CommunityPages::first_snapshot() const {
  try {
    return load_snapshot(inputs_identity());
  } catch (const std::exception& error) {
    log::error("pages: cannot read the published feeds (retrying every {} s): {}", kRefreshEvery.count(),
               printable(error.what(), 500));
  }
  auto empty = std::make_shared<Snapshot>();
  empty->identity = "unread";
  empty->whitelist = std::make_unique<LoadedWhitelist>(LoadedWhitelist{Whitelist(), {}});
  empty->placer = std::make_unique<FeedBuilder>(settings_.policy, empty->whitelist->whitelist,
                                                feed_set(settings_.feeds), now_utc());
  return empty;
}

std::shared_ptr<const CommunityPages::Snapshot> CommunityPages::snapshot() {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

void CommunityPages::refresh_until_stopped() {
  std::unique_lock lock(stop_mutex_);
  while (!stop_.wait_for(lock, kRefreshEvery, [this] { return stopping_; })) {
    lock.unlock();
    try {
      std::string identity = inputs_identity();
      if (identity != snapshot()->identity) {
        auto fresh = load_snapshot(identity);
        std::lock_guard swap(snapshot_mutex_);
        snapshot_ = std::move(fresh);
        log::info("pages: read the feeds published as version {}", format_version(snapshot_->published.version));
      }
    } catch (const std::exception& error) {
      log::error("pages: cannot read the published feeds (the pages keep the last ones): {}",
                 printable(error.what(), 500));
    }
    lock.lock();
  }
}

bool CommunityPages::serves(std::string_view url) {
  return url == "/" || url == "/search" || url.starts_with("/indicator/") || url == "/domain.php" || url == "/ip.php" ||
         url == "/hash.php" || url == "/disputes" || url.starts_with("/disputes/") || url == "/signin" ||
         url == "/signout" || url == "/moderation" || url.starts_with("/moderation/") || url == "/static/style.css" ||
         url == "/api/v1/summary" || url == "/api/v1/disputes" || url.starts_with("/api/v1/disputes/") ||
         url.starts_with("/api/v1/indicators/");
}

bool CommunityPages::takes_body(std::string_view url, std::string_view method) {
  if (method != "POST") return false;
  return url == "/api/v1/disputes" || url == "/disputes" || url == "/signin" || url == "/signout" ||
         (url.starts_with("/indicator/") && url.ends_with("/vote")) || url.starts_with("/moderation/");
}

CommunityPages::Caller CommunityPages::caller_of(MHD_Connection* connection) {
  Caller caller;
  const char* cookie = MHD_lookup_connection_value(connection, MHD_COOKIE_KIND, Sessions::kCookieName.data());
  if (cookie != nullptr && Sessions::well_formed(cookie)) {
    caller.session = cookie;
    caller.signed_in = sessions_.find(caller.session, now_utc());
    // A voter revoked since signing in (or whose role changed) is signed
    // out within the voters cache's refresh, whatever the session says.
    if (caller.signed_in) {
      std::optional<std::string> role = voters_.role_of(caller.signed_in->voter);
      if (!role) {
        sessions_.sign_out(caller.session);
        caller.signed_in.reset();
      } else {
        caller.signed_in->role = *role;
      }
    }
  } else {
    caller.session = Sessions::new_id();
    caller.new_session = true;
  }
  caller.visitor.csrf = sessions_.csrf_token(caller.session);
  if (caller.signed_in) {
    caller.visitor.voter = caller.signed_in->voter;
    caller.visitor.role = caller.signed_in->role;
  }
  caller.visitor.anonymous_voting = settings_.serve.anonymous;
  return caller;
}

Answer CommunityPages::page(const Caller& caller, unsigned status, std::string_view title,
                            std::string_view main) const {
  Answer answer{status, render_page(title, caller.visitor, main), "text/html; charset=utf-8", {}};
  if (caller.new_session) answer.headers.emplace_back("Set-Cookie", sessions_.cookie(caller.session));
  return answer;
}

std::string CommunityPages::pseudonym(const std::string& voter) const {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned length = 0;
  const std::string message = "pseudonym:" + voter;
  HMAC(EVP_sha256(), settings_.pseudonym_key.data(), static_cast<int>(settings_.pseudonym_key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest.data(), &length);
  std::string id = "v-";
  for (unsigned i = 0; i < 6 && i < length; ++i) id += fmt::format("{:02x}", digest[i]);
  return id;
}

Answer CommunityPages::answer(MHD_Connection* connection, std::string_view url, std::string_view method,
                              const std::string& client, const std::string& body) {
  Caller caller = caller_of(connection);
  auto add_headers = [&](Answer answer) {
    answer.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
    answer.headers.emplace_back("X-Frame-Options", "DENY");
    answer.headers.emplace_back("Referrer-Policy", "same-origin");
    return answer;
  };
  try {
    if (method == "POST" && takes_body(url, method)) return add_headers(post(caller, url, connection, client, body));
    if (method != "GET" && method != "HEAD") {
      const bool form = takes_body(url, "POST");
      Answer refused =
          error_answer(MHD_HTTP_METHOD_NOT_ALLOWED, form ? "this address takes POST" : "this page takes GET or HEAD");
      refused.headers.emplace_back("Allow", form ? "POST" : "GET, HEAD");
      return add_headers(refused);
    }
    if (takes_body(url, "POST") && url != "/api/v1/disputes" && url != "/signin") {
      Answer refused = error_answer(MHD_HTTP_METHOD_NOT_ALLOWED, "this address takes POST");
      refused.headers.emplace_back("Allow", "POST");
      return add_headers(refused);
    }
    return add_headers(get(caller, url, connection));
  } catch (const Error& error) {
    log::error("pages: {}", printable(error.what(), 500));
    Answer busy = url.starts_with("/api/")
                      ? error_answer(MHD_HTTP_SERVICE_UNAVAILABLE, "the votes store is unavailable; try again")
                      : page(caller, MHD_HTTP_SERVICE_UNAVAILABLE, "Unavailable",
                             message_main("Unavailable", "The votes store is unavailable; try again."));
    busy.headers.emplace_back("Retry-After", "5");
    return add_headers(busy);
  }
}

Answer CommunityPages::get(const Caller& caller, std::string_view url, MHD_Connection* connection) {
  const TimePoint now = now_utc();
  if (url == "/static/style.css") {
    Answer answer{MHD_HTTP_OK, std::string(style_sheet()), "text/css; charset=utf-8", {}};
    return answer;
  }
  // The seed's shapes, and the search box, lead to the indicator's page.
  for (const auto& [path, parameter] : {std::pair{"/domain.php", "domain"}, {"/ip.php", "ip"}, {"/hash.php", "hash"}}) {
    if (url == path) return redirect(indicator_path(query_value(connection, parameter)), MHD_HTTP_MOVED_PERMANENTLY);
  }
  if (url == "/search") {
    std::string wanted = query_value(connection, "q");
    NormalisedIndicator indicator = normalise_indicator(wanted);
    if (!indicator.ok()) {
      return page(caller, MHD_HTTP_BAD_REQUEST, "Not an indicator",
                  message_main("Not an indicator", fmt::format("{} {}", printable(wanted, 300), indicator.problem)));
    }
    return redirect(indicator_path(indicator.value));
  }
  if (url.starts_with("/indicator/")) return indicator_page(caller, url.substr(11), false);
  if (url.starts_with("/api/v1/indicators/")) return indicator_page(caller, url.substr(19), true);

  StorePool::Lease store = readers_.borrow();
  auto named = [this](const std::string& voter) { return pseudonym(voter); };
  if (url == "/" || url == "/api/v1/summary") {
    auto shared = snapshot();
    std::vector<Dispute> open = store->disputes({DisputeStatus::kOpen, "", 20});
    DisputeCounts counts = store->dispute_counts();
    if (url == "/") return page(caller, MHD_HTTP_OK, "Home", home_main(shared->published, open, counts, now));
    return json_answer(MHD_HTTP_OK, home_json(shared->published, open, counts, now, named));
  }
  if (url == "/api/v1/disputes") {
    DisputeQuery query{std::nullopt, "", 100};
    if (std::string status = query_value(connection, "status"); !status.empty() && status != "all") {
      query.status = parse_dispute_status(status);
      if (!query.status) return error_answer(MHD_HTTP_BAD_REQUEST, "status must be open, accepted, rejected or all");
    }
    json list = json::array();
    for (const Dispute& dispute : store->disputes(query)) list.push_back(dispute_json(dispute, named));
    return json_answer(MHD_HTTP_OK, {{"disputes", list}});
  }
  if (url == "/disputes/new") {
    return page(
        caller, MHD_HTTP_OK, "Dispute a listing",
        dispute_form_main(query_value(connection, "indicator"), query_value(connection, "kind"), caller.visitor, ""));
  }
  const bool as_json = url.starts_with("/api/v1/disputes/");
  if (as_json || url.starts_with("/disputes/")) {
    auto id = parse_id(url.substr(as_json ? 17 : 10));
    std::optional<Dispute> dispute = id ? store->dispute(*id) : std::nullopt;
    if (!dispute) {
      if (as_json) return error_answer(MHD_HTTP_NOT_FOUND, "no such dispute");
      return page(caller, MHD_HTTP_NOT_FOUND, "No such dispute",
                  message_main("No such dispute", "No dispute has that number."));
    }
    if (as_json) return json_answer(MHD_HTTP_OK, dispute_json(*dispute, named));
    return page(caller, MHD_HTTP_OK, fmt::format("Dispute #{}", dispute->id), dispute_main(*dispute, named));
  }
  if (url == "/signin") return page(caller, MHD_HTTP_OK, "Sign in", sign_in_main(caller.visitor, ""));
  if (url == "/moderation") {
    if (!caller.signed_in) return redirect("/signin");
    if (caller.signed_in->role != "moderator") {
      return page(caller, MHD_HTTP_FORBIDDEN, "Moderators only",
                  message_main("Moderators only", "Only moderators see the queue."));
    }
    std::vector<Dispute> open = store->disputes({DisputeStatus::kOpen, "", 200});
    std::reverse(open.begin(), open.end());
    return page(caller, MHD_HTTP_OK, "Moderation", moderation_main(open, caller.visitor));
  }
  return page(caller, MHD_HTTP_NOT_FOUND, "Not found", message_main("Not found", "There is no such page."));
}

Answer CommunityPages::indicator_page(const Caller& caller, std::string_view value, bool as_json) {
  NormalisedIndicator indicator = normalise_indicator(value);
  if (!indicator.ok()) {
    std::string problem = fmt::format("{} {}", quote_text(printable(value, 300)), indicator.problem);
    if (as_json) return error_answer(MHD_HTTP_BAD_REQUEST, problem);
    return page(caller, MHD_HTTP_BAD_REQUEST, "Not an indicator", message_main("Not an indicator", problem));
  }
  // One address per page: the normalised form's (the API answers any form).
  if (!as_json && indicator.value != value) {
    return redirect(indicator_path(indicator.value), MHD_HTTP_MOVED_PERMANENTLY);
  }
  auto shared = snapshot();
  StorePool::Lease store = readers_.borrow();
  const std::vector<AllowEntry> allowed =
      settings_.votes.tally_query.empty() ? store->allowed(now_utc()) : std::vector<AllowEntry>();
  auto reports = [&shared](const std::string& named) {
    auto found = shared->reports.find(named);
    return found == shared->reports.end() ? std::vector<ClusteredReport>() : found->second;
  };
  IndicatorAccount account =
      account_of({settings_.votes, settings_.policy, &*store, *shared->placer, shared->published, allowed, reports},
                 indicator, now_utc());
  auto named = [this](const std::string& voter) { return pseudonym(voter); };
  if (as_json) return json_answer(MHD_HTTP_OK, account_json(account, named));
  return page(caller, MHD_HTTP_OK, account.value, indicator_main(account, caller.visitor, named));
}

Answer CommunityPages::post(const Caller& caller, std::string_view url, MHD_Connection* connection,
                            const std::string& client, const std::string& body) {
  RequestSource source{header(connection, "Sec-Fetch-Site"), header(connection, "Origin"), header(connection, "Host")};
  if (std::string problem = cross_site_problem(source); !problem.empty()) {
    metrics_.refused("cross_site");
    return error_answer(MHD_HTTP_FORBIDDEN, problem);
  }
  // The JSON API: a content type no other site's page can send unasked.
  if (url == "/api/v1/disputes") {
    auto type = header(connection, "Content-Type");
    if (!type || !is_json_content_type(*type)) {
      return error_answer(MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "disputes are sent as JSON: Content-Type: application/json");
    }
    json sent = json::parse(body, nullptr, false);
    if (!sent.is_object()) return error_answer(MHD_HTTP_BAD_REQUEST, "the body is not a JSON object");
    auto field = [&](const char* name) {
      auto found = sent.find(name);
      return found != sent.end() && found->is_string() ? found->get<std::string>() : std::string();
    };
    return file_dispute(caller, client, field("indicator"), field("kind"), field("reason"), field("contact"), true);
  }
  // A form: only with the CSRF token of the session cookie it came with.
  std::map<std::string, std::string> fields = form_fields(body);
  if (caller.new_session || !sessions_.csrf_matches(caller.session, fields["csrf"])) {
    metrics_.refused("cross_site");
    return page(caller, MHD_HTTP_FORBIDDEN, "Refused",
                message_main("Refused",
                             "This form was not sent from this site's own page, or the page is too old: "
                             "open the page again and resend it."));
  }
  if (url == "/signin") {
    auto known = voters_.find(fields["token"]);
    // A reader's token reads the TAXII collections: it signs in to nothing.
    if (!known || known->role == kReaderRole) {
      metrics_.refused("unauthorised");
      return page(caller, MHD_HTTP_FORBIDDEN, "Sign in",
                  sign_in_main(caller.visitor, "That token is not a voter's, or was revoked."));
    }
    std::string session = sessions_.sign_in(known->name, known->role, now_utc());
    Answer answer = redirect("/");
    answer.headers.emplace_back("Set-Cookie", sessions_.cookie(session));
    return answer;
  }
  if (url == "/signout") {
    sessions_.sign_out(caller.session);
    Answer answer = redirect("/");
    answer.headers.emplace_back("Set-Cookie", sessions_.cookie(Sessions::new_id()));
    return answer;
  }
  if (url == "/disputes") {
    return file_dispute(caller, client, fields["indicator"], fields["kind"], fields["reason"], fields["contact"],
                        false);
  }
  if (url.starts_with("/indicator/") && url.ends_with("/vote")) {
    std::string value(url.substr(11, url.size() - 11 - 5));
    std::string voter;
    if (caller.signed_in) {
      voter = caller.signed_in->voter;
    } else if (settings_.serve.anonymous) {
      voter = anonymous_(client);
    } else {
      return redirect("/signin");
    }
    if (std::string problem = cast_(voter, fields["vote"], value); !problem.empty()) {
      return page(caller, MHD_HTTP_BAD_REQUEST, "Vote not recorded", message_main("Vote not recorded", problem));
    }
    return redirect(indicator_path(value));
  }
  if (url.starts_with("/moderation/")) {
    if (!caller.signed_in || caller.signed_in->role != "moderator") {
      return page(caller, MHD_HTTP_FORBIDDEN, "Moderators only",
                  message_main("Moderators only", "Only moderators decide disputes."));
    }
    auto id = parse_id(url.substr(12));
    if (!id)
      return page(caller, MHD_HTTP_NOT_FOUND, "No such dispute",
                  message_main("No such dispute", "No dispute has that number."));
    const std::string& action = fields["action"];
    if (action != "accept" && action != "reject") {
      return page(caller, MHD_HTTP_BAD_REQUEST, "Refused", message_main("Refused", "action must be accept or reject"));
    }
    if (std::string problem = check_dispute_text(fields["note"], "", "note"); !problem.empty()) {
      return page(caller, MHD_HTTP_BAD_REQUEST, "Refused", message_main("Refused", problem));
    }
    DisputeDecision decision{*id, action == "accept", caller.signed_in->voter, fields["note"], now_utc(), std::nullopt};
    if (!fields["until"].empty()) {
      decision.allow_until = parse_time(fields["until"]);
      if (!decision.allow_until || *decision.allow_until <= decision.at) {
        return page(caller, MHD_HTTP_BAD_REQUEST, "Refused",
                    message_main("Refused", "until must be a time in the future, as 2027-01-01T00:00:00Z"));
      }
    }
    std::unique_ptr<VoteStore> store = open_vote_store(settings_.votes, StoreAccess::kWrite);
    // A moderator revoked since signing in decides nothing.
    bool active = false;
    for (const Voter& voter : store->voters()) {
      active |= voter.name == decision.moderator && voter.role == "moderator" && !voter.revoked_at;
    }
    if (!active) {
      sessions_.sign_out(caller.session);
      return page(caller, MHD_HTTP_FORBIDDEN, "Moderators only",
                  message_main("Moderators only", "Your moderator role was revoked."));
    }
    if (!store->decide_dispute(decision)) {
      return page(caller, MHD_HTTP_CONFLICT, "Decided already",
                  message_main("Decided already", "That dispute is not open."));
    }
    log::info("pages: {} {} dispute {}", decision.moderator, action == "accept" ? "accepted" : "rejected", *id);
    return redirect(fmt::format("/disputes/{}", *id));
  }
  return page(caller, MHD_HTTP_NOT_FOUND, "Not found", message_main("Not found", "There is no such form."));
}

Answer CommunityPages::file_dispute(const Caller& caller, const std::string& client, const std::string& value,
                                    const std::string& kind_text, const std::string& reason, const std::string& contact,
                                    bool as_json) {
  auto refuse = [&](unsigned status, const std::string& problem) {
    if (as_json) return error_answer(status, problem);
    return page(caller, status, "Dispute a listing", dispute_form_main(value, kind_text, caller.visitor, problem));
  };
  if (!settings_.votes.tally_query.empty()) {
    return refuse(MHD_HTTP_SERVICE_UNAVAILABLE,
                  "disputes are off: the feeds come from the site's own tally query (votes.tally_query), which no "
                  "allow-list applies to");
  }
  double retry_after = 0;
  if (!dispute_limiter_.take(client, 1, RateLimiter::Clock::now(), retry_after)) {
    metrics_.limited("dispute");
    Answer answer = refuse(MHD_HTTP_TOO_MANY_REQUESTS, "too many disputes from your address; try again later");
    answer.headers.emplace_back("Retry-After", std::to_string(static_cast<long>(std::ceil(retry_after))));
    return answer;
  }
  NormalisedIndicator indicator = normalise_indicator(value);
  if (!indicator.ok()) {
    return refuse(MHD_HTTP_BAD_REQUEST,
                  fmt::format("indicator {} {}", quote_text(printable(value, 300)), indicator.problem));
  }
  std::optional<DisputeKind> kind = parse_dispute_kind(kind_text);
  if (!kind) return refuse(MHD_HTTP_BAD_REQUEST, "kind must be false_positive or false_negative");
  if (std::string problem = check_dispute_text(reason, contact); !problem.empty()) {
    return refuse(MHD_HTTP_BAD_REQUEST, problem);
  }
  Dispute dispute;
  dispute.indicator = indicator.value;
  dispute.type = indicator.type;
  dispute.kind = *kind;
  dispute.reason = reason;
  dispute.contact = contact;
  dispute.filed_by = caller.signed_in ? caller.signed_in->voter : anonymous_(client);
  dispute.filed_at = now_utc();
  std::optional<std::int64_t> id =
      open_vote_store(settings_.votes, StoreAccess::kWrite)->file_dispute(dispute, settings_.serve.max_open_disputes);
  if (!id) {
    return refuse(MHD_HTTP_CONFLICT,
                  fmt::format("{} has {} open disputes already, or one of yours: follow them on its page",
                              indicator.value, settings_.serve.max_open_disputes));
  }
  log::info("pages: dispute {} filed on {}", *id, indicator.value);
  const std::string location = fmt::format("/disputes/{}", *id);
  if (!as_json) return redirect(location);
  Answer answer = json_answer(MHD_HTTP_CREATED, {{"id", *id}, {"url", location}, {"status", "open"}});
  answer.headers.emplace_back("Location", location);
  return answer;
}

std::string CommunityPages::metrics_text() {
  DisputeCounts counts = readers_.borrow()->dispute_counts();
  std::string text = "# HELP crowdfeed_disputes Disputes by status.\n# TYPE crowdfeed_disputes gauge\n";
  text += fmt::format("crowdfeed_disputes{{status=\"open\"}} {}\n", counts.open);
  text += fmt::format("crowdfeed_disputes{{status=\"accepted\"}} {}\n", counts.accepted);
  text += fmt::format("crowdfeed_disputes{{status=\"rejected\"}} {}\n", counts.rejected);
  text += fmt::format(
      "# HELP crowdfeed_disputes_filed_total Disputes filed.\n# TYPE crowdfeed_disputes_filed_total "
      "counter\ncrowdfeed_disputes_filed_total {}\n",
      counts.filed);
  text +=
      "# HELP crowdfeed_dispute_correction_seconds From a dispute's filing to the publish that corrected it.\n"
      "# TYPE crowdfeed_dispute_correction_seconds summary\n";
  std::int64_t sum = 0;
  for (std::int64_t seconds : counts.seconds_to_correction) sum += seconds;
  text += fmt::format("crowdfeed_dispute_correction_seconds{{quantile=\"0.5\"}} {}\n",
                      counts.seconds_to_correction_at(0.5));
  text += fmt::format("crowdfeed_dispute_correction_seconds{{quantile=\"0.9\"}} {}\n",
                      counts.seconds_to_correction_at(0.9));
  text += fmt::format("crowdfeed_dispute_correction_seconds_sum {}\ncrowdfeed_dispute_correction_seconds_count {}\n",
                      sum, counts.seconds_to_correction.size());
  return text;
}

}  // namespace crowdfeed
