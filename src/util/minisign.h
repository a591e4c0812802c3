// minisign's formats through libsodium: Ed25519 key pairs and their files
// (the secret key optionally encrypted with a passphrase through scrypt,
// as minisign does), and prehashed signatures (BLAKE2b-512, algorithm
// "ED") with a trusted comment. What this writes, `minisign -V` verifies;
// what minisign writes, this reads. Nothing here knows crowdfeed.
#pragma once

#include <sodium.h>

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace crowdfeed::minisign {

using KeyId = std::array<unsigned char, 8>;
using Digest = std::array<unsigned char, 64>;  // BLAKE2b-512 of the signed file
using SignatureBytes = std::array<unsigned char, 64>;

// The key id as minisign prints it: 16 upper-case hex digits.
std::string key_id_hex(const KeyId& id);

struct PublicKey {
  KeyId key_id{};
  std::array<unsigned char, 32> key{};

  std::string key_id_hex() const { return minisign::key_id_hex(key_id); }
  // The one-line form `minisign -P` takes ("RW...").
  std::string base64() const;
  // A minisign.pub file.
  std::string file_text() const;
};

// Whether `text` has the shape of a public key's one-line form: 56
// characters of base64, "RW" (its algorithm, "Ed") first. No sensible file
// is named like that.
bool is_public_key_line(std::string_view text);

// A public key from its one-line form or a minisign.pub file's text.
// Throws Error naming `where` when it is neither.
PublicKey parse_public_key(std::string_view text, std::string_view where);

// The cost of the passphrase's scrypt: minisign's (1 GiB, as
// crypto_pwhash_scryptsalsa208sha256_*_SENSITIVE) unless a test asks for less.
struct ScryptLimits {
  std::uint64_t operations;
  std::uint64_t memory_bytes;
};
ScryptLimits sensitive_scrypt_limits();

// An Ed25519 secret key and its id; its bytes are wiped when it goes.
class SecretKey {
 public:
  static SecretKey generate();
  ~SecretKey();
  SecretKey(const SecretKey& other) = default;
  SecretKey& operator=(const SecretKey& other) = default;

  const KeyId& key_id() const { return key_id_; }
  PublicKey public_key() const;

  // A minisign.key file: encrypted when `passphrase` is not empty.
  std::string file_text(std::string_view passphrase, ScryptLimits limits = sensitive_scrypt_limits()) const;

  // Reads a minisign.key file. `passphrase` is asked only for an encrypted
  // key. Throws Error naming `where` for a file that is not a secret key,
  // and for a wrong passphrase (the key's checksum then does not match).
  static SecretKey parse(std::string_view text, const std::function<std::string()>& passphrase, std::string_view where);

  // A signature of the file whose BLAKE2b-512 is `digest`, and of
  // `trusted_comment` (one line of printable text) with it. Deterministic.
  std::string sign(const Digest& digest, std::string_view trusted_comment, std::string_view untrusted_comment) const;

 private:
  SecretKey() = default;
  KeyId key_id_{};
  std::array<unsigned char, 64> secret_{};  // libsodium's: seed, then public key
};

// BLAKE2b-512, fed piece by piece: what a prehashed signature signs.
class Prehash {
 public:
  Prehash();
  void update(std::string_view bytes);
  Digest finish();

 private:
  crypto_generichash_state state_{};
};

Digest prehash(std::string_view bytes);

struct Signature {
  std::string untrusted_comment;
  bool prehashed = true;  // "ED"; false for the legacy "Ed" that signs the file itself
  KeyId key_id{};
  SignatureBytes signature{};
  std::string trusted_comment;
  SignatureBytes comment_signature{};  // over `signature` followed by the trusted comment
};

// A .minisig file's four lines. Throws Error naming `where` when it is not one.
Signature parse_signature(std::string_view text, std::string_view where);

// Why `signature` does not prove that `key` signed the file of `digest`
// and the trusted comment, or "" when it does. A legacy signature is
// refused, as minisign refuses it.
std::string verification_problem(const PublicKey& key, const Signature& signature, const Digest& digest);

}  // namespace crowdfeed::minisign
