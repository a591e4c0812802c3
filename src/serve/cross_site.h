// Whether a request that changes something (a vote) was sent by a page of
// another site through its visitor's browser (cross-site request forgery).
//
// Browsers say where a request comes from: Sec-Fetch-Site (every current
// browser) and Origin (on every POST, and on cross-origin requests). A vote
// is refused when either names another origin. What an old browser sends
// without either header can still be a simple request (an <img>, a form):
// that is why votes by GET are off in anonymous mode unless
// serve.anonymous_get is set, and POST votes must be JSON, a content type
// no page of another site can send without the browser asking this server
// first (a CORS preflight, which it never grants).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crowdfeed {

// What a request says of its origin: each header as sent, nullopt when absent.
struct RequestSource {
  std::optional<std::string_view> sec_fetch_site;
  std::optional<std::string_view> origin;
  std::optional<std::string_view> host;
};

// Why the request may not vote for its browser's user, or an empty string:
// a Sec-Fetch-Site other than same-origin (or none), or an Origin that is
// not this server's own as its Host header names it. Votes are never taken
// from pages of other origins: the server answers no CORS preflight.
std::string cross_site_problem(const RequestSource& source);

// Whether a Content-Type header is JSON's ("application/json", any case,
// with parameters such as "; charset=utf-8").
bool is_json_content_type(std::string_view content_type);

}  // namespace crowdfeed
