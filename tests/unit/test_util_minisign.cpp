#include <catch2/catch.hpp>
#include <vector>

#include "util/error.h"
#include "util/minisign.h"

using namespace crowdfeed;
using namespace crowdfeed::minisign;

namespace {

// Made by minisign 0.11 itself: `minisign -G` (passphrase "pw"), then
// `minisign -S -m f -t 'my comment'` over a file holding "hello\n".
constexpr const char* kMinisignPublicKeyFile =
    "untrusted comment: minisign public key 6D537749895221CD\n"
    "RWTNIVKJSXdTbcuWVS0+djKiWVnE/h8YSr8T/TGyTOz/9zV4t7hd2mPD\n";
constexpr const char* kMinisignSignature =
    "untrusted comment: signature from minisign secret key\n"
    "RUTNIVKJSXdTbZHhf6qPggVAhLGS0MKo/rdekyhZ2dliRLrziU36ti2YXnTBRiXz0KY5sh+t/4riNqplF3KNnnekDXNna0RwGw0=\n"
    "trusted comment: my comment\n"
    "32RPjb7eSc9BlZQF3SnC7Y/73vnz3jZp+T5wR/BHlMuymsgVnK/UqerjfnSu604SE3YdkERgN3coMDj/J3MHBw==\n";

// scrypt at its cheapest: the format is the same, the test fast.
ScryptLimits cheap() {
  return {crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN, crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN};
}

std::string no_passphrase() {
  FAIL("the passphrase was asked for an unencrypted key");
  return {};
}

}  // namespace

TEST_CASE("a signature minisign made verifies, and fails for other content or another comment") {
  PublicKey key = parse_public_key(kMinisignPublicKeyFile, "minisign.pub");
  CHECK(key.key_id_hex() == "6D537749895221CD");
  CHECK(key.base64() == "RWTNIVKJSXdTbcuWVS0+djKiWVnE/h8YSr8T/TGyTOz/9zV4t7hd2mPD");
  CHECK(parse_public_key(" RWTNIVKJSXdTbcuWVS0+djKiWVnE/h8YSr8T/TGyTOz/9zV4t7hd2mPD\n", "-P").key == key.key);
  CHECK(parse_public_key(key.file_text(), "again").key == key.key);

  Signature signature = parse_signature(kMinisignSignature, "f.minisig");
  CHECK(signature.prehashed);
  CHECK(signature.trusted_comment == "my comment");
  CHECK(verification_problem(key, signature, prehash("hello\n")).empty());
  CHECK(verification_problem(key, signature, prehash("hello!\n")) == "the signature does not match the file's content");
  Signature edited = signature;
  edited.trusted_comment = "my other comment";
  CHECK(verification_problem(key, edited, prehash("hello\n")) == "the trusted comment's signature does not match it");
}

TEST_CASE("crowdfeed's signatures verify with their key only, and are deterministic") {
  SecretKey key = SecretKey::generate();
  SecretKey other = SecretKey::generate();
  Digest digest = prehash("malicious.example\n");
  std::string text = key.sign(digest, "feeds:test\thour:2026-12-06T20:00:00Z", "signature from a test");
  CHECK(text == key.sign(digest, "feeds:test\thour:2026-12-06T20:00:00Z", "signature from a test"));
  Signature signature = parse_signature(text, "test.minisig");
  CHECK(signature.trusted_comment == "feeds:test\thour:2026-12-06T20:00:00Z");
  CHECK(verification_problem(key.public_key(), signature, digest).empty());
  CHECK(verification_problem(other.public_key(), signature, digest).starts_with("signed by the key "));
  // The same key id on another key (a forged id) still fails on the signature.
  PublicKey impostor = other.public_key();
  impostor.key_id = key.key_id();
  CHECK(verification_problem(impostor, signature, digest) == "the signature does not match the file's content");
}

TEST_CASE("a trusted comment can never add a line to a signature file") {
  SecretKey key = SecretKey::generate();
  Digest digest = prehash("x");
  for (const std::string& comment :
       std::vector<std::string>{"a\nuntrusted comment: x", "a\rb", std::string("a\0b", 3), "trailing ", " leading"}) {
    CAPTURE(comment);
    CHECK_THROWS_AS(key.sign(digest, comment, "ok"), Error);
  }
  CHECK_THROWS_AS(key.sign(digest, "ok", "two\nlines"), Error);
  CHECK_THROWS_AS(key.sign(digest, std::string(9000, 'x'), "ok"), Error);
}

TEST_CASE("secret key files read back: encrypted ones with their passphrase only") {
  SecretKey key = SecretKey::generate();
  SECTION("unencrypted") {
    std::string text = key.file_text("");
    CHECK(text.starts_with("untrusted comment: minisign secret key\n"));
    SecretKey read = SecretKey::parse(text, no_passphrase, "crowdfeed.key");
    CHECK(read.key_id() == key.key_id());
    CHECK(read.public_key().key == key.public_key().key);
  }
  SECTION("encrypted") {
    std::string text = key.file_text("correct horse", cheap());
    CHECK(text.starts_with("untrusted comment: minisign encrypted secret key\n"));
    int asked = 0;
    SecretKey read = SecretKey::parse(
        text,
        [&] {
          ++asked;
          return std::string("correct horse");
        },
        "crowdfeed.key");
    CHECK(asked == 1);
    CHECK(read.public_key().key == key.public_key().key);
    Digest digest = prehash("feed");
    CHECK(read.sign(digest, "c", "u") == key.sign(digest, "c", "u"));
    CHECK_THROWS_WITH(SecretKey::parse(
                          text, [] { return std::string("wrong"); }, "crowdfeed.key"),
                      "crowdfeed.key: wrong passphrase for this secret key");
  }
  SECTION("unencrypted by minisign -G -W, whose checksum is zero") {
    // A throwaway key made for this test only.
    std::string text =
        "untrusted comment: minisign encrypted secret key\n"
        "RWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABkLv1AX8zixVw7evGQnUwC7d8iioT7f2tFraYW"
        "rC0"
        "Wc+Lhu7Aebnccoof89BaB9A+fmLLnTk88ZFcWASKaLOu0W9wXS4RRV0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    SecretKey read = SecretKey::parse(text, no_passphrase, "minisign.key");
    CHECK(read.public_key().base64() == "RWQGQu/UBfzOLMoof89BaB9A+fmLLnTk88ZFcWASKaLOu0W9wXS4RRV0");
    CHECK(read.public_key().key_id_hex() == "2CCEFC05D4EF4206");
  }
  SECTION("damaged") {
    std::string text = key.file_text("");
    std::size_t at = text.find('\n') + 100;  // in the secret key itself
    text[at] = text[at] == 'A' ? 'B' : 'A';
    CHECK_THROWS_AS(SecretKey::parse(text, no_passphrase, "crowdfeed.key"), Error);
  }
}

TEST_CASE("files that are not keys or signatures are refused, naming the file") {
  CHECK_THROWS_WITH(parse_public_key("RWnotakey", "keys/x.pub"),
                    Catch::StartsWith("keys/x.pub: not a minisign public key"));
  CHECK_THROWS_WITH(parse_signature("untrusted comment: x\nAAAA\n", "f.minisig"),
                    Catch::StartsWith("f.minisig: not a minisign signature"));
  CHECK_THROWS_WITH(parse_signature("untrusted comment: x\n!!!\ntrusted comment: y\n!!!\n", "f.minisig"),
                    Catch::StartsWith("f.minisig: a signature line is not"));
  CHECK_THROWS_WITH(SecretKey::parse("hello\n", no_passphrase, "k.key"), "k.key: not a minisign secret key file");
}
