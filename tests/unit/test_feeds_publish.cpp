#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/settings.h"
#include "feeds/by_hash.h"
#include "feeds/formats.h"
#include "feeds/layout.h"
#include "feeds/manifest.h"
#include "feeds/publish.h"
#include "feeds/signatures.h"
#include "temp_dir.h"
#include "test_keys.h"
#include "util/sha256.h"

using namespace crowdfeed;
using crowdfeed::testing::read_text;
using crowdfeed::testing::TempDir;

namespace {

TimePoint at(const char* text) {
  return *parse_time(text);
}

FeedSet feeds_with(std::vector<std::string> malicious, std::vector<std::string> non_malicious = {}) {
  FeedSet feeds;
  feeds.feeds = {{"malicious-domains", Verdict::kMalicious, {}}, {"non-malicious-domains", Verdict::kNonMalicious, {}}};
  for (auto& domain : malicious) feeds.feeds[0].entries.push_back({std::move(domain), 2, 0, {}, {}});
  for (auto& domain : non_malicious) feeds.feeds[1].entries.push_back({std::move(domain), 0, 2, {}, {}});
  return feeds;
}

// Publishes the plain list alone, so a test sees just the files it is about.
Config plain_only(const TempDir& dir) {
  Config config;
  config.feeds_dir = dir / "feeds";
  config.feeds.formats = {"txt"};
  config.feeds.gzip = std::nullopt;
  config.feeds.set = {{"malicious-domains", IndicatorGroup::kDomain, Verdict::kMalicious, {"txt"}},
                      {"non-malicious-domains", IndicatorGroup::kDomain, Verdict::kNonMalicious, {"txt"}}};
  return config;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// `files` without the delta files (NAME.added.txt, NAME.removed.txt), which
// every hour rewrites.
std::vector<std::string> without_deltas(std::vector<std::string> files) {
  std::erase_if(files,
                [](const std::string& name) { return name.ends_with(".added.txt") || name.ends_with(".removed.txt"); });
  return files;
}

}  // namespace

TEST_CASE("the plain feed is a header of comment lines, then one domain a line") {
  TempDir dir;
  Config config;
  config.feeds_dir = dir / "feeds";
  publish_feeds(publish_settings(config), feeds_with({"a.example.com", "b.example.com"}, {"ok.example.org"}),
                at("2026-11-27T21:05:00Z"));
  auto text = lines(read_text(dir / "feeds" / "malicious-domains.txt"));
  REQUIRE(text.size() == 13);
  CHECK(text[0] == "# Title: crowdfeed malicious domains");
  // No whitelist is configured, so the header does not claim one.
  CHECK(text[1] ==
        "# Description: Domains that community voters voted malicious (at least 2 votes and 75% of all votes for "
        "the verdict, all votes counted).");
  CHECK(text[2] == "# Homepage: https://example.org/crowdfeed/");
  CHECK(text[3] == "# License: https://www.apache.org/licenses/LICENSE-2.0 (Apache-2.0)");
  CHECK_THAT(text[4], Catch::StartsWith("# Terms: Provided \"as is\", without warranty"));
  CHECK(text[5] == "# False positives: report at https://example.org/crowdfeed/");
  CHECK(text[6] == "# Expires: 1 hour");
  // The run at 21:05 is the run for the 21:00 hour slot.
  CHECK(text[7] == "# Last modified: 2026-11-27T21:00:00Z");
  CHECK(text[8] == "# Version: 202611272100");
  CHECK(text[9] == "# Syntax: one indicator per line");
  CHECK(text[10] == "# Number of entries: 2");
  CHECK(text[11] == "a.example.com");
  CHECK(text[12] == "b.example.com");
}

TEST_CASE("an unchanged feed stays byte-for-byte identical, with its old Last-Modified") {
  TempDir dir;
  Config config = plain_only(dir);
  auto first = publish_feeds(publish_settings(config), feeds_with({"a.example.com"}, {"ok.example.org"}),
                             at("2026-11-27T21:00:00Z"));
  // Two feeds, the (empty) list of whitelist exclusions and SHA256SUMS.
  CHECK(without_deltas(first.changed_files) == std::vector<std::string>{"malicious-domains.txt",
                                                                        "non-malicious-domains.txt",
                                                                        "excluded-domains.csv", "SHA256SUMS"});
  std::string before = read_text(dir / "feeds" / "malicious-domains.txt");

  auto second = publish_feeds(publish_settings(config), feeds_with({"a.example.com"}, {"ok.example.org"}),
                              at("2026-11-27T22:00:00Z"));
  CHECK(without_deltas(second.changed_files) == std::vector<std::string>{"SHA256SUMS"});  // the deltas' hashes
  CHECK(read_text(dir / "feeds" / "malicious-domains.txt") == before);

  // A new entry changes that feed alone, and gives it the new time.
  auto third =
      publish_feeds(publish_settings(config), feeds_with({"a.example.com", "b.example.com"}, {"ok.example.org"}),
                    at("2026-11-27T23:00:00Z"));
  CHECK(without_deltas(third.changed_files) == std::vector<std::string>{"malicious-domains.txt", "SHA256SUMS"});
  CHECK_THAT(read_text(dir / "feeds" / "malicious-domains.txt"),
             Catch::Contains("Last modified: 2026-11-27T23:00:00Z"));
  CHECK_THAT(read_text(dir / "feeds" / "non-malicious-domains.txt"),
             Catch::Contains("Last modified: 2026-11-27T21:00:00Z"));
  REQUIRE(third.feeds.size() == 2);
  CHECK(third.feeds[0].added == std::vector<std::string>{"b.example.com"});
  CHECK(third.feeds[0].removed.empty());

  // A changed setting changes the header, and so the file.
  config.feeds.homepage = "https://feeds.example.net/";
  auto fourth =
      publish_feeds(publish_settings(config), feeds_with({"a.example.com", "b.example.com"}, {"ok.example.org"}),
                    at("2026-11-28T00:00:00Z"));
  CHECK(without_deltas(fourth.changed_files).size() == 3);
}

TEST_CASE("manifest.json and SHA256SUMS describe exactly the files on disk") {
  TempDir dir;
  Config config;
  config.feeds_dir = dir / "feeds";
  publish_feeds(publish_settings(config), feeds_with({"a.example.com", "b.example.com"}), at("2026-11-27T21:30:00Z"));
  auto manifest = nlohmann::json::parse(read_text(dir / "feeds" / "manifest.json"));
  CHECK(manifest["generated"] == "2026-11-27T21:30:00Z");
  CHECK(manifest["hour"] == "2026-11-27T21:00:00Z");
  std::size_t published = 0;
  for (const auto& name : config.feeds.formats) {
    const FeedFormat* format = find_feed_format(name);
    published +=
        (format->publishes(feeds_with({}).feeds[0]) ? 1 : 0) + (format->publishes(feeds_with({}).feeds[1]) ? 1 : 0);
  }
  // Each file and its .gz copy, excluded-domains.csv and four delta files.
  REQUIRE(manifest["files"].size() == published * 2 + 1 + 4);
  std::string sums;
  for (const auto& file : manifest["files"]) {
    auto path = dir / "feeds" / file["name"].get<std::string>();
    CHECK(file["sha256"] == sha256_file_hex(path));
    CHECK(file["size"] == std::filesystem::file_size(path));
    sums += fmt::format("{}  {}\n", file["sha256"].get<std::string>(), file["name"].get<std::string>());
  }
  CHECK(manifest["files"][0]["entries"] == 2);
  CHECK(read_text(dir / "feeds" / "SHA256SUMS") == sums);
}

TEST_CASE("the delta files list what was added and removed since the previous hour, with the feed's header") {
  TempDir dir;
  Config config = plain_only(dir);
  auto first = feeds_with({"a.example.com", "old.example.com"});
  publish_feeds(publish_settings(config), first, at("2026-11-27T21:00:00Z"));
  std::vector<FeedChanges> changes;
  changes.push_back(compare_feeds(feeds_with({"a.example.com", "new.example.com"}).feeds[0],
                                  {"a.example.com", "old.example.com"}, at("2026-11-27T21:00:00Z")));
  changes.push_back(compare_feeds(first.feeds[1], {}, at("2026-11-27T21:00:00Z")));
  publish_feeds(publish_settings(config), feeds_with({"a.example.com", "new.example.com"}), changes,
                at("2026-11-27T22:10:00Z"), *feeds_directory_sink(publish_settings(config), nullptr));
  auto added = lines(read_text(dir / "feeds" / "malicious-domains.added.txt"));
  auto removed = lines(read_text(dir / "feeds" / "malicious-domains.removed.txt"));
  CHECK(added.back() == "new.example.com");
  CHECK(removed.back() == "old.example.com");
  CHECK(std::count(added.begin(), added.end(), "# Version: 202611272200") == 1);
  CHECK(std::count(added.begin(), added.end(), "# Delta: added since 202611272100") == 1);
  CHECK(std::count(removed.begin(), removed.end(), "# Delta: removed since 202611272100") == 1);
  CHECK(std::count(added.begin(), added.end(), "# Number of entries: 1") == 1);
  CHECK(added[0] == "# Title: crowdfeed malicious domains");
  CHECK(lines(read_text(dir / "feeds" / "non-malicious-domains.added.txt")).back() == "# Number of entries: 0");
}

TEST_CASE("a dry run writes nothing and reports the changes") {
  TempDir dir;
  Config config = plain_only(dir);
  publish_feeds(publish_settings(config), feeds_with({"a.example.com", "old.example.com"}), at("2026-11-27T21:00:00Z"));
  std::string before = read_text(dir / "feeds" / "malicious-domains.txt");
  auto report = publish_feeds(publish_settings(config), feeds_with({"a.example.com", "new.example.com"}),
                              at("2026-11-27T22:00:00Z"), dry_run_sink().get());
  CHECK(read_text(dir / "feeds" / "malicious-domains.txt") == before);
  CHECK(report.feeds[0].added == std::vector<std::string>{"new.example.com"});
  CHECK(report.feeds[0].removed == std::vector<std::string>{"old.example.com"});
  CHECK(without_deltas(report.changed_files) == std::vector<std::string>{"malicious-domains.txt"});

  TempDir empty;
  config.feeds_dir = empty / "feeds";
  publish_feeds(publish_settings(config), feeds_with({"a.example.com"}), at("2026-11-27T22:00:00Z"),
                dry_run_sink().get());
  CHECK_FALSE(std::filesystem::exists(empty / "feeds"));
}

TEST_CASE("every published file also has its immutable by-hash name, a hard link, pruned after the keep time") {
  TempDir dir;
  Config config = plain_only(dir);
  config.state_dir = dir / "state";
  publish_feeds(publish_settings(config), feeds_with({"a.example.com"}), at("2026-11-27T21:00:00Z"));
  auto manifest = *read_manifest(dir / "feeds" / "manifest.json");
  for (const auto& file : manifest.files) {
    auto object = dir / "feeds" / by_hash_name(file.sha256);
    REQUIRE(std::filesystem::exists(object));
    CHECK(std::filesystem::equivalent(object, dir / "feeds" / file.name));  // no copy
  }
  std::string first_list = by_hash_name(manifest.find("malicious-domains.txt")->sha256);

  // Replaced in place, the old list keeps its by-hash name (and content).
  publish_feeds(publish_settings(config), feeds_with({"b.example.com"}), at("2026-11-27T22:00:00Z"));
  REQUIRE(std::filesystem::exists(dir / "feeds" / first_list));
  CHECK(sha256_file_hex(dir / "feeds" / first_list) == first_list.substr(first_list.rfind('/') + 1));
  // Listed last at 21:00, it goes once a run is more than two hours later.
  publish_feeds(publish_settings(config), feeds_with({"b.example.com"}), at("2026-11-27T23:00:00Z"));
  CHECK(std::filesystem::exists(dir / "feeds" / first_list));
  publish_feeds(publish_settings(config), feeds_with({"b.example.com"}), at("2026-11-28T00:00:00Z"));
  CHECK_FALSE(std::filesystem::exists(dir / "feeds" / first_list));
}

TEST_CASE("a second change in the same hour gets a later version and Last-Modified; an unchanged rerun keeps them") {
  TempDir dir;
  Config config = plain_only(dir);
  auto version_of = [&] {
    for (const auto& line : lines(read_text(dir / "feeds" / "malicious-domains.txt"))) {
      if (line.starts_with("# Version: ")) return line.substr(11);
    }
    return std::string();
  };
  publish_feeds(publish_settings(config), feeds_with({"a.example.com", "fp.example.com"}), at("2026-11-27T21:00:00Z"));
  CHECK(version_of() == "202611272100");
  // The emergency path: the false positive is whitelisted, the job runs again.
  publish_feeds(publish_settings(config), feeds_with({"a.example.com"}), at("2026-11-27T21:20:00Z"));
  CHECK(version_of() == "202611272101");
  auto manifest = nlohmann::json::parse(read_text(dir / "feeds" / "manifest.json"));
  CHECK(manifest["version"] == "202611272101");
  CHECK(manifest["hour"] == "2026-11-27T21:00:00Z");
  publish_feeds(publish_settings(config), feeds_with({"a.example.com"}), at("2026-11-27T21:40:00Z"));
  CHECK(version_of() == "202611272101");
  // The next hour starts from the hour again.
  publish_feeds(publish_settings(config), feeds_with({"b.example.com"}), at("2026-11-27T22:00:00Z"));
  CHECK(version_of() == "202611272200");
  // A run for an earlier hour (--force) still moves the version forward.
  publish_feeds(publish_settings(config), feeds_with({"c.example.com"}), at("2026-11-27T20:00:00Z"));
  CHECK(version_of() == "202611272201");
}

TEST_CASE("a manifest that lists a name outside its folder, or no SHA-256, is not read") {
  auto manifest_with = [](const std::string& name, const std::string& sha256) {
    return nlohmann::json{{"generated", "2026-11-27T21:00:00Z"},
                          {"hour", "2026-11-27T21:00:00Z"},
                          {"files",
                           {{{"name", name},
                             {"feed", "f"},
                             {"format", "txt"},
                             {"size", 1},
                             {"entries", 1},
                             {"sha256", sha256},
                             {"last_modified", "2026-11-27T21:00:00Z"}}}}}
        .dump();
  };
  const std::string digest(64, 'a');
  CHECK(parse_manifest(manifest_with("malicious-domains.txt", digest)).files.size() == 1);
  CHECK_THROWS_WITH(parse_manifest(manifest_with("../../etc/passwd", digest)), Catch::Contains("'..'"));
  CHECK_THROWS_WITH(parse_manifest(manifest_with("/etc/passwd", digest)), Catch::Contains("absolute"));
  CHECK_THROWS_WITH(parse_manifest(manifest_with("a.txt", "../x")), Catch::Contains("no SHA-256"));
}

TEST_CASE("a signed publication has a verifying signature after each signed file, and none once signing stops") {
  TempDir dir;
  Config config = plain_only(dir);
  config.feeds.title = "Test\tfeeds";
  // With a MISP feed, whose files are in a folder of their own.
  for (auto& spec : config.feeds.set) spec.formats = {"txt", "misp"};
  for (bool every_file : {false, true}) {
    CAPTURE(every_file);
    config.signing = crowdfeed::testing::write_test_key(dir, every_file);
    std::optional<FeedSigner> signer = FeedSigner::load(config.signing);
    REQUIRE(signer);
    std::string hour = every_file ? "2026-11-27T22:00:00Z" : "2026-11-27T21:00:00Z";
    PublishReport report = publish_feeds(publish_settings(config), feeds_with({"a.example.com"}), {}, at(hour.c_str()),
                                         *feeds_directory_sink(publish_settings(config), &*signer));
    Manifest manifest = *read_manifest(config.feeds_dir / "manifest.json");
    REQUIRE(manifest.signing);
    CHECK(manifest.signing->key.key_id == signer->public_key().key_id_hex());
    CHECK(manifest.signing->every_file == every_file);
    std::vector<SignedFile> signed_ones = signed_files(manifest);
    CHECK(signed_ones.size() == (every_file ? manifest.files.size() + 2 : 2));
    CHECK(signed_ones.back().signature == "manifest.json.minisig");
    for (const SignedFile& file : signed_ones) {
      CAPTURE(file.name);
      minisign::Signature signature =
          minisign::parse_signature(read_text(config.feeds_dir / file.signature), file.signature);
      CHECK(minisign::verification_problem(signer->public_key(), signature,
                                           minisign::prehash(read_text(config.feeds_dir / file.name)))
                .empty());
      std::optional<SignedFacts> facts = parse_trusted_comment(signature.trusted_comment);
      REQUIRE(facts);
      SignedFacts expected = expected_facts(manifest, "Test feeds", file.name);
      CHECK(facts->feed_set == "Test feeds");
      CHECK(facts->file == file.name);
      CHECK(facts->hour == expected.hour);
      CHECK(facts->version == expected.version);
      if (file.name == "SHA256SUMS") CHECK(format_iso8601(facts->hour) == hour);
    }
  }
  // Signing stops: no signature is left to contradict its file.
  config.signing = {};
  publish_feeds(publish_settings(config), feeds_with({"a.example.com"}), {}, at("2026-11-27T23:00:00Z"),
                *feeds_directory_sink(publish_settings(config), nullptr));
  CHECK_FALSE(read_manifest(config.feeds_dir / "manifest.json")->signing);
  std::size_t checked = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(config.feeds_dir)) {
    CHECK_FALSE(entry.path().filename().string().ends_with(".minisig"));
    checked += entry.path().parent_path().filename() == "misp";
  }
  CHECK(checked > 0);  // the MISP feed's folder was looked in
}

TEST_CASE("a trusted comment reads back as written, and nothing else reads as one") {
  SignedFacts facts{"crowdfeed", at("2026-12-06T20:00:00Z"), "202612062000", "SHA256SUMS"};
  std::string comment = render_trusted_comment(facts);
  CHECK(comment == "feeds:crowdfeed\thour:2026-12-06T20:00:00Z\tversion:202612062000\tfile:SHA256SUMS");
  std::optional<SignedFacts> read = parse_trusted_comment(comment);
  REQUIRE(read);
  CHECK(read->hour == facts.hour);
  CHECK(read->file == "SHA256SUMS");
  for (const char* other :
       {"timestamp:1764100000\tfile:SHA256SUMS\thashed", "feeds:crowdfeed\thour:yesterday\tversion:1\tfile:SHA256SUMS",
        "feeds:crowdfeed\thour:2026-12-06T20:00:00Z\tversion:1\tfile:SHA256SUMS\textra:1", ""}) {
    CAPTURE(other);
    CHECK_FALSE(parse_trusted_comment(other));
  }
}

TEST_CASE("an unchanged STIX bundle keeps its version for a day, then is versioned anew so it never lapses") {
  TempDir dir;
  Config config = plain_only(dir);
  for (auto& spec : config.feeds.set) spec.formats = {"txt", "stix"};
  auto feeds = feeds_with({"a.example.com"}, {"ok.example.org"});
  auto version_of = [&](const std::string& name) {
    auto manifest = read_manifest(dir / "feeds" / "manifest.json");
    REQUIRE(manifest);
    return format_iso8601(manifest->find(name)->last_modified);
  };
  publish_feeds(publish_settings(config), feeds, at("2026-11-27T21:00:00Z"));
  publish_feeds(publish_settings(config), feeds, at("2026-11-28T20:00:00Z"));
  CHECK(version_of("malicious-domains.stix.json") == "2026-11-27T21:00:00Z");
  CHECK(version_of("malicious-domains.txt") == "2026-11-27T21:00:00Z");
  publish_feeds(publish_settings(config), feeds, at("2026-11-28T21:00:00Z"));
  CHECK(version_of("malicious-domains.stix.json") == "2026-11-28T21:00:00Z");
  CHECK(version_of("malicious-domains.txt") == "2026-11-27T21:00:00Z");  // a list without a lifetime stays
  // The nothing-changed path does the same.
  PublishSettings settings = publish_settings(config);
  CHECK_FALSE(publish_unchanged(settings, at("2026-11-29T21:00:00Z"), std::nullopt));
  CHECK(publish_unchanged(settings, at("2026-11-28T22:00:00Z"), std::nullopt));
}
