// The community pages' HTML and their JSON twins, rendered from plain facts
// (see community/account.h and community/published.h). Every value from
// outside (an indicator as typed, a reason, a note, a voter's name) goes
// through escape_markup and sits inside <bdi>, so that nothing it holds
// becomes markup or turns the text around it; no page has inline script
// or style, so the Content-Security-Policy the server sends forbids both.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "community/account.h"
#include "community/published.h"
#include "votes/disputes.h"

namespace crowdfeed {

// Who is looking, and what every page's forms need.
struct Visitor {
  std::string csrf;   // the session's CSRF token
  std::string voter;  // signed in as, or empty
  std::string role;
  bool anonymous_voting = false;  // serve.anonymous: votes without signing in
};

// The pseudonym a voter is shown under: stable, not reversible.
using Pseudonym = std::function<std::string(const std::string& voter)>;

// A whole page: the title, the header with search and sign-in, `main`.
std::string render_page(std::string_view title, const Visitor& visitor, std::string_view main);

std::string home_main(const PublishedFeeds& published, const std::vector<Dispute>& open, const DisputeCounts& counts,
                      TimePoint now);
std::string indicator_main(const IndicatorAccount& account, const Visitor& visitor, const Pseudonym& pseudonym);
// The moderator who decided is shown by pseudonym, as their votes are.
std::string dispute_main(const Dispute& dispute, const Pseudonym& pseudonym);
std::string dispute_form_main(std::string_view indicator, std::string_view kind, const Visitor& visitor,
                              std::string_view problem);
std::string sign_in_main(const Visitor& visitor, std::string_view problem);
std::string moderation_main(const std::vector<Dispute>& open, const Visitor& visitor);
std::string message_main(std::string_view heading, std::string_view text);

// The JSON twins: the same facts. A dispute's contact is never in them.
nlohmann::json home_json(const PublishedFeeds& published, const std::vector<Dispute>& open, const DisputeCounts& counts,
                         TimePoint now, const Pseudonym& pseudonym);
nlohmann::json account_json(const IndicatorAccount& account, const Pseudonym& pseudonym);
nlohmann::json dispute_json(const Dispute& dispute, const Pseudonym& pseudonym);

// The style sheet every page links to (/static/style.css): narrow screens
// and print included.
std::string_view style_sheet();

// "/indicator/" and the value, percent-encoded where a path needs it.
std::string indicator_path(std::string_view value);

}  // namespace crowdfeed
