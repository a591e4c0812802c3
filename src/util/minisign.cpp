#include "util/minisign.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "util/error.h"

namespace crowdfeed::minisign {
namespace {

// The byte layouts of minisign's files (its src/minisign.h), each field
// in order. Multi-byte numbers are little-endian.
constexpr std::string_view kKeyAlgorithm = "Ed";
constexpr std::string_view kPrehashedAlgorithm = "ED";
constexpr std::string_view kScrypt = "Sc";
constexpr std::string_view kNoKdf{"\0\0", 2};
constexpr std::string_view kBlake2Checksum = "B2";
constexpr std::string_view kUntrustedPrefix = "untrusted comment: ";
constexpr std::string_view kTrustedPrefix = "trusted comment: ";
// minisign reads a trusted comment into a buffer of this size, prefix and
// newline included.
constexpr std::size_t kMaxTrustedCommentBytes = 8192 - kTrustedPrefix.size() - 2;

constexpr std::size_t kPublicKeyBytes = 2 + 8 + 32;
constexpr std::size_t kSignatureBytes = 2 + 8 + 64;
constexpr std::size_t kSaltBytes = crypto_pwhash_scryptsalsa208sha256_SALTBYTES;
// key id, secret key, checksum: the part the passphrase encrypts.
constexpr std::size_t kKeynumBytes = 8 + 64 + 32;
constexpr std::size_t kSecretKeyBytes = 2 + 2 + 2 + kSaltBytes + 8 + 8 + kKeynumBytes;

void ensure_sodium() {
  static const int ready = sodium_init();
  if (ready < 0) throw Error("cannot initialise libsodium");
}

// Bytes that are wiped when they go: a decoded secret key, a key stream.
struct WipedBytes {
  std::vector<unsigned char> bytes;
  explicit WipedBytes(std::size_t size) : bytes(size) {}
  ~WipedBytes() { sodium_memzero(bytes.data(), bytes.size()); }
  WipedBytes(const WipedBytes&) = delete;
  WipedBytes& operator=(const WipedBytes&) = delete;
  unsigned char* at(std::size_t offset) { return bytes.data() + offset; }
};

std::string to_base64(const unsigned char* bytes, std::size_t size) {
  std::string text(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes, size, sodium_base64_VARIANT_ORIGINAL);
  text.resize(std::strlen(text.c_str()));
  return text;
}

// Decodes exactly `size` bytes of base64 into `out`; false when the text
// is not that.
bool from_base64(std::string_view text, unsigned char* out, std::size_t size) {
  std::size_t decoded = 0;
  const char* end = nullptr;
  return sodium_base642bin(out, size, text.data(), text.size(), nullptr, &decoded, &end,
                           sodium_base64_VARIANT_ORIGINAL) == 0 &&
         decoded == size && end == text.data() + text.size();
}

void store_le64(unsigned char* out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<unsigned char>(value >> (8 * i));
}

std::uint64_t load_le64(const unsigned char* in) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | in[i];
  return value;
}

// The file's lines, without their line ends ("\n" or "\r\n").
std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

// Without surrounding white space, line ends included.
std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  while (!text.empty() && kSpace.find(text.back()) != std::string_view::npos) text.remove_suffix(1);
  while (!text.empty() && kSpace.find(text.front()) != std::string_view::npos) text.remove_prefix(1);
  return text;
}

// minisign's checksum of a secret key: BLAKE2b-256 of its algorithm, key
// id and secret key.
void secret_key_checksum(const unsigned char* algorithm, const unsigned char* keynum, unsigned char* checksum) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, 32);
  crypto_generichash_update(&state, algorithm, 2);
  crypto_generichash_update(&state, keynum, 8 + 64);
  crypto_generichash_final(&state, checksum, 32);
}

// XORs the key id, secret key and checksum with the passphrase's scrypt
// stream: minisign's encryption, and its decryption.
void apply_passphrase(unsigned char* keynum, std::string_view passphrase, const unsigned char* salt,
                      std::uint64_t operations, std::uint64_t memory_bytes, std::string_view where) {
  WipedBytes stream(kKeynumBytes);
  if (crypto_pwhash_scryptsalsa208sha256(stream.at(0), kKeynumBytes, passphrase.data(), passphrase.size(), salt,
                                         operations, static_cast<std::size_t>(memory_bytes)) != 0) {
    throw Error(fmt::format("{}: cannot derive the key from the passphrase (scrypt with {} MiB: out of memory?)", where,
                            memory_bytes >> 20));
  }
  for (std::size_t i = 0; i < kKeynumBytes; ++i) keynum[i] ^= stream.bytes[i];
}

bool printable_line(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && c != '\t') || byte == 0x7f;
  });
}

}  // namespace

std::string key_id_hex(const KeyId& id) {
  return fmt::format("{:016X}", load_le64(id.data()));
}

std::string PublicKey::base64() const {
  std::array<unsigned char, kPublicKeyBytes> bytes{};
  std::memcpy(bytes.data(), kKeyAlgorithm.data(), 2);
  std::memcpy(bytes.data() + 2, key_id.data(), 8);
  std::memcpy(bytes.data() + 10, key.data(), 32);
  return to_base64(bytes.data(), bytes.size());
}

std::string PublicKey::file_text() const {
  return fmt::format("{}minisign public key {}\n{}\n", kUntrustedPrefix, key_id_hex(), base64());
}

bool is_public_key_line(std::string_view text) {
  return text.size() == 56 && text.starts_with("RW") &&
         text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") ==
             std::string_view::npos;
}

PublicKey parse_public_key(std::string_view text, std::string_view where) {
  ensure_sodium();
  std::vector<std::string_view> lines = lines_of(text);
  std::string_view line = lines.size() >= 2 && lines[0].starts_with(kUntrustedPrefix) ? lines[1] : trim(text);
  std::array<unsigned char, kPublicKeyBytes> bytes{};
  if (!from_base64(trim(line), bytes.data(), bytes.size())) {
    throw Error(fmt::format("{}: not a minisign public key (a line \"RW...\" of 56 characters, or a minisign.pub file)",
                            where));
  }
  if (std::string_view(reinterpret_cast<const char*>(bytes.data()), 2) != kKeyAlgorithm) {
    throw Error(fmt::format("{}: not an Ed25519 minisign public key", where));
  }
  PublicKey key;
  std::memcpy(key.key_id.data(), bytes.data() + 2, 8);
  std::memcpy(key.key.data(), bytes.data() + 10, 32);
  return key;
}

ScryptLimits sensitive_scrypt_limits() {
  return {crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE, crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE};
}

SecretKey SecretKey::generate() {
  ensure_sodium();
  SecretKey key;
  std::array<unsigned char, 32> public_key{};
  crypto_sign_keypair(public_key.data(), key.secret_.data());
  randombytes_buf(key.key_id_.data(), key.key_id_.size());
  return key;
}

SecretKey::~SecretKey() {
  sodium_memzero(secret_.data(), secret_.size());
}

PublicKey SecretKey::public_key() const {
  PublicKey key;
  key.key_id = key_id_;
  crypto_sign_ed25519_sk_to_pk(key.key.data(), secret_.data());
  return key;
}

std::string SecretKey::file_text(std::string_view passphrase, ScryptLimits limits) const {
  ensure_sodium();
  WipedBytes bytes(kSecretKeyBytes);
  unsigned char* algorithm = bytes.at(0);
  unsigned char* salt = bytes.at(6);
  unsigned char* keynum = bytes.at(6 + kSaltBytes + 16);
  std::memcpy(algorithm, kKeyAlgorithm.data(), 2);
  std::memcpy(bytes.at(2), passphrase.empty() ? kNoKdf.data() : kScrypt.data(), 2);
  std::memcpy(bytes.at(4), kBlake2Checksum.data(), 2);
  std::memcpy(keynum, key_id_.data(), 8);
  std::memcpy(keynum + 8, secret_.data(), 64);
  secret_key_checksum(algorithm, keynum, keynum + 72);
  if (!passphrase.empty()) {
    randombytes_buf(salt, kSaltBytes);
    store_le64(bytes.at(6 + kSaltBytes), limits.operations);
    store_le64(bytes.at(6 + kSaltBytes + 8), limits.memory_bytes);
    apply_passphrase(keynum, passphrase, salt, limits.operations, limits.memory_bytes, "the new key");
  }
  std::string encoded = to_base64(bytes.at(0), kSecretKeyBytes);
  std::string text =
      fmt::format("{}minisign {}secret key\n{}\n", kUntrustedPrefix, passphrase.empty() ? "" : "encrypted ", encoded);
  sodium_memzero(encoded.data(), encoded.size());
  return text;
}

SecretKey SecretKey::parse(std::string_view text, const std::function<std::string()>& passphrase,
                           std::string_view where) {
  ensure_sodium();
  std::vector<std::string_view> lines = lines_of(text);
  WipedBytes bytes(kSecretKeyBytes);
  if (lines.size() < 2 || !lines[0].starts_with(kUntrustedPrefix) ||
      !from_base64(trim(lines[1]), bytes.at(0), kSecretKeyBytes)) {
    throw Error(fmt::format("{}: not a minisign secret key file", where));
  }
  auto field = [&](std::size_t offset) { return std::string_view(reinterpret_cast<const char*>(bytes.at(offset)), 2); };
  if (field(0) != kKeyAlgorithm || field(4) != kBlake2Checksum) {
    throw Error(fmt::format("{}: not an Ed25519 minisign secret key with a BLAKE2 checksum", where));
  }
  unsigned char* keynum = bytes.at(6 + kSaltBytes + 16);
  bool encrypted = field(2) == kScrypt;
  if (encrypted) {
    std::string secret = passphrase();
    try {
      apply_passphrase(keynum, secret, bytes.at(6), load_le64(bytes.at(6 + kSaltBytes)),
                       load_le64(bytes.at(6 + kSaltBytes + 8)), where);
    } catch (...) {
      sodium_memzero(secret.data(), secret.size());
      throw;
    }
    sodium_memzero(secret.data(), secret.size());
  } else if (field(2) != kNoKdf) {
    throw Error(fmt::format("{}: the secret key is encrypted with an unknown key derivation", where));
  }
  // An encrypted key's checksum tells a wrong passphrase. minisign leaves
  // an unencrypted key's checksum zero (minisign -G -W), so there the key
  // checks itself: its second half is the public key of its first.
  if (encrypted) {
    std::array<unsigned char, 32> checksum{};
    secret_key_checksum(bytes.at(0), keynum, checksum.data());
    if (sodium_memcmp(checksum.data(), keynum + 72, 32) != 0) {
      throw Error(fmt::format("{}: wrong passphrase for this secret key", where));
    }
  }
  std::array<unsigned char, 32> derived_public{};
  WipedBytes derived_secret(64);
  crypto_sign_seed_keypair(derived_public.data(), derived_secret.at(0), keynum + 8);
  if (sodium_memcmp(derived_public.data(), keynum + 8 + 32, 32) != 0) {
    throw Error(fmt::format("{}: the secret key is damaged (its two halves do not belong together)", where));
  }
  SecretKey key;
  std::memcpy(key.key_id_.data(), keynum, 8);
  std::memcpy(key.secret_.data(), keynum + 8, 64);
  return key;
}

std::string SecretKey::sign(const Digest& digest, std::string_view trusted_comment,
                            std::string_view untrusted_comment) const {
  ensure_sodium();
  if (!printable_line(trusted_comment) || trusted_comment.size() > kMaxTrustedCommentBytes ||
      trim(trusted_comment) != trusted_comment || !printable_line(untrusted_comment)) {
    throw Error("a signature's comments must each be one line of printable text, without surrounding spaces");
  }
  std::array<unsigned char, kSignatureBytes> signature{};
  std::memcpy(signature.data(), kPrehashedAlgorithm.data(), 2);
  std::memcpy(signature.data() + 2, key_id_.data(), 8);
  unsigned char* ed25519 = signature.data() + 10;
  crypto_sign_detached(ed25519, nullptr, digest.data(), digest.size(), secret_.data());
  std::string signed_comment(reinterpret_cast<const char*>(ed25519), 64);
  signed_comment += trusted_comment;
  SignatureBytes comment_signature{};
  crypto_sign_detached(comment_signature.data(), nullptr, reinterpret_cast<const unsigned char*>(signed_comment.data()),
                       signed_comment.size(), secret_.data());
  return fmt::format("{}{}\n{}\n{}{}\n{}\n", kUntrustedPrefix, untrusted_comment,
                     to_base64(signature.data(), signature.size()), kTrustedPrefix, trusted_comment,
                     to_base64(comment_signature.data(), comment_signature.size()));
}

Prehash::Prehash() {
  ensure_sodium();
  crypto_generichash_init(&state_, nullptr, 0, crypto_generichash_BYTES_MAX);
}

void Prehash::update(std::string_view bytes) {
  crypto_generichash_update(&state_, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

Digest Prehash::finish() {
  Digest digest{};
  crypto_generichash_final(&state_, digest.data(), digest.size());
  return digest;
}

Digest prehash(std::string_view bytes) {
  Prehash hash;
  hash.update(bytes);
  return hash.finish();
}

Signature parse_signature(std::string_view text, std::string_view where) {
  ensure_sodium();
  std::vector<std::string_view> lines = lines_of(text);
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  if (lines.size() != 4 || !lines[0].starts_with(kUntrustedPrefix) || !lines[2].starts_with(kTrustedPrefix)) {
    throw Error(
        fmt::format("{}: not a minisign signature (four lines: untrusted comment, signature, trusted "
                    "comment, comment signature)",
                    where));
  }
  Signature signature;
  signature.untrusted_comment = lines[0].substr(kUntrustedPrefix.size());
  signature.trusted_comment = lines[2].substr(kTrustedPrefix.size());
  std::array<unsigned char, kSignatureBytes> bytes{};
  if (!from_base64(trim(lines[1]), bytes.data(), bytes.size()) ||
      !from_base64(trim(lines[3]), signature.comment_signature.data(), signature.comment_signature.size())) {
    throw Error(fmt::format("{}: a signature line is not the base64 of a minisign signature", where));
  }
  std::string_view algorithm(reinterpret_cast<const char*>(bytes.data()), 2);
  if (algorithm != kPrehashedAlgorithm && algorithm != kKeyAlgorithm) {
    throw Error(fmt::format("{}: an unknown signature algorithm", where));
  }
  signature.prehashed = algorithm == kPrehashedAlgorithm;
  std::memcpy(signature.key_id.data(), bytes.data() + 2, 8);
  std::memcpy(signature.signature.data(), bytes.data() + 10, 64);
  return signature;
}

std::string verification_problem(const PublicKey& key, const Signature& signature, const Digest& digest) {
  ensure_sodium();
  if (signature.key_id != key.key_id) {
    return fmt::format("signed by the key {}, not by the key {}", key_id_hex(signature.key_id), key.key_id_hex());
  }
  if (!signature.prehashed) return "a legacy signature (not prehashed), which minisign refuses too";
  if (crypto_sign_verify_detached(signature.signature.data(), digest.data(), digest.size(), key.key.data()) != 0) {
    return "the signature does not match the file's content";
  }
  std::string signed_comment(reinterpret_cast<const char*>(signature.signature.data()), 64);
  signed_comment += signature.trusted_comment;
  if (crypto_sign_verify_detached(signature.comment_signature.data(),
                                  reinterpret_cast<const unsigned char*>(signed_comment.data()), signed_comment.size(),
                                  key.key.data()) != 0) {
    return "the trusted comment's signature does not match it";
  }
  return {};
}

}  // namespace crowdfeed::minisign
