#include "serve/taxii.h"

#include <absl/strings/escaping.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "community/published.h"
#include "feeds/stix.h"
#include "serve/authentication.h"
#include "util/error.h"
#include "util/log.h"
#include "util/text.h"
#include "util/time.h"

namespace crowdfeed {
namespace {

// A TAXII error message (section 3.6.1) in TAXII's media type.
Answer taxii_error(unsigned status, std::string_view title, std::string_view description) {
  nlohmann::json body = {{"title", std::string(title)},
                         {"description", std::string(description)},
                         {"http_status", std::to_string(status)}};
  Answer answer = json_answer(status, body);
  answer.content_type = kTaxiiMediaType;
  return answer;
}

Answer taxii_json(const nlohmann::json& body) {
  Answer answer = json_answer(MHD_HTTP_OK, body);
  answer.content_type = kTaxiiMediaType;
  return answer;
}

std::optional<std::string_view> argument(MHD_Connection* connection, const char* name) {
  const char* value = MHD_lookup_connection_value(connection, MHD_GET_ARGUMENT_KIND, name);
  if (value == nullptr) return std::nullopt;
  return std::string_view(value);
}

std::vector<std::string_view> comma_list(std::string_view text) {
  std::vector<std::string_view> items;
  for (std::size_t start = 0;;) {
    auto comma = text.find(',', start);
    items.push_back(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) return items;
    start = comma + 1;
  }
}

// Whether the Accept header takes TAXII 2.1's media type (or anything).
bool accepts_taxii(MHD_Connection* connection) {
  auto accept = header(connection, "Accept");
  if (!accept || accept->empty()) return true;
  for (std::string_view item : comma_list(*accept)) {
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    std::string type;
    for (char c : item) {
      if (c != ' ') type += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (type == "*/*" || type == "application/*" || type == "application/taxii+json" ||
        type.starts_with("application/taxii+json;version=2.1")) {
      return true;
    }
  }
  return false;
}

// The token of "Authorization: Bearer TOKEN" or "Basic base64(user:TOKEN)";
// empty when there is none or it is malformed.
std::string presented_token(MHD_Connection* connection) {
  auto authorization = header(connection, "Authorization");
  auto parts = authorization ? split_authorization(*authorization) : std::nullopt;
  if (!parts) return {};
  if (equal_ignoring_ascii_case(parts->scheme, "Bearer")) return std::string(parts->credentials);
  if (!equal_ignoring_ascii_case(parts->scheme, "Basic")) return {};
  std::string decoded;
  if (!absl::Base64Unescape(std::string(parts->credentials), &decoded)) return {};
  auto colon = decoded.find(':');
  return colon == std::string::npos ? std::string() : decoded.substr(colon + 1);
}

// The page cursor "next": where the last page ended, as
// base64url("DATE_ADDED ID").
std::string next_token(const StixObjectRef& last) {
  return absl::WebSafeBase64Escape(last.date_added + " " + last.id);
}

// The most values one match[] parameter takes: each costs a comparison
// per object, and a reader must not buy minutes of work with one URL.
constexpr std::size_t kMaxMatchValues = 100;

struct Filters {
  std::optional<std::string> added_after;  // a STIX timestamp
  std::size_t limit = kTaxiiPageSize;
  std::optional<std::pair<std::string, std::string>> after;  // from "next"
  std::set<std::string, std::less<>> ids, types;
  // match[version]: "last", "first" or "all" name the one version held;
  // timestamps name it when it is theirs.
  bool any_version = true;
  std::set<std::string, std::less<>> versions;
  bool spec_version_ok = true;
};

// The query's filters, or the 400 that names the bad one.
std::variant<Filters, Answer> read_filters(MHD_Connection* connection) {
  Filters filters;
  auto bad = [](std::string_view what) { return taxii_error(MHD_HTTP_BAD_REQUEST, "Bad request", what); };
  if (auto text = argument(connection, "added_after")) {
    auto time = parse_time(*text);
    if (!time) return bad(fmt::format("added_after {} is not a timestamp", quote_text(*text)));
    filters.added_after = stix_time(*time);
  }
  if (auto text = argument(connection, "limit")) {
    std::size_t limit = 0;
    auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), limit);
    if (error != std::errc() || end != text->data() + text->size() || limit == 0) {
      return bad(fmt::format("limit {} is not a positive number", quote_text(*text)));
    }
    filters.limit = std::min(limit, kTaxiiPageSize);
  }
  if (auto text = argument(connection, "next")) {
    std::string decoded;
    auto space = std::string::npos;
    if (absl::WebSafeBase64Unescape(std::string(*text), &decoded)) space = decoded.find(' ');
    if (space == std::string::npos) {
      return bad(fmt::format("next {} is not a page this server gave", quote_text(*text)));
    }
    filters.after = std::pair{decoded.substr(0, space), decoded.substr(space + 1)};
  }
  for (auto [name, set] : {std::pair{"match[id]", &filters.ids}, std::pair{"match[type]", &filters.types}}) {
    if (auto text = argument(connection, name)) {
      auto values = comma_list(*text);
      if (values.size() > kMaxMatchValues) return bad(fmt::format("{} takes at most {} values", name, kMaxMatchValues));
      set->insert(values.begin(), values.end());
    }
  }
  if (auto text = argument(connection, "match[version]")) {
    auto values = comma_list(*text);
    if (values.size() > kMaxMatchValues)
      return bad(fmt::format("match[version] takes at most {} values", kMaxMatchValues));
    filters.any_version = false;
    for (std::string_view version : values) {
      if (version == "last" || version == "first" || version == "all") {
        filters.any_version = true;
      } else if (auto time = parse_time(version)) {
        filters.versions.insert(stix_time(*time));
      } else {
        return bad(fmt::format("match[version] {} is neither last, first, all nor a timestamp", quote_text(version)));
      }
    }
  }
  if (auto text = argument(connection, "match[spec_version]")) {
    auto wanted = comma_list(*text);
    filters.spec_version_ok = std::find(wanted.begin(), wanted.end(), "2.1") != wanted.end();
  }
  return filters;
}

bool matches(const StixObjectRef& object, const Filters& filters) {
  if (!filters.ids.empty() && !filters.ids.contains(object.id)) return false;
  if (!filters.types.empty() && !filters.types.contains(object.type)) return false;
  return filters.any_version || filters.versions.contains(object.date_added);
}

// A page of the objects that match: what it holds and whether more follow.
struct Page {
  std::vector<const StixObjectRef*> objects;
  bool more = false;
};

Page page_of(const StixCollection& collection, const Filters& filters) {
  Page page;
  if (!filters.spec_version_ok) return page;
  // Objects are in (date_added, id) order: a page starts after both
  // added_after and the previous page's last object, found by bisection.
  auto begin = collection.objects.begin();
  if (filters.added_after) {
    begin =
        std::upper_bound(begin, collection.objects.end(), *filters.added_after,
                         [](const std::string& time, const StixObjectRef& object) { return time < object.date_added; });
  }
  if (filters.after) {
    begin = std::max(begin, std::upper_bound(collection.objects.begin(), collection.objects.end(), *filters.after,
                                             [](const auto& after, const StixObjectRef& object) {
                                               return std::tie(after.first, after.second) <
                                                      std::tie(object.date_added, object.id);
                                             }));
  }
  for (auto object = begin; object != collection.objects.end(); ++object) {
    if (!matches(*object, filters)) continue;
    if (page.objects.size() == filters.limit) {
      page.more = true;
      break;
    }
    page.objects.push_back(&*object);
  }
  return page;
}

void date_headers(Answer& answer, const Page& page) {
  if (page.objects.empty()) return;
  answer.headers.emplace_back("X-TAXII-Date-Added-First", page.objects.front()->date_added);
  answer.headers.emplace_back("X-TAXII-Date-Added-Last", page.objects.back()->date_added);
}

}  // namespace

TaxiiServer::TaxiiServer(const FeedSettings& feeds, std::filesystem::path feeds_dir, std::string public_url,
                         VotersCache& voters, ServeMetrics& metrics)
    : feeds_(feeds),
      feeds_dir_(std::move(feeds_dir)),
      public_url_(std::move(public_url)),
      voters_(voters),
      metrics_(metrics) {}

std::optional<Answer> TaxiiServer::refuse_caller(MHD_Connection* connection) {
  std::string token = presented_token(connection);
  auto known = token.empty() ? std::nullopt : voters_.find(token);
  if (!known) {
    metrics_.refused("unauthorised");
    Answer answer = taxii_error(MHD_HTTP_UNAUTHORIZED, "Unauthorized",
                                "send a reader's token: Authorization: Bearer TOKEN, or Basic with it as the password");
    answer.headers.emplace_back("WWW-Authenticate", R"(Basic realm="crowdfeed TAXII", charset="UTF-8")");
    answer.headers.emplace_back("WWW-Authenticate", "Bearer");
    return answer;
  }
  if (known->role != kReaderRole && known->role != "moderator") {
    metrics_.refused("unauthorised");
    return taxii_error(
        MHD_HTTP_FORBIDDEN, "Forbidden",
        fmt::format("the voter {} is not a reader (crowdfeed voters add NAME --role reader)", quote_text(known->name)));
  }
  return std::nullopt;
}

std::shared_ptr<const StixCollections> TaxiiServer::snapshot() {
  // A publish replaces manifest.json (a new inode): the file's identity
  // tells whether to look further, without reading it on every request.
  struct stat info {};
  std::string seen = ::stat((feeds_dir_ / "manifest.json").c_str(), &info) == 0
                         ? fmt::format("{}:{}:{}:{}.{}", info.st_dev, info.st_ino, info.st_size, info.st_mtim.tv_sec,
                                       info.st_mtim.tv_nsec)
                         : std::string();
  std::lock_guard lock(snapshot_mutex_);
  if (snapshot_ && seen == manifest_seen_) return snapshot_;
  manifest_seen_ = seen;
  std::string current = published_manifest_sha256(feeds_dir_);
  if ((!snapshot_ || snapshot_->manifest_sha256() != current) && current != unreadable_) {
    try {
      snapshot_ = StixCollections::load(feeds_dir_, feeds_);
    } catch (const Error& error) {
      // A damaged file: the last good snapshot stays (or none, the first
      // time) until the next publish.
      log::warning("TAXII: cannot read the published STIX bundles: {}", error.what());
      unreadable_ = current;
    }
  }
  if (!snapshot_) snapshot_ = std::make_shared<StixCollections>();
  return snapshot_;
}

Answer TaxiiServer::answer(MHD_Connection* connection, std::string_view url) {
  if (auto refused = refuse_caller(connection)) return *refused;
  if (!accepts_taxii(connection)) {
    return taxii_error(MHD_HTTP_NOT_ACCEPTABLE, "Not acceptable",
                       fmt::format("this server answers in {}", kTaxiiMediaType));
  }
  std::string_view path = url.substr(std::string_view("/taxii2").size());
  std::vector<std::string_view> parts;
  for (std::string_view rest = path; !rest.empty();) {
    auto slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    if (!part.empty()) parts.push_back(part);
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  std::string base = public_url_;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string api_root = base + "/taxii2/api/";
  auto not_found = [&] {
    return taxii_error(MHD_HTTP_NOT_FOUND, "Not found", fmt::format("no such resource: {}", printable(url, 200)));
  };

  if (parts.empty()) {
    return taxii_json({{"title", feeds_.title + " TAXII"},
                       {"description", "The indicators " + feeds_.title + " publishes, as STIX 2.1"},
                       {"contact", feeds_.homepage},
                       {"default", api_root},
                       {"api_roots", {api_root}}});
  }
  if (parts[0] != "api") return not_found();
  if (parts.size() == 1) {
    return taxii_json({{"title", feeds_.title},
                       {"description", "The feeds of " + feeds_.title + ", one collection each"},
                       {"versions", {kTaxiiMediaType}},
                       {"max_content_length", 0}});
  }
  if (parts[1] != "collections") return not_found();
  std::shared_ptr<const StixCollections> collections = snapshot();
  auto describe = [](const StixCollection& collection) {
    return nlohmann::json{{"id", collection.id}, {"title", collection.title}, {"description", collection.description},
                          {"can_read", true},    {"can_write", false},        {"media_types", {kStixMediaType}}};
  };
  if (parts.size() == 2) {
    nlohmann::json list = nlohmann::json::array();
    for (const StixCollection& collection : collections->collections()) list.push_back(describe(collection));
    nlohmann::json body = nlohmann::json::object();
    if (!list.empty()) body["collections"] = std::move(list);
    return taxii_json(body);
  }
  const StixCollection* collection = collections->find(parts[2]);
  if (collection == nullptr) return not_found();
  if (parts.size() == 3) return taxii_json(describe(*collection));

  auto filters = read_filters(connection);
  if (auto* refused = std::get_if<Answer>(&filters)) return *refused;
  Filters& wanted = std::get<Filters>(filters);
  const std::string resource(parts[3]);
  if (resource == "objects" && parts.size() >= 5) {
    // One object: its versions, or itself.
    wanted.ids = {std::string(parts[4])};
    if (std::none_of(collection->objects.begin(), collection->objects.end(),
                     [&](const StixObjectRef& object) { return object.id == parts[4]; })) {
      return not_found();
    }
    if (parts.size() == 6 && parts[5] == "versions") {
      Page page = page_of(*collection, wanted);
      nlohmann::json versions = nlohmann::json::array();
      for (const StixObjectRef* object : page.objects) versions.push_back(object->date_added);
      Answer answer = taxii_json({{"more", page.more}, {"versions", versions}});
      date_headers(answer, page);
      return answer;
    }
    if (parts.size() != 5) return not_found();
  } else if (parts.size() != 4) {
    return not_found();
  }
  Page page = page_of(*collection, wanted);
  Answer answer;
  if (resource == "objects") {
    std::string body = fmt::format(R"({{"more":{},)", page.more ? "true" : "false");
    if (page.more) body += fmt::format(R"("next":"{}",)", next_token(*page.objects.back()));
    body += R"("objects":[)";
    const char* separator = "";
    for (const StixObjectRef* object : page.objects) {
      body += separator;
      body += collections->read(*object);
      separator = ",";
    }
    body += "]}";
    answer = Answer{MHD_HTTP_OK, std::move(body), std::string(kTaxiiMediaType), {}};
  } else if (resource == "manifest") {
    nlohmann::json records = nlohmann::json::array();
    for (const StixObjectRef* object : page.objects) {
      records.push_back({{"id", object->id},
                         {"date_added", object->date_added},
                         {"version", object->date_added},
                         {"media_type", kStixMediaType}});
    }
    nlohmann::json body = {{"more", page.more}, {"objects", records}};
    if (page.more) body["next"] = next_token(*page.objects.back());
    answer = taxii_json(body);
  } else {
    return not_found();
  }
  date_headers(answer, page);
  return answer;
}

}  // namespace crowdfeed
