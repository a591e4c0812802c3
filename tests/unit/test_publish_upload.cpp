#include <catch2/catch.hpp>
#include <deque>

#include "cli/settings.h"
#include "feeds/by_hash.h"
#include "feeds/layout.h"
#include "feeds/manifest.h"
#include "feeds/publish.h"
#include "feeds/signatures.h"
#include "publish/upload.h"
#include "temp_dir.h"
#include "test_keys.h"
#include "util/error.h"

using namespace crowdfeed;
using crowdfeed::testing::TempDir;

namespace {

// A destination that records what it is given and fails as scripted: a
// unit stand-in; the real servers are tested end to end.
class ScriptedDestination : public Destination {
 public:
  enum class Outcome { kOk, kTransient, kPermanent };
  void put(const UploadFile& file) override {
    Outcome outcome = Outcome::kOk;
    auto scripted = script.find(file.name);
    if (scripted != script.end() && !scripted->second.empty()) {
      outcome = scripted->second.front();
      scripted->second.pop_front();
    }
    attempts.push_back(file.name);
    if (outcome == Outcome::kTransient) throw TransientUploadError("HTTP 503 from the test");
    if (outcome == Outcome::kPermanent) throw PermanentUploadError("HTTP 403 password=hunter2");
    stored.push_back(file.name);
    events.push_back("put " + file.name);
    held[file.name] = file.size;
  }
  std::optional<std::uint64_t> size_of(const std::string& name) override {
    auto found = held.find(name);
    return found == held.end() ? std::nullopt : std::optional(found->second);
  }
  void remove(const std::string& name) override {
    held.erase(name);
    removed.push_back(name);
    events.push_back("remove " + name);
  }
  // The data files stored, without the by-hash objects.
  std::vector<std::string> stored_names() const {
    std::vector<std::string> names;
    std::copy_if(stored.begin(), stored.end(), std::back_inserter(names),
                 [](const std::string& name) { return !is_by_hash_name(name); });
    return names;
  }
  std::map<std::string, std::deque<Outcome>> script;
  std::vector<std::string> attempts;
  std::vector<std::string> stored;
  std::map<std::string, std::uint64_t> held;
  std::vector<std::string> removed;
  std::vector<std::string> events;  // "put NAME" and "remove NAME", in order
};

struct Fixture {
  TempDir dir;
  Config config;
  DestinationSettings settings{"test", "test://", {}, {"user", "hunter2", ""}, 5};
  UploadSettings upload;

  Fixture() {
    config.feeds_dir = dir / "feeds";
    config.feeds.formats = {"txt"};
    config.feeds.gzip = std::nullopt;
    upload.base_delay_ms = 1;
    upload.max_delay_ms = 2;
    config.state_dir = dir / "state";
    publish("a.example.com", "2026-11-27T21:00:00Z");
  }

  // Publishes a malicious feed of `domain` locally, as a run at `time` would.
  void publish(const std::string& domain, const std::string& time) {
    FeedSet feeds;
    feeds.feeds = {{"malicious-domains", Verdict::kMalicious, {{domain, 2, 0, {}, {}}}},
                   {"non-malicious-domains", Verdict::kNonMalicious, {}}};
    publish_feeds(publish_settings(config), feeds, *parse_time(time));
  }

  DestinationOutcome sync(ScriptedDestination& destination, const std::string& state = "test.json") {
    return sync_destination(destination, settings, upload, config.feeds_dir, dir / "state" / state);
  }

  Manifest manifest() const { return *read_manifest(config.feeds_dir / "manifest.json"); }

  std::string by_hash_of(const std::string& name) const { return by_hash_name(manifest().find(name)->sha256); }
};

}  // namespace

TEST_CASE("by-hash objects go first, then the feed files, SHA256SUMS and manifest.json last") {
  Fixture fixture;
  ScriptedDestination destination;
  auto outcome = fixture.sync(destination);
  CHECK(outcome.current);
  std::vector<std::string> expected;
  for (const auto& file : fixture.manifest().files) expected.push_back(by_hash_name(file.sha256));
  for (const auto& file : fixture.manifest().files) expected.push_back(file.name);
  expected.insert(expected.end(), {"SHA256SUMS", "manifest.json"});
  CHECK(destination.stored == expected);
  // A second run finds everything in place and sends nothing.
  ScriptedDestination again;
  outcome = fixture.sync(again);
  CHECK(outcome.current);
  CHECK(again.stored.empty());
  CHECK(outcome.unchanged == expected.size());
}

TEST_CASE("each signature goes right after the file it signs, the manifest's last") {
  Fixture fixture;
  fixture.config.signing = crowdfeed::testing::write_test_key(fixture.dir, true);
  std::optional<FeedSigner> signer = FeedSigner::load(fixture.config.signing);
  FeedSet feeds;
  feeds.feeds = {{"malicious-domains", Verdict::kMalicious, {{"b.example.com", 2, 0, {}, {}}}},
                 {"non-malicious-domains", Verdict::kNonMalicious, {}}};
  publish_feeds(publish_settings(fixture.config), feeds, {}, *parse_time("2026-11-27T22:00:00Z"),
                *feeds_directory_sink(publish_settings(fixture.config), &*signer));
  ScriptedDestination destination;
  REQUIRE(fixture.sync(destination).current);
  std::vector<std::string> expected;
  for (const auto& file : fixture.manifest().files) expected.push_back(file.name);
  expected.insert(expected.end(), {"SHA256SUMS", "manifest.json"});
  std::vector<std::string> with_signatures;
  for (const auto& name : expected) with_signatures.insert(with_signatures.end(), {name, name + ".minisig"});
  CHECK(destination.stored_names() == with_signatures);

  // Signing stops while a feed changes: the signatures go from the
  // destination first, so that none contradicts the new file it signed
  // the old version of.
  fixture.config.signing = {};
  fixture.publish("c.example.com", "2026-11-27T23:00:00Z");
  ScriptedDestination after;
  after.held = destination.held;
  REQUIRE(fixture.sync(after).current);
  auto first_put = std::find_if(after.events.begin(), after.events.end(),
                                [](const std::string& event) { return event.starts_with("put "); });
  std::size_t removed_before = 0;
  for (auto event = after.events.begin(); event != first_put; ++event) {
    if (event->ends_with(".minisig")) ++removed_before;
  }
  CHECK(removed_before == with_signatures.size() / 2);
  CHECK(std::none_of(first_put, after.events.end(),
                     [](const std::string& event) { return event.ends_with(".minisig"); }));
}

TEST_CASE("a by-hash object the destination holds is not sent again, even without a state file") {
  Fixture fixture;
  ScriptedDestination destination;
  fixture.sync(destination);
  destination.stored.clear();
  auto outcome = fixture.sync(destination, "lost-state.json");
  CHECK(outcome.current);
  // Feed files under their own names may have changed: those are sent.
  CHECK(destination.stored == destination.stored_names());
  CHECK(destination.stored.size() == fixture.manifest().files.size() + 2);
  CHECK(outcome.unchanged == fixture.manifest().files.size());
}

TEST_CASE("a superseded by-hash object is deleted once no manifest listed it for the keep time") {
  Fixture fixture;
  ScriptedDestination destination;
  fixture.sync(destination);
  std::string old_object = fixture.by_hash_of("malicious-domains.txt");

  fixture.publish("b.example.com", "2026-11-27T22:00:00Z");
  auto outcome = fixture.sync(destination);
  CHECK(outcome.deleted == 0);
  CHECK(destination.held.count(old_object) == 1);  // a consumer may hold the 21:00 manifest
  fixture.publish("b.example.com", "2026-11-27T23:00:00Z");
  CHECK(fixture.sync(destination).deleted == 0);  // listed at 21:00: exactly 2 hours
  CHECK(std::filesystem::exists(fixture.config.feeds_dir / old_object));

  fixture.publish("b.example.com", "2026-11-28T00:00:00Z");
  outcome = fixture.sync(destination);
  CHECK(outcome.current);
  CHECK(std::count(destination.removed.begin(), destination.removed.end(), old_object) == 1);
  CHECK(destination.held.count(old_object) == 0);
  CHECK(destination.held.count(fixture.by_hash_of("malicious-domains.txt")) == 1);
  // The local copy went the same way.
  CHECK_FALSE(std::filesystem::exists(fixture.config.feeds_dir / old_object));
}

TEST_CASE("transient failures are retried, permanent ones are not, and redacted") {
  Fixture fixture;
  ScriptedDestination destination;
  using O = ScriptedDestination::Outcome;
  destination.script["malicious-domains.txt"] = {O::kTransient, O::kTransient};
  auto outcome = fixture.sync(destination);
  CHECK(outcome.current);
  CHECK(outcome.retries == 2);
  CHECK(std::count(destination.attempts.begin(), destination.attempts.end(), "malicious-domains.txt") == 3);

  Fixture other;
  ScriptedDestination refused;
  refused.script["non-malicious-domains.txt"] = {O::kPermanent};
  outcome = other.sync(refused);
  CHECK_FALSE(outcome.current);
  CHECK(std::count(refused.attempts.begin(), refused.attempts.end(), "non-malicious-domains.txt") == 1);
  CHECK(outcome.error == "HTTP 403 password=REDACTED");
}

TEST_CASE("after a failed data file the manifest waits, and the next run catches up") {
  Fixture fixture;
  fixture.upload.max_attempts = 3;
  ScriptedDestination destination;
  using O = ScriptedDestination::Outcome;
  destination.script["non-malicious-domains.txt"] = {O::kTransient, O::kTransient, O::kTransient};
  auto outcome = fixture.sync(destination);
  CHECK_FALSE(outcome.current);
  CHECK_THAT(outcome.error, Catch::Contains("after 3 attempts"));
  CHECK(destination.stored_names() == std::vector<std::string>{"malicious-domains.txt"});

  ScriptedDestination next;
  outcome = fixture.sync(next);
  CHECK(outcome.current);
  // What arrived before the failure is not sent again.
  std::vector<std::string> expected;
  for (const auto& file : fixture.manifest().files) {
    if (file.name != "malicious-domains.txt") expected.push_back(file.name);
  }
  expected.insert(expected.end(), {"SHA256SUMS", "manifest.json"});
  CHECK(next.stored == expected);
}

TEST_CASE("URLs and messages never show a secret") {
  CHECK(redact_url("https://user:pw@example.net/feeds/?sig=abc") == "https://REDACTED@example.net/feeds/?REDACTED");
  CHECK(redact_url("sftp://feeds@host.example/srv") == "sftp://REDACTED@host.example/srv");
  CHECK(redact("token tk-123 failed", {"", "", "tk-123"}) == "token REDACTED failed");
  CHECK(content_type_for("malicious-domains.rpz.gz") == "application/gzip");
  CHECK(content_type_for("manifest.json") == "application/json");
  CHECK(content_type_for("malicious-domains.stix.json") == "application/stix+json;version=2.1");
  CHECK(content_type_for("SHA256SUMS") == "text/plain; charset=utf-8");
}

TEST_CASE("an unknown scheme is refused by name") {
  DestinationSettings settings{"x", "gopher://example.net/", {}, {}, 5};
  CHECK_THROWS_WITH(make_destination(settings), Catch::Contains("unsupported URL gopher://example.net/"));
}

TEST_CASE("S3 addressing: virtual-host on AWS by default, path-style with an endpoint") {
  DestinationSettings aws{"s3", "s3://feeds-bucket/public/crowdfeed", {{"region", "eu-central-1"}}, {}, 5};
  CHECK(s3_prefix_url(aws) == "https://feeds-bucket.s3.eu-central-1.amazonaws.com/public/crowdfeed/");
  aws.options["addressing"] = "path";
  CHECK(s3_prefix_url(aws) == "https://s3.eu-central-1.amazonaws.com/feeds-bucket/public/crowdfeed/");
  DestinationSettings local{
      "s3", "s3://feeds", {{"region", "us-east-1"}, {"endpoint", "http://127.0.0.1:9000/"}}, {}, 5};
  CHECK(s3_prefix_url(local) == "http://127.0.0.1:9000/feeds/");
  local.options["addressing"] = "virtual";
  CHECK(s3_prefix_url(local) == "http://feeds.127.0.0.1:9000/");
  local.options["region"] = "";
  CHECK_THROWS_WITH(s3_prefix_url(local), Catch::Contains("needs a region"));
  local.options["region"] = "us-east-1";
  local.options["addressing"] = "sideways";
  CHECK_THROWS_WITH(s3_prefix_url(local), Catch::Contains("addressing must be path or virtual"));
}
