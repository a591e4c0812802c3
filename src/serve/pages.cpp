#include "serve/pages.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "util/text.h"

namespace crowdfeed {
namespace {

using nlohmann::json;

// Text from outside, as text: escaped, and isolated from the direction of
// the text around it.
std::string text(std::string_view value) {
  return fmt::format("<bdi>{}</bdi>", escape_markup(value));
}

std::string when(TimePoint time) {
  return escape_markup(format_iso8601(time));
}

std::string hidden_csrf(const Visitor& visitor) {
  return fmt::format(R"(<input type="hidden" name="csrf" value="{}">)", escape_markup(visitor.csrf));
}

// "3 h ago", "2 days ago".
std::string age(TimePoint then, TimePoint now) {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - then).count();
  if (seconds < 0) seconds = 0;
  if (seconds < 3600) return fmt::format("{} min ago", seconds / 60);
  if (seconds < 2 * 86400) return fmt::format("{} h ago", seconds / 3600);
  return fmt::format("{} days ago", seconds / 86400);
}

std::string status_badge(const Dispute& dispute) {
  return fmt::format(R"(<span class="status {0}">{0}</span>)", status_name(dispute.status));
}

std::string dispute_rows(const std::vector<Dispute>& disputes) {
  std::string rows;
  for (const Dispute& dispute : disputes) {
    rows += fmt::format(
        R"(<tr><td><a href="/disputes/{0}">#{0}</a></td><td><a href="{1}">{2}</a></td><td>{3}</td><td>{4}</td><td>{5}</td></tr>)",
        dispute.id, escape_markup(indicator_path(dispute.indicator)), text(dispute.indicator),
        escape_markup(describe(dispute.kind)), status_badge(dispute), when(dispute.filed_at));
  }
  return rows;
}

std::string dispute_table(const std::vector<Dispute>& disputes, std::string_view caption) {
  if (disputes.empty()) return fmt::format("<p>{}: none.</p>", escape_markup(caption));
  return fmt::format(
      R"(<table><caption>{}</caption><thead><tr><th scope="col">Dispute</th><th scope="col">Indicator</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Filed</th></tr></thead><tbody>{}</tbody></table>)",
      escape_markup(caption), dispute_rows(disputes));
}

// The votes by day, as bars: counted above, not counted (probation,
// revoked) in a lighter shade. The numbers are also in the title and in
// the table after it, for those who do not see the chart.
std::string votes_chart(const std::vector<DayOfVotes>& days) {
  std::int64_t highest = 1;
  std::int64_t counted = 0;
  std::int64_t uncounted = 0;
  for (const DayOfVotes& day : days) {
    highest = std::max(highest, day.counted + day.uncounted);
    counted += day.counted;
    uncounted += day.uncounted;
  }
  constexpr int kBar = 10;
  constexpr int kHeight = 60;
  std::string bars;
  for (std::size_t i = 0; i < days.size(); ++i) {
    const DayOfVotes& day = days[i];
    const int counted_height = static_cast<int>(day.counted * kHeight / highest);
    const int uncounted_height = static_cast<int>(day.uncounted * kHeight / highest);
    const int x = static_cast<int>(i) * kBar;
    if (counted_height > 0) {
      bars += fmt::format(R"(<rect class="counted" x="{}" y="{}" width="{}" height="{}"/>)", x + 1,
                          kHeight - counted_height, kBar - 2, counted_height);
    }
    if (uncounted_height > 0) {
      bars += fmt::format(R"(<rect class="uncounted" x="{}" y="{}" width="{}" height="{}"/>)", x + 1,
                          kHeight - counted_height - uncounted_height, kBar - 2, uncounted_height);
    }
  }
  return fmt::format(
      R"(<figure><svg class="chart" role="img" aria-labelledby="chart-title" viewBox="0 0 {} {}" width="{}" height="{}"><title id="chart-title">Votes in the last {} days: {} counted, {} not counted</title>{}</svg><figcaption>Votes by day, last {} days (UTC): counted (dark), not counted (light).</figcaption></figure>)",
      days.size() * kBar, kHeight, days.size() * kBar, kHeight, days.size(), counted, uncounted, bars, days.size());
}

// The clustered threat reports that name the indicator, when there are.
std::string reports_section(const std::vector<ClusteredReport>& reports) {
  if (reports.empty()) return {};
  std::string rows;
  for (const ClusteredReport& report : reports) {
    rows += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"number\">{}</td></tr>", text(report.id),
                        text(report.name), escape_markup(report.cluster));
  }
  return fmt::format(
      R"(<section><h2>Threat reports</h2><table><caption>Clustered threat reports that name it (crowdfeed cluster)</caption><thead><tr><th scope="col">Report</th><th scope="col">Name</th><th scope="col">Cluster</th></tr></thead><tbody>{}</tbody></table></section>)",
      rows);
}

// " From filing to the corrected publish: median 2.1 h, 90th percentile
// 5.0 h (12 corrected)." or nothing when none was corrected yet.
std::string correction_times(const DisputeCounts& counts) {
  if (counts.seconds_to_correction.empty()) return {};
  return fmt::format(" From filing to the corrected publish: median {:.1f} h, 90th percentile {:.1f} h ({} corrected).",
                     counts.seconds_to_correction_at(0.5) / 3600, counts.seconds_to_correction_at(0.9) / 3600,
                     counts.seconds_to_correction.size());
}

json tally_json(const std::optional<Tally>& tally) {
  if (!tally) {
    return {{"malicious", 0},
            {"non_malicious", 0},
            {"malicious_weight", 0},
            {"non_malicious_weight", 0},
            {"not_counted", 0}};
  }
  return {{"malicious", tally->malicious_votes},
          {"non_malicious", tally->non_malicious_votes},
          {"malicious_weight", tally->malicious_votes + tally->malicious_extra_weight},
          {"non_malicious_weight", tally->non_malicious_votes + tally->non_malicious_extra_weight},
          {"not_counted", tally->uncounted_votes}};
}

json optional_time(const std::optional<TimePoint>& time) {
  return time ? json(format_iso8601(*time)) : json(nullptr);
}

}  // namespace

std::string indicator_path(std::string_view value) {
  // A normalised indicator holds letters, digits, '-', '.' and ':' only;
  // anything else is percent-encoded.
  std::string path = "/indicator/";
  for (char c : value) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == ':' || c == '_') {
      path += c;
    } else {
      path += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    }
  }
  return path;
}

std::string render_page(std::string_view title, const Visitor& visitor, std::string_view main) {
  std::string account;
  if (!visitor.voter.empty()) {
    account = fmt::format(
        R"(<form class="account" method="post" action="/signout">{}<span>Signed in as {}{}</span> <button type="submit">Sign out</button></form>)",
        hidden_csrf(visitor), text(visitor.voter),
        visitor.role == "moderator" ? R"( · <a href="/moderation">Moderation</a>)" : "");
  } else {
    account = R"(<a class="account" href="/signin">Sign in</a>)";
  }
  return fmt::format(R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · crowdfeed</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<header>
<a class="home" href="/">crowdfeed</a>
<form class="search" method="get" action="/search" role="search"><label for="q">Indicator</label> <input id="q" name="q" type="search" placeholder="domain, IP address or file hash" required maxlength="2000"> <button type="submit">Look up</button></form>
{account}
</header>
<main>
{main}
</main>
<footer><p><a href="/">Home</a> · <a href="/disputes/new">Dispute a listing</a> · <a href="/api/v1/summary">JSON</a></p></footer>
</body>
</html>
)",
                     fmt::arg("title", escape_markup(title)), fmt::arg("account", account), fmt::arg("main", main));
}

std::string home_main(const PublishedFeeds& published, const std::vector<Dispute>& open, const DisputeCounts& counts,
                      TimePoint now) {
  std::string feeds;
  if (!published.published) {
    feeds = "<p>Nothing is published yet.</p>";
  } else {
    std::string rows;
    for (const PublishedFeed& feed : published.feeds) {
      rows += fmt::format(R"(<tr><td>{}</td><td class="number">{}</td><td class="number">+{} −{}</td></tr>)",
                          escape_markup(feed.name), feed.entries, feed.added_count, feed.removed_count);
    }
    feeds = fmt::format(
        R"(<p>Version {} published {} ({}).</p><table><caption>The published feeds</caption><thead><tr><th scope="col">Feed</th><th scope="col">Entries</th><th scope="col">Last change</th></tr></thead><tbody>{}</tbody></table>)",
        escape_markup(format_version(published.version)), when(published.generated), age(published.generated, now),
        rows);
  }
  std::string changes;
  for (const PublishedFeed& feed : published.feeds) {
    auto list = [&](const std::vector<std::string>& values, std::int64_t count, std::string_view what) {
      if (values.empty()) return;
      std::string items;
      for (const std::string& value : values) {
        items += fmt::format(R"(<li><a href="{}">{}</a></li>)", escape_markup(indicator_path(value)), text(value));
      }
      changes += fmt::format("<h3>{} {} ({} in all)</h3><ul>{}</ul>", escape_markup(what), escape_markup(feed.name),
                             count, items);
    };
    list(feed.added, feed.added_count, "Added to");
    list(feed.removed, feed.removed_count, "Removed from");
  }
  if (changes.empty()) changes = "<p>The last publish changed nothing.</p>";
  return fmt::format(
      R"(<h1>Community threat-intelligence feeds</h1>
<p>Voters say whether a domain, an IP address or a file hash is malicious; every hour the votes that pass the thresholds are published as feeds for resolvers, firewalls and security tools. Look an indicator up to see its votes and why it is, or is not, listed; dispute a listing you believe is wrong.</p>
<section><h2>Feeds</h2>{}</section>
<section><h2>Latest changes</h2>{}</section>
<section><h2>Open disputes</h2><p>{} filed, {} open, {} accepted, {} rejected.{}</p>{}</section>)",
      feeds, changes, counts.filed, counts.open, counts.accepted, counts.rejected, correction_times(counts),
      dispute_table(open, "Open disputes, newest first"));
}

std::string indicator_main(const IndicatorAccount& account, const Visitor& visitor, const Pseudonym& pseudonym) {
  std::string published;
  for (const PublishedListing& listing : account.published) {
    std::string state = listing.listed ? listing.since ? fmt::format("listed since {}", when(*listing.since))
                                                       : "listed (since before the oldest archived hour)"
                        : listing.through_parent.empty()
                            ? "not listed"
                            : fmt::format(
                                  "not listed itself, but reached through its listed parent {} (the feed's "
                                  "RPZ, Unbound, dnsmasq and AdBlock files cover subdomains)",
                                  text(listing.through_parent));
    published += fmt::format("<li>{}: {}</li>", escape_markup(listing.feed), state);
  }
  if (published.empty()) published = "<li>nothing is published yet</li>";

  std::string votes = "<p>No votes.</p>";
  if (account.tally) {
    const Tally& tally = *account.tally;
    votes = fmt::format(
        "<p>{} malicious and {} non-malicious votes counted (weighing {} and {}); {} not counted. First vote {}, last "
        "vote {}.</p>",
        tally.malicious_votes, tally.non_malicious_votes, tally.malicious_votes + tally.malicious_extra_weight,
        tally.non_malicious_votes + tally.non_malicious_extra_weight, tally.uncounted_votes,
        tally.first_vote_at ? when(*tally.first_vote_at) : "unknown", when(tally.last_vote_at));
  }
  std::string voters;
  for (const VoterOfIndicator& voter : account.voters) {
    voters += fmt::format(R"(<tr><td><code>{}</code></td><td>{}</td><td class="number">{}</td><td>{}</td></tr>)",
                          escape_markup(pseudonym(voter.voter)), verdict_name(voter.verdict), voter.weight,
                          when(voter.cast_at));
  }
  if (!voters.empty()) {
    voters = fmt::format(
        R"(<table><caption>Voters, newest first (pseudonymous ids){}</caption><thead><tr><th scope="col">Voter</th><th scope="col">Vote</th><th scope="col">Weight</th><th scope="col">Cast</th></tr></thead><tbody>{}</tbody></table>)",
        account.more_voters > 0 ? fmt::format("; {} more not shown", account.more_voters) : "", voters);
  }

  std::string vote_form;
  if (!visitor.voter.empty() || visitor.anonymous_voting) {
    vote_form = fmt::format(
        R"(<form class="vote" method="post" action="{0}/vote">{1}<fieldset><legend>Your vote{2}</legend><button type="submit" name="vote" value="0">Malicious</button> <button type="submit" name="vote" value="1">Not malicious</button></fieldset></form>)",
        escape_markup(indicator_path(account.value)), hidden_csrf(visitor),
        visitor.voter.empty() ? " (anonymous)" : fmt::format(" as {}", text(visitor.voter)));
  } else {
    vote_form = R"(<p><a href="/signin">Sign in</a> with your voter token to vote.</p>)";
  }

  std::string allowed;
  if (account.allowed_by) {
    allowed = fmt::format(
        R"(<p class="allowed">On the allow-list by <a href="/disputes/{0}">dispute #{0}</a>{1}.</p>)",
        account.allowed_by->dispute,
        account.allowed_by->expires_at ? fmt::format(" until {}", when(*account.allowed_by->expires_at)) : "");
  }
  return fmt::format(
      R"(<h1>{value}</h1>
<p class="type">{type}</p>
<section><h2>In the feeds</h2><ul>{published}</ul>
<p class="why"><strong>Next hourly run:</strong> {why}.</p>
<p>Policy: {reason}. Confidence: <strong>{confidence}</strong> of 100.</p>{allowed}</section>
<section><h2>Votes</h2>{votes}{chart}{vote_form}{voters}</section>
{reports}<section><h2>Disputes</h2>{disputes}<p><a href="/disputes/new?indicator={plain}">Dispute this indicator's listing</a></p></section>
<p><a href="/api/v1/indicators/{plain}">This page as JSON</a></p>)",
      fmt::arg("value", text(account.value)), fmt::arg("type", escape_markup(type_name(account.type))),
      fmt::arg("published", published), fmt::arg("why", text(account.why)), fmt::arg("reason", text(account.reason)),
      fmt::arg("confidence", account.confidence), fmt::arg("allowed", allowed), fmt::arg("votes", votes),
      fmt::arg("chart", votes_chart(account.days)), fmt::arg("vote_form", vote_form), fmt::arg("voters", voters),
      fmt::arg("disputes", dispute_table(account.disputes, "Disputes of this indicator")),
      fmt::arg("reports", reports_section(account.reports)), fmt::arg("plain", escape_markup(account.value)));
}

std::string dispute_main(const Dispute& dispute, const Pseudonym& pseudonym) {
  std::string outcome;
  if (dispute.decided_at) {
    outcome = fmt::format(R"(<p>{} by moderator <code>{}</code> at {}: <span class="reason">{}</span></p>)",
                          status_name(dispute.status), escape_markup(pseudonym(dispute.decided_by)),
                          when(*dispute.decided_at), text(dispute.note));
  } else {
    outcome = "<p>Waiting for a moderator.</p>";
  }
  std::string corrected;
  if (dispute.corrected_at) {
    corrected = fmt::format(R"(<p class="corrected">Corrected in version {} (published {}).</p>)",
                            escape_markup(dispute.corrected_version), when(*dispute.corrected_at));
  } else if (dispute.status == DisputeStatus::kAccepted) {
    corrected = "<p>Accepted: the next hourly publish applies it.</p>";
  }
  return fmt::format(
      R"(<h1>Dispute #{id}</h1>
<p>{status} · {kind} · <a href="{path}">{indicator}</a></p>
<section><h2>Reason</h2><p class="reason">{reason}</p><p>Filed at {filed}.</p></section>
<section><h2>Outcome</h2>{outcome}{corrected}</section>
<p><a href="/api/v1/disputes/{id}">This page as JSON</a></p>)",
      fmt::arg("id", dispute.id), fmt::arg("status", status_badge(dispute)),
      fmt::arg("kind", escape_markup(describe(dispute.kind))),
      fmt::arg("path", escape_markup(indicator_path(dispute.indicator))),
      fmt::arg("indicator", text(dispute.indicator)), fmt::arg("reason", text(dispute.reason)),
      fmt::arg("filed", when(dispute.filed_at)), fmt::arg("outcome", outcome), fmt::arg("corrected", corrected));
}

std::string dispute_form_main(std::string_view indicator, std::string_view kind, const Visitor& visitor,
                              std::string_view problem) {
  auto checked = [&](std::string_view value) { return kind == value ? " checked" : ""; };
  return fmt::format(
      R"(<h1>Dispute a listing</h1>
{problem}<form method="post" action="/disputes">{csrf}
<p><label for="indicator">Indicator</label><br><input id="indicator" name="indicator" required maxlength="2000" value="{indicator}"></p>
<fieldset><legend>What is wrong</legend>
<label><input type="radio" name="kind" value="false_positive" required{fp}> Listed but not malicious</label><br>
<label><input type="radio" name="kind" value="false_negative"{fn}> Malicious but not listed</label>
</fieldset>
<p><label for="reason">Why (public)</label><br><textarea id="reason" name="reason" required maxlength="{max}" rows="6"></textarea></p>
<p><label for="contact">Contact address for the moderators (optional, never shown)</label><br><input id="contact" name="contact" type="email" maxlength="{max_contact}"></p>
<p><button type="submit">File the dispute</button></p>
</form>)",
      fmt::arg("problem", problem.empty() ? std::string()
                                          : fmt::format(R"(<p class="problem" role="alert">{}</p>)", text(problem))),
      fmt::arg("csrf", hidden_csrf(visitor)), fmt::arg("indicator", escape_markup(indicator)),
      fmt::arg("fp", checked("false_positive")), fmt::arg("fn", checked("false_negative")),
      fmt::arg("max", kMaxDisputeText), fmt::arg("max_contact", kMaxContact));
}

std::string sign_in_main(const Visitor& visitor, std::string_view problem) {
  return fmt::format(
      R"(<h1>Sign in</h1>
{}<form method="post" action="/signin">{}
<p><label for="token">Your voter token</label><br><input id="token" name="token" type="password" required autocomplete="current-password" maxlength="200"></p>
<p><button type="submit">Sign in</button></p>
</form>
<p>Tokens are given by the operator (<code>crowdfeed voters add</code>).</p>)",
      problem.empty() ? std::string() : fmt::format(R"(<p class="problem" role="alert">{}</p>)", text(problem)),
      hidden_csrf(visitor));
}

std::string moderation_main(const std::vector<Dispute>& open, const Visitor& visitor) {
  std::string items;
  for (const Dispute& dispute : open) {
    items += fmt::format(
        R"(<article><h2><a href="/disputes/{id}">Dispute #{id}</a>: <a href="{path}">{indicator}</a></h2>
<p>{kind}, filed {filed} by <code>{filer}</code>{contact}</p><p class="reason">{reason}</p>
<form method="post" action="/moderation/{id}">{csrf}<p><label for="note-{id}">Note (public)</label><br><textarea id="note-{id}" name="note" required maxlength="{max}" rows="2"></textarea></p>
<p><label for="until-{id}">Allow-list until (optional, ISO 8601)</label> <input id="until-{id}" name="until" maxlength="40" placeholder="2027-01-01T00:00:00Z"></p>
<p><button type="submit" name="action" value="accept">Accept</button> <button type="submit" name="action" value="reject">Reject</button></p></form></article>)",
        fmt::arg("id", dispute.id), fmt::arg("path", escape_markup(indicator_path(dispute.indicator))),
        fmt::arg("indicator", text(dispute.indicator)), fmt::arg("kind", escape_markup(describe(dispute.kind))),
        fmt::arg("filed", when(dispute.filed_at)), fmt::arg("filer", text(dispute.filed_by)),
        fmt::arg("contact",
                 dispute.contact.empty() ? std::string() : fmt::format("; contact {}", text(dispute.contact))),
        fmt::arg("reason", text(dispute.reason)), fmt::arg("csrf", hidden_csrf(visitor)),
        fmt::arg("max", kMaxDisputeText));
  }
  if (items.empty()) items = "<p>No dispute is open.</p>";
  return fmt::format("<h1>Moderation</h1>\n<p>Open disputes, oldest first.</p>\n{}", items);
}

std::string message_main(std::string_view heading, std::string_view message) {
  return fmt::format(R"(<h1>{}</h1><p class="problem">{}</p><p><a href="/">Home</a></p>)", escape_markup(heading),
                     text(message));
}

json home_json(const PublishedFeeds& published, const std::vector<Dispute>& open, const DisputeCounts& counts,
               TimePoint now, const Pseudonym& pseudonym) {
  json feeds = json::array();
  for (const PublishedFeed& feed : published.feeds) {
    feeds.push_back({{"name", feed.name},
                     {"entries", feed.entries},
                     {"added", feed.added_count},
                     {"removed", feed.removed_count},
                     {"latest_added", feed.added},
                     {"latest_removed", feed.removed}});
  }
  json disputes = json::array();
  for (const Dispute& dispute : open) disputes.push_back(dispute_json(dispute, pseudonym));
  return {
      {"published", published.published},
      {"version", published.published ? json(format_version(published.version)) : json(nullptr)},
      {"generated", published.published ? json(format_iso8601(published.generated)) : json(nullptr)},
      {"age_seconds", published.published
                          ? json(std::chrono::duration_cast<std::chrono::seconds>(now - published.generated).count())
                          : json(nullptr)},
      {"feeds", feeds},
      {"disputes",
       {{"filed", counts.filed}, {"open", counts.open}, {"accepted", counts.accepted}, {"rejected", counts.rejected}}},
      {"open_disputes", disputes}};
}

json account_json(const IndicatorAccount& account, const Pseudonym& pseudonym) {
  json published = json::array();
  for (const PublishedListing& listing : account.published) {
    published.push_back(
        {{"feed", listing.feed},
         {"listed", listing.listed},
         {"since", optional_time(listing.since)},
         {"through_parent", listing.through_parent.empty() ? json(nullptr) : json(listing.through_parent)}});
  }
  json days = json::array();
  for (const DayOfVotes& day : account.days) {
    days.push_back(
        {{"day", format_iso8601(day.day).substr(0, 10)}, {"counted", day.counted}, {"not_counted", day.uncounted}});
  }
  json voters = json::array();
  for (const VoterOfIndicator& voter : account.voters) {
    voters.push_back({{"voter", pseudonym(voter.voter)},
                      {"vote", verdict_name(voter.verdict)},
                      {"weight", voter.weight},
                      {"cast_at", format_iso8601(voter.cast_at)}});
  }
  json disputes = json::array();
  for (const Dispute& dispute : account.disputes) disputes.push_back(dispute_json(dispute, pseudonym));
  json answer = {{"value", account.value},
                 {"type", type_name(account.type)},
                 {"votes", tally_json(account.tally)},
                 {"verdict", account.verdict ? json(verdict_name(*account.verdict)) : json(nullptr)},
                 {"reason", account.reason},
                 {"next_run",
                  {{"feeds", account.next_feeds},
                   {"why", account.why},
                   {"whitelist", account.excluded_by.empty() ? json(nullptr) : json(account.excluded_by)},
                   {"dispute", account.allowed_by ? json(account.allowed_by->dispute) : json(nullptr)}}},
                 {"confidence", account.confidence},
                 {"published", published},
                 {"votes_by_day", days},
                 {"voters", voters},
                 {"more_voters", account.more_voters},
                 {"disputes", disputes}};
  json reports = json::array();
  for (const ClusteredReport& report : account.reports) {
    reports.push_back({{"id", report.id}, {"name", report.name}, {"cluster", report.cluster}});
  }
  answer["reports"] = reports;
  return answer;
}

json dispute_json(const Dispute& dispute, const Pseudonym& pseudonym) {
  return {{"id", dispute.id},
          {"indicator", dispute.indicator},
          {"type", type_name(dispute.type)},
          {"kind", kind_name(dispute.kind)},
          {"status", status_name(dispute.status)},
          {"reason", dispute.reason},
          {"filed_at", format_iso8601(dispute.filed_at)},
          {"decided_by", dispute.decided_at ? json(pseudonym(dispute.decided_by)) : json(nullptr)},
          {"decided_at", optional_time(dispute.decided_at)},
          {"note", dispute.note},
          {"corrected_version", dispute.corrected_version.empty() ? json(nullptr) : json(dispute.corrected_version)},
          {"corrected_at", optional_time(dispute.corrected_at)},
          {"url", fmt::format("/disputes/{}", dispute.id)}};
}

std::string_view style_sheet() {
  return R"(body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 0 1rem; color: #111; background: #fff; }
header { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; padding: 0.75rem 0; border-bottom: 1px solid #ccc; }
header .home { font-weight: bold; font-size: 1.2rem; color: #111; }
header .search { flex: 1 1 20rem; display: flex; gap: 0.5rem; align-items: center; }
header .search input { flex: 1; min-width: 0; }
a { color: #0645ad; }
h1 { overflow-wrap: anywhere; }
bdi, .reason { overflow-wrap: anywhere; }
.reason { white-space: pre-wrap; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: bold; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
.number { text-align: right; font-variant-numeric: tabular-nums; }
.status { padding: 0 0.4rem; border-radius: 0.3rem; background: #eee; }
.status.accepted { background: #d4edda; }
.status.rejected { background: #f8d7da; }
.problem { color: #8a1c1c; font-weight: bold; }
.chart .counted { fill: #1f4e79; }
.chart .uncounted { fill: #9db7d1; }
.chart { max-width: 100%; height: auto; border-bottom: 1px solid #999; }
button { font: inherit; padding: 0.3rem 0.8rem; }
input, textarea { font: inherit; max-width: 100%; }
textarea { width: 100%; }
footer { border-top: 1px solid #ccc; margin-top: 2rem; color: #444; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  table, thead, tbody, tr, th, td { display: block; }
  thead { position: absolute; left: -9999px; }
  tr { border-bottom: 1px solid #ccc; padding: 0.25rem 0; }
  td { border: none; padding: 0.1rem 0; }
}
@media print {
  header form, .vote, footer, form { display: none; }
  a { color: #000; text-decoration: none; }
  body { max-width: none; }
}
)";
}

}  // namespace crowdfeed
