// The formats for security tools: STIX 2.1, Squid, MikroTik, Check Point
// (the consumers themselves read them in tests/e2e/test_feeds_tools.sh).
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "feeds/formats.h"
#include "feeds/stix.h"
#include "feeds/stix_delta.h"
#include "temp_dir.h"
#include "util/uuid.h"

using namespace crowdfeed;
using namespace crowdfeed::testing;

namespace {

const TimePoint kModified = *parse_time("2026-11-27T21:00:00Z");

FeedEntry entry(std::string value, IndicatorType type, int confidence = 60) {
  return {std::move(value), 3, 1, *parse_time("2026-11-20T00:00:00Z"), *parse_time("2026-11-21T00:00:00Z"), type,
          confidence};
}

Feed domains(Verdict verdict, std::vector<std::string> values) {
  Feed feed{verdict == Verdict::kMalicious ? "malicious-domains" : "non-malicious-domains", verdict, {}};
  std::sort(values.begin(), values.end());
  for (auto& value : values) feed.entries.push_back(entry(value, IndicatorType::kDomain));
  return feed;
}

Feed ips() {
  Feed feed{"malicious-ips", Verdict::kMalicious, {}, IndicatorGroup::kIp};
  feed.entries.push_back(entry("192.0.2.1", IndicatorType::kIpv4));
  feed.entries.push_back(entry("2001:db8::1", IndicatorType::kIpv6, 90));
  return feed;
}

std::string render(std::string_view format_name, const Feed& feed, const FeedSettings& settings = {}) {
  const FeedFormat* format = find_feed_format(format_name);
  REQUIRE(format != nullptr);
  std::optional<Feed> selected = format->selection(feed);
  const Feed& written = selected ? *selected : feed;
  std::vector<HeaderField> header = {{"Title", "t"}, {"Number of entries", std::to_string(written.entries.size())}};
  StringOutput out;
  format->write({written, header, settings, kModified}, out);
  return out.text;
}

std::vector<std::string> body_lines(std::string_view text, char comment = '#') {
  std::vector<std::string> lines;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != comment && line[0] != '"') lines.push_back(line);
  }
  return lines;
}

}  // namespace

TEST_CASE("name-based UUIDs follow RFC 9562 version 5") {
  // The RFC's own example: "www.example.com" in the DNS namespace.
  CHECK(uuid_v5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.example.com") == "2ed6657d-e927-568b-95e1-2665a8aea6a2");
  CHECK(is_canonical_uuid("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
  CHECK_FALSE(is_canonical_uuid("2ED6657D-E927-568B-95E1-2665A8AEA6A2"));
  CHECK_FALSE(is_canonical_uuid("2ed6657de927568b95e12665a8aea6a2"));
  CHECK_THROWS(uuid_v5("not a uuid", "x"));
}

TEST_CASE("a STIX bundle is valid JSON with one indicator per entry, ids stable across hours") {
  FeedSettings settings;
  settings.title = "quote \" and \\ backslash";
  Feed feed = domains(Verdict::kMalicious, {"evil.example", "bad.example"});
  std::string text = render("stix", feed, settings);
  auto bundle = nlohmann::json::parse(text);
  CHECK(bundle["type"] == "bundle");
  REQUIRE(bundle["objects"].size() == 3 + 2);
  CHECK(bundle["objects"][0]["name"] == settings.title);
  auto indicator = bundle["objects"][3];
  CHECK(indicator["pattern"] == "[domain-name:value = 'bad.example']");
  CHECK(indicator["indicator_types"] == nlohmann::json::array({"malicious-activity"}));
  CHECK(indicator["valid_from"] == "2026-11-20T00:00:00.000Z");
  CHECK(indicator["valid_until"] == "2026-11-28T23:00:00.000Z");  // version + a day and two update intervals
  CHECK(indicator["modified"] == "2026-11-27T21:00:00.000Z");
  CHECK(indicator["confidence"] == 60);
  // The same indicator in another hour keeps its id; the other verdict and
  // another deployment give other ids.
  StixPublisher publisher = stix_publisher(settings);
  CHECK(indicator["id"] == stix_indicator_id(publisher, Verdict::kMalicious, IndicatorType::kDomain, "bad.example"));
  CHECK(indicator["id"] != stix_indicator_id(publisher, Verdict::kNonMalicious, IndicatorType::kDomain, "bad.example"));
  FeedSettings other;
  other.homepage = "https://other.example/";
  CHECK(indicator["id"] !=
        stix_indicator_id(stix_publisher(other), Verdict::kMalicious, IndicatorType::kDomain, "bad.example"));
  // Benign for the non-malicious feed.
  auto allowed = nlohmann::json::parse(render("stix", domains(Verdict::kNonMalicious, {"ok.example"})));
  CHECK(allowed["objects"][3]["indicator_types"] == nlohmann::json::array({"benign"}));
}

TEST_CASE("STIX patterns name each indicator type and escape what would end the literal") {
  CHECK(stix_pattern(IndicatorType::kIpv6, "2001:db8::1") == "[ipv6-addr:value = '2001:db8::1']");
  CHECK(stix_pattern(IndicatorType::kSha256, "ab") == "[file:hashes.'SHA-256' = 'ab']");
  CHECK(stix_pattern(IndicatorType::kMd5, "ab") == "[file:hashes.MD5 = 'ab']");
  CHECK(stix_pattern(IndicatorType::kDomain, "a'] OR [x:y = '\\") == R"([domain-name:value = 'a\'] OR [x:y = \'\\'])");
  CHECK(stix_time(kModified) == "2026-11-27T21:00:00.000Z");
}

TEST_CASE("the STIX delta bundle adds the hour's indicators and revokes removed ones as last published") {
  TempDir dir;
  FeedSettings settings;
  Feed before = domains(Verdict::kMalicious, {"gone.example", "stays.example"});
  before.entries[0].confidence = 77;
  write_text(dir / "before.stix.json", render("stix", before, settings));
  Feed after = domains(Verdict::kMalicious, {"new.example", "stays.example"});
  FeedChanges changes = compare_feeds(after, {"gone.example", "never.example", "stays.example"}, kModified);
  TimePoint next = kModified + std::chrono::hours(1);
  StringOutput out;
  write_stix_delta(settings, after, changes, dir / "missing.json", dir / "before.stix.json", next, out);
  auto bundle = nlohmann::json::parse(out.text);
  REQUIRE(bundle["objects"].size() == 3 + 3);
  auto added = bundle["objects"][3];
  CHECK(added["name"] == "new.example");
  CHECK_FALSE(added.contains("revoked"));
  auto gone = bundle["objects"][4];
  CHECK(gone["name"] == "gone.example");
  CHECK(gone["revoked"] == true);
  CHECK(gone["confidence"] == 77);  // as last published
  CHECK(gone["created"] == "2026-11-20T00:00:00.000Z");
  CHECK(gone["modified"] == "2026-11-27T22:00:00.000Z");
  // Never published in STIX: revoked all the same, dated from the list it left.
  auto never = bundle["objects"][5];
  CHECK(never["name"] == "never.example");
  CHECK(never["revoked"] == true);
  CHECK(never["created"] == "2026-11-27T21:00:00.000Z");

  // The next hours' delta bundles carry the revocations, as published,
  // for a week, unless the indicator is listed again.
  write_text(dir / "delta.stix.json", out.text);
  auto revoked_in = [&](const Feed& current, TimePoint when) {
    StringOutput later;
    write_stix_delta(settings, current, compare_feeds(current, {}, when), dir / "delta.stix.json", {}, when, later);
    std::vector<std::string> names;
    const nlohmann::json later_bundle = nlohmann::json::parse(later.text);
    for (const auto& object : later_bundle["objects"]) {
      if (object.value("revoked", false))
        names.push_back(object["name"].get<std::string>() + " " + object["modified"].get<std::string>());
    }
    return names;
  };
  Feed unchanged = domains(Verdict::kMalicious, {"new.example", "stays.example"});
  CHECK(revoked_in(unchanged, next + std::chrono::hours(1)) ==
        std::vector<std::string>{"gone.example 2026-11-27T22:00:00.000Z", "never.example 2026-11-27T22:00:00.000Z"});
  CHECK(revoked_in(unchanged, next + std::chrono::hours(24 * 8)).empty());
  Feed relisted = domains(Verdict::kMalicious, {"gone.example", "new.example", "stays.example"});
  CHECK(revoked_in(relisted, next + std::chrono::hours(1)) ==
        std::vector<std::string>{"never.example 2026-11-27T22:00:00.000Z"});
}

TEST_CASE("a Squid ACL covers subdomains with a leading dot and leaves out what a listed parent covers") {
  Feed feed = domains(Verdict::kMalicious,
                      {"evil.example", "a.evil.example", "b.a.evil.example", "evil.example.org", "notevil.example"});
  std::string text = render("squid", feed);
  CHECK(body_lines(text) == std::vector<std::string>{".evil.example", ".evil.example.org", ".notevil.example"});
  CHECK(text.find("Number of entries: 3") != std::string::npos);
  CHECK(find_feed_format("squid")->covers_subdomains());
  CHECK_FALSE(find_feed_format("squid")->selection(domains(Verdict::kMalicious, {"a.example", "b.example"})));
}

TEST_CASE("a MikroTik script empties and refills the feed's address lists, IPv4 and IPv6 apart") {
  CHECK(body_lines(render("mikrotik", ips())) ==
        std::vector<std::string>{"/ip firewall address-list remove [find where list=\"malicious-ips\"]",
                                 "/ip firewall address-list", "add list=\"malicious-ips\" address=192.0.2.1",
                                 "/ipv6 firewall address-list remove [find where list=\"malicious-ips\"]",
                                 "/ipv6 firewall address-list", "add list=\"malicious-ips\" address=2001:db8::1"});
  CHECK_FALSE(find_feed_format("mikrotik")->accepts(IndicatorGroup::kDomain));
}

TEST_CASE("Check Point IoC CSV: seven fields on every line, IPv4 only, malicious feeds only") {
  std::string text = render("checkpoint", ips());
  CHECK(body_lines(text) ==
        std::vector<std::string>{
            "malicious-ips:192.0.2.1,192.0.2.1,IP,medium,high,AB,3 malicious and 1 non-malicious votes"});
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    // A comment holding commas is one quoted field: the commas outside
    // quotes are always six.
    int commas = 0;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      if (c == ',' && !quoted) ++commas;
    }
    CHECK(commas == 6);
  }
  CHECK_FALSE(find_feed_format("checkpoint")->publishes(domains(Verdict::kNonMalicious, {"ok.example"})));
  Feed hashes{"malicious-hashes", Verdict::kMalicious, {}, IndicatorGroup::kHash};
  hashes.entries.push_back(entry(std::string(64, 'a'), IndicatorType::kSha256, 95));
  CHECK(body_lines(render("checkpoint", hashes))[0] ==
        fmt::format("malicious-hashes:{0},{0},SHA256,high,high,AV,3 malicious and 1 non-malicious votes",
                    std::string(64, 'a')));
}

namespace {

// The attributes of a MISP event by value: "timestamp deleted".
std::map<std::string, std::string> misp_attributes(const std::string& text) {
  std::map<std::string, std::string> attributes;
  const nlohmann::json event = nlohmann::json::parse(text);
  for (const auto& attribute : event["Event"]["Attribute"]) {
    attributes[attribute["value"].get<std::string>().substr(0, 20)] =
        attribute["timestamp"].get<std::string>() + (attribute["deleted"].get<bool>() ? " deleted" : "");
  }
  return attributes;
}

std::string render_misp(const Feed& feed, TimePoint version, const std::filesystem::path& previous) {
  StringOutput out;
  std::vector<HeaderField> header;
  FeedSettings settings;
  find_feed_format("misp")->write({feed, header, settings, version, previous}, out);
  return out.text;
}

}  // namespace

TEST_CASE("a MISP attribute keeps its timestamp while unchanged; one that leaves is deleted for a week") {
  TempDir dir;
  const TimePoint first = kModified;
  Feed feed = domains(Verdict::kMalicious, {"a.example", "b.example", "c.example"});
  std::string one = render_misp(feed, first, {});
  write_text(dir / "one.json", one);
  const std::string t1 = std::to_string(first.time_since_epoch().count());
  CHECK(misp_attributes(one) ==
        std::map<std::string, std::string>{
            {"a.example", t1}, {"b.example", t1}, {"c.example", t1}, {"License: Apache-2.0 ", t1}});
  // An hour later: a.example unchanged, b.example gets a vote, c.example
  // leaves, d.example comes.
  const TimePoint second = first + std::chrono::hours(1);
  const std::string t2 = std::to_string(second.time_since_epoch().count());
  Feed next = domains(Verdict::kMalicious, {"a.example", "b.example", "d.example"});
  next.entries[1].malicious_votes += 1;
  std::string two = render_misp(next, second, dir / "one.json");
  CHECK(misp_attributes(two) == std::map<std::string, std::string>{{"a.example", t1},
                                                                   {"b.example", t2},
                                                                   {"c.example", t2 + " deleted"},
                                                                   {"d.example", t2},
                                                                   {"License: Apache-2.0 ", t1}});
  CHECK(nlohmann::json::parse(two)["Event"]["timestamp"] == t2);
  // The deleted attribute stays, dated from its deletion, for a week;
  // one that comes back is live again, with a newer timestamp.
  write_text(dir / "two.json", two);
  const TimePoint later = second + std::chrono::hours(24 * 6);
  std::string three = render_misp(next, later, dir / "two.json");
  CHECK(misp_attributes(three)["c.example"] == t2 + " deleted");
  write_text(dir / "three.json", three);
  const TimePoint week = second + std::chrono::hours(24 * 7 + 1);
  CHECK_FALSE(misp_attributes(render_misp(next, week, dir / "three.json")).contains("c.example"));
  Feed back = domains(Verdict::kMalicious, {"a.example", "b.example", "c.example", "d.example"});
  back.entries[1].malicious_votes += 1;
  CHECK(misp_attributes(render_misp(back, later, dir / "three.json"))["c.example"] ==
        std::to_string(later.time_since_epoch().count()));
  // A damaged previous event: everything is new, nothing is carried.
  write_text(dir / "damaged.json", one.substr(0, one.size() / 2) + "\n{\"uuid\":\"x\"\n");
  CHECK(misp_attributes(render_misp(next, second, dir / "damaged.json")).size() == 4);
}
