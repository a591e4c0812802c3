// The community pages' HTML: what comes from outside stays text; and the
// sessions behind their forms.
#include <catch2/catch.hpp>

#include "serve/pages.h"
#include "serve/sessions.h"

using namespace crowdfeed;

namespace {

TimePoint at(std::int64_t seconds) {
  return TimePoint(std::chrono::seconds(seconds));
}

const std::string kHostile = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>&amp;\u202eevil";

std::string pseudonym(const std::string& voter) {
  return "v-" + voter;
}

}  // namespace

TEST_CASE("a hostile reason, note or voter name is text on every page") {
  Dispute dispute;
  dispute.id = 7;
  dispute.indicator = "shop.example.com";
  dispute.reason = kHostile;
  dispute.note = kHostile;
  dispute.decided_by = kHostile;
  dispute.filed_by = kHostile;
  dispute.contact = kHostile;
  dispute.status = DisputeStatus::kAccepted;
  dispute.decided_at = at(100);
  Visitor moderator{"0123", kHostile, "moderator", false};
  std::vector<std::string> pages{
      render_page(kHostile, moderator, dispute_main(dispute, pseudonym)),
      render_page("q", moderator, moderation_main({dispute}, moderator)),
      render_page("q", moderator, dispute_form_main(kHostile, kHostile, moderator, kHostile)),
      render_page("q", moderator, sign_in_main(moderator, kHostile)),
      render_page("q", moderator, message_main(kHostile, kHostile)),
  };
  for (const std::string& page : pages) {
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("<img") == std::string::npos);
    CHECK(page.find("\"'>") == std::string::npos);
    CHECK(page.find("style=") == std::string::npos);  // the policy allows no inline style
    CHECK(page.find("&lt;script&gt;") != std::string::npos);
  }
  // Text from outside sits in <bdi>: its bidi controls turn nothing around it.
  CHECK(pages[0].find("<bdi>&lt;script&gt;") != std::string::npos);
  // The contact address is for moderators only.
  CHECK(dispute_json(dispute, pseudonym).dump().find("contact") == std::string::npos);
  CHECK(dispute_main(dispute, pseudonym).find("ops@") == std::string::npos);
  // The moderator who decided appears under the pseudonym their votes carry.
  dispute.decided_by = "mod";
  CHECK(dispute_json(dispute, pseudonym)["decided_by"] == "v-mod");
  CHECK(dispute_main(dispute, pseudonym).find("<code>v-mod</code>") != std::string::npos);
}

TEST_CASE("an indicator page shows its votes, voters by pseudonym and the forms a visitor may use") {
  IndicatorAccount account;
  account.value = "bad.example.com";
  account.why = "listed in malicious-domains";
  account.reason = "3 malicious votes";
  account.confidence = 65;
  account.voters.push_back({"alice", Verdict::kMalicious, 1, at(0)});
  account.days.push_back({at(0), 3, 1});
  account.published.push_back({"malicious-domains", true, at(3600)});
  Visitor anonymous{"abcd", "", "", false};
  std::string page = indicator_main(account, anonymous, pseudonym);
  CHECK(page.find("v-alice") != std::string::npos);
  CHECK(page.find(">alice<") == std::string::npos);
  CHECK(page.find("listed since 1970-01-01T01:00:00Z") != std::string::npos);
  CHECK(page.find("Votes in the last 1 days: 3 counted, 1 not counted") != std::string::npos);
  // No voting form without signing in when anonymous voting is off.
  CHECK(page.find("/vote\"") == std::string::npos);
  Visitor voter{"abcd", "alice", "voter", false};
  page = indicator_main(account, voter, pseudonym);
  CHECK(page.find("action=\"/indicator/bad.example.com/vote\"") != std::string::npos);
  CHECK(page.find("name=\"csrf\" value=\"abcd\"") != std::string::npos);
  nlohmann::json twin = account_json(account, pseudonym);
  CHECK(twin["confidence"] == 65);
  CHECK(twin["voters"][0]["voter"] == "v-alice");
  CHECK(twin["next_run"]["why"] == "listed in malicious-domains");
}

TEST_CASE("an indicator's path percent-encodes what a path may not hold") {
  CHECK(indicator_path("bad.example.com") == "/indicator/bad.example.com");
  CHECK(indicator_path("2001:db8::1") == "/indicator/2001:db8::1");
  CHECK(indicator_path("a/b?c#d e") == "/indicator/a%2Fb%3Fc%23d%20e");
}

TEST_CASE("a session's CSRF token is its own, and a signed-in session ends") {
  Sessions sessions(std::chrono::hours(1), true);
  const std::string one = Sessions::new_id();
  const std::string two = Sessions::new_id();
  CHECK(one != two);
  CHECK(Sessions::well_formed(one));
  CHECK_FALSE(Sessions::well_formed("../etc"));
  CHECK(sessions.csrf_matches(one, sessions.csrf_token(one)));
  CHECK_FALSE(sessions.csrf_matches(two, sessions.csrf_token(one)));
  CHECK_FALSE(sessions.csrf_matches(one, ""));
  // Another process's key makes other tokens.
  Sessions other(std::chrono::hours(1), false);
  CHECK_FALSE(other.csrf_matches(one, sessions.csrf_token(one)));

  const std::string signed_in = sessions.sign_in("alice", "voter", at(1000));
  CHECK(signed_in != one);
  REQUIRE(sessions.find(signed_in, at(1000)));
  CHECK(sessions.find(signed_in, at(1000))->voter == "alice");
  CHECK_FALSE(sessions.find(one, at(1000)));
  CHECK_FALSE(sessions.find(signed_in, at(1000 + 3600)));  // expired, and forgotten
  CHECK_FALSE(sessions.find(signed_in, at(1000)));
  const std::string again = sessions.sign_in("alice", "voter", at(1000));
  sessions.sign_out(again);
  CHECK_FALSE(sessions.find(again, at(1000)));

  CHECK(sessions.cookie(one).find("HttpOnly; SameSite=Strict; Secure") != std::string::npos);
  CHECK(other.cookie(one).find("Secure") == std::string::npos);
  CHECK(sessions.cookie("").find("Max-Age=0") != std::string::npos);
}
