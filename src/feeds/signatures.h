// Signing what a run publishes: a minisign signature, NAME.minisig, beside
// SHA256SUMS and manifest.json (and, with signing.sign_files, beside every
// file), whose trusted comment names the feed set, the hour and the
// version, so that an old signature replayed beside newer files shows.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "config/settings.h"
#include "feeds/manifest.h"
#include "util/minisign.h"
#include "util/time.h"

namespace crowdfeed {

// What a signature's trusted comment says, tab-separated as minisign's own:
// "feeds:TITLE<TAB>hour:2026-12-06T20:00:00Z<TAB>version:202612062000<TAB>file:SHA256SUMS".
struct SignedFacts {
  std::string feed_set;  // feeds.title
  // The run's hour slot for SHA256SUMS and the manifest; for any other file
  // the hour of its content's last change, its version's.
  TimePoint hour{};
  std::string version;  // format_version(): the manifest's, or the file's
  std::string file;     // the signed file's name
};

std::string render_trusted_comment(const SignedFacts& facts);
// nullopt when `comment` is not one render_trusted_comment() writes.
std::optional<SignedFacts> parse_trusted_comment(std::string_view comment);

// The facts a signature of the manifest's file `name` must state: for
// SHA256SUMS and manifest.json the run's hour and the manifest's version,
// for any other file its own version (which stays put while it does not
// change, and so does its signature).
SignedFacts expected_facts(const Manifest& manifest, std::string_view feed_set, const std::string& name);

// A public key from a minisign.pub file or its one line ("RW..."),
// surrounding white space ignored; `what` names it in errors.
minisign::PublicKey read_public_key(const std::string& file_or_key, std::string_view what);

// The run's signing key, read and decrypted before anything is written.
class FeedSigner {
 public:
  // nullopt when signing.secret_key is empty. Throws UsageError naming the
  // file for a key others may read, a file that is not a minisign secret
  // key, a missing or wrong passphrase, a public key beside it that is
  // another key's, or an announced key that cannot be read.
  static std::optional<FeedSigner> load(const SigningSettings& settings);

  const minisign::PublicKey& public_key() const { return public_key_; }
  // What manifest.json says of the signatures.
  const ManifestSigning& manifest_signing() const { return manifest_signing_; }

  // Writes `name`.minisig beside `name` in `directory`, atomically, for
  // the file as it is now; returns whether the signature changed.
  bool sign(const std::filesystem::path& directory, const std::string& name, const SignedFacts& facts) const;

 private:
  FeedSigner(minisign::SecretKey key, ManifestSigning signing);
  minisign::SecretKey key_;
  minisign::PublicKey public_key_;
  ManifestSigning manifest_signing_;
};

// The passphrase that signing.passphrase_env or signing.passphrase_file
// names; nullopt when neither is set. Throws Error when the variable is
// not set, or the file is empty or may be read by others.
std::optional<std::string> configured_passphrase(const SigningSettings& settings);

// The BLAKE2b-512 (minisign's prehash) of a file, read without following
// a symbolic link.
minisign::Digest prehash_file(const std::filesystem::path& directory, std::string_view name);

// Where the feeds' key pair lives by default: signing.public_key, or the
// secret key's path with ".pub" for its extension.
std::filesystem::path default_public_key_path(const SigningSettings& settings);

}  // namespace crowdfeed
