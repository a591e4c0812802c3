// What `crowdfeed verify` reads from a server it does not trust, and the
// key files it is given: a .minisig file, a public key, a trusted comment
// and a secret key file (the first byte chooses). Each either refuses the
// input or reads something that survives a round trip; checking a
// signature that was read never fails otherwise than by saying why.
#include "feeds/signatures.h"
#include "fuzz_common.h"
#include "util/error.h"
#include "util/minisign.h"

namespace {

using namespace crowdfeed;

void signature(std::string_view text) {
  minisign::Signature read;
  try {
    read = minisign::parse_signature(text, "fuzz.minisig");
  } catch (const Error&) {
    return;
  }
  minisign::PublicKey key;
  key.key_id = read.key_id;
  if (minisign::verification_problem(key, read, minisign::prehash(text)).empty()) {
    fuzz::violated("a signature verified with a key of zeros", text);
  }
}

void public_key(std::string_view text) {
  minisign::PublicKey read;
  try {
    read = minisign::parse_public_key(text, "fuzz.pub");
  } catch (const Error&) {
    return;
  }
  minisign::PublicKey again = minisign::parse_public_key(read.file_text(), "again");
  if (again.key != read.key || again.key_id != read.key_id) fuzz::violated("a public key does not round-trip");
  if (minisign::parse_public_key(read.base64(), "line").key != read.key) fuzz::violated("a key's line differs");
}

void trusted_comment(std::string_view text) {
  std::optional<SignedFacts> read = parse_trusted_comment(text);
  if (!read) return;
  std::optional<SignedFacts> again = parse_trusted_comment(render_trusted_comment(*read));
  if (!again || again->hour != read->hour || again->file != read->file || again->version != read->version) {
    fuzz::violated("a trusted comment does not round-trip", text);
  }
}

void secret_key(std::string_view text) {
  // An encrypted key would run scrypt at whatever cost the input names:
  // the passphrase is refused before that.
  auto refuse = []() -> std::string { throw Error("no passphrase in the fuzzer"); };
  try {
    minisign::SecretKey key = minisign::SecretKey::parse(text, refuse, "fuzz.key");
    minisign::Digest digest = minisign::prehash(text);
    minisign::Signature signed_text = minisign::parse_signature(key.sign(digest, "fuzz", "fuzz"), "signed");
    if (!minisign::verification_problem(key.public_key(), signed_text, digest).empty()) {
      fuzz::violated("a key read back does not verify its own signature");
    }
  } catch (const Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  fuzz::quiet();
  if (size == 0) return 0;
  std::string_view text = fuzz::as_text(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      signature(text);
      break;
    case 1:
      public_key(text);
      break;
    case 2:
      trusted_comment(text);
      break;
    default:
      secret_key(text);
      break;
  }
  return 0;
}
