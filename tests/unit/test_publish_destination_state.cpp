#include <catch2/catch.hpp>

#include "feeds/by_hash.h"
#include "feeds/layout.h"
#include "publish/destination_state.h"
#include "temp_dir.h"
#include "util/error.h"

using namespace crowdfeed;
using crowdfeed::testing::TempDir;
using crowdfeed::testing::write_text;

namespace {

const std::string kDigest(64, 'a');

}  // namespace

TEST_CASE("a destination state keeps only plain relative names with a SHA-256") {
  DestinationState state("/nonexistent/state.json", "s3://bucket/feeds/");
  state.read_json({{"url", "s3://bucket/feeds/"},
                   {"files",
                    {{"malicious-domains.txt", kDigest},
                     {"../../../precious.txt", kDigest},
                     {"/etc/passwd", kDigest},
                     {"by-hash/SHA256/../x", kDigest},
                     {"archive/a b.txt", kDigest},
                     {"index.html", "not a digest"}}}});
  CHECK(state.files() ==
        std::map<std::string, std::string>{{"archive/a b.txt", kDigest}, {"malicious-domains.txt", kDigest}});
  // A state written for another URL says nothing about this one.
  DestinationState other("/nonexistent/state.json", "s3://bucket/feeds/");
  other.read_json({{"url", "s3://elsewhere/"}, {"files", {{"x.txt", kDigest}}}});
  CHECK(other.files().empty());
  CHECK_THROWS(other.read_json({{"url", nlohmann::json::object()}, {"files", nlohmann::json::object()}}));
}

TEST_CASE("a damaged destination state is set aside and starts empty") {
  TempDir dir;
  write_text(dir / "state.json", "{\"url\": {}}");
  DestinationState state = DestinationState::load(dir / "state.json", "file:///srv/feeds");
  CHECK(state.files().empty());
  CHECK(std::filesystem::exists(dir / "state.json.damaged"));
  CHECK_FALSE(std::filesystem::exists(dir / "state.json"));
}

TEST_CASE("the by-hash ledger takes exact by-hash names only") {
  CHECK(is_by_hash_name("by-hash/SHA256/" + kDigest));
  CHECK_FALSE(is_by_hash_name("by-hash/SHA256/" + kDigest + "/"));
  CHECK_FALSE(is_by_hash_name("by-hash/SHA256/../../../precious.txt"));
  CHECK_FALSE(is_by_hash_name("by-hash/SHA256/" + std::string(64, 'A')));
  ByHashLedger ledger(nlohmann::json{{"by-hash/SHA256/" + kDigest, 100},
                                     {"by-hash/SHA256/../../malicious-domains.txt", 1},
                                     {"by-hash/SHA256/" + std::string(64, 'b'), -5},
                                     {"by-hash/SHA256/" + std::string(64, 'c'), "soon"}});
  CHECK(ledger.to_json() == nlohmann::json{{"by-hash/SHA256/" + kDigest, 100}});
  CHECK_THROWS_AS(ByHashLedger(nlohmann::json::array()), DamagedFileError);
}
