// crowdfeed keygen: a minisign key pair for signing the feeds. The secret
// key is written with mode 0600 into a folder others cannot read, and
// encrypted when a passphrase is given (the configuration's source, or
// --passphrase-env / --passphrase-file); the public key is printed.
#include <fmt/format.h>
#include <sys/stat.h>

#include <memory>

#include "cli/commands.h"
#include "config/state_layout.h"
#include "feeds/signatures.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/minisign.h"
#include "util/text.h"

namespace crowdfeed {
namespace {

namespace fs = std::filesystem;

struct KeygenOptions {
  std::string directory;
  std::string passphrase_env;
  std::string passphrase_file;
  bool force = false;
};

// Creates `directory` (mode 0700) when it is missing; refuses one that
// others may read or enter.
void require_private_folder(const fs::path& directory) {
  std::error_code error;
  if (!fs::exists(directory, error)) {
    fs::create_directories(directory, error);
    if (!error) fs::permissions(directory, fs::perms::owner_all, error);
    if (error) throw Error(fmt::format("cannot create {}: {}", directory.string(), error.message()));
    return;
  }
  struct stat info {};
  if (::stat(directory.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    throw UsageError(fmt::format("{} is not a folder", directory.string()));
  }
  // Others must not read the key; nobody but the owner may replace it.
  if ((info.st_mode & (S_IRWXO | S_IWGRP)) != 0) {
    throw UsageError(
        fmt::format("{} is open to others (mode {:04o}): a secret key does not belong there; chmod "
                    "go-w,o-rx it, or give -o another folder",
                    directory.string(), info.st_mode & 07777));
  }
}

int run_keygen(const GlobalOptions& global, const KeygenOptions& options) {
  Config config = load_configuration(global);
  // Where: -o DIR, else the configured key's place, else state/keys.
  fs::path secret_path = config.signing.secret_key;
  fs::path public_path = default_public_key_path(config.signing);
  if (!options.directory.empty() || secret_path.empty()) {
    fs::path directory = options.directory.empty() ? StateLayout(config.state_dir).keys() : fs::path(options.directory);
    secret_path = directory / "crowdfeed.key";
    public_path = directory / "crowdfeed.pub";
  }
  for (const fs::path& path : {secret_path, public_path}) {
    std::error_code error;
    if (fs::exists(fs::symlink_status(path, error)) && !options.force) {
      throw UsageError(
          fmt::format("{} exists; a new key would make every signature of the old one unverifiable by "
                      "consumers who pinned it (see the key rotation in the README's \"Signed feeds\"); "
                      "--force replaces it",
                      path.string()));
    }
  }

  SigningSettings source = config.signing;
  if (!options.passphrase_env.empty() || !options.passphrase_file.empty()) {
    source.passphrase_env = options.passphrase_env;
    source.passphrase_file = options.passphrase_file;
  }
  std::optional<std::string> passphrase = configured_passphrase(source);
  require_private_folder(secret_path.parent_path().empty() ? fs::path(".") : secret_path.parent_path());

  minisign::SecretKey key = minisign::SecretKey::generate();
  minisign::PublicKey public_key = key.public_key();
  std::string secret_text = key.file_text(passphrase ? std::string_view(*passphrase) : std::string_view());
  write_file_atomically(secret_path, secret_text, kPrivateFile);
  sodium_memzero(secret_text.data(), secret_text.size());
  if (passphrase) sodium_memzero(passphrase->data(), passphrase->size());
  write_file_atomically(public_path, public_key.file_text(), kPublicFile);

  fmt::print("Secret key: {} (mode 0600, {})\n", secret_path.string(),
             passphrase ? "encrypted with the passphrase" : "not encrypted: protect it with its file mode");
  fmt::print("Public key: {}\n", public_path.string());
  fmt::print("Key id: {}\n\n{}\n\n", public_key.key_id_hex(), public_key.base64());
  std::error_code error;
  fmt::print("Sign the feeds with it:\n  [signing]\n  secret_key = \"{}\"\n\n",
             fs::absolute(secret_path, error).string());
  fmt::print(
      "Consumers check a download with:\n  minisign -Vm SHA256SUMS -P {} && sha256sum -c --ignore-missing SHA256SUMS\n",
      public_key.base64());
  return kExitOk;
}

}  // namespace

Command add_keygen_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<KeygenOptions>();
  CLI::App* command = app.add_subcommand("keygen", "make a minisign key pair to sign the feeds with");
  command
      ->add_option("-o,--output-dir", options->directory,
                   "the folder for crowdfeed.key and crowdfeed.pub (default: where signing.secret_key says, else "
                   "STATE_DIR/keys)")
      ->check(path_value());
  auto* env = command->add_option("--passphrase-env", options->passphrase_env,
                                  "encrypt the secret key with the passphrase in this environment variable");
  command
      ->add_option("--passphrase-file", options->passphrase_file,
                   "encrypt the secret key with the passphrase in this file's first line (mode 0600)")
      ->check(path_value())
      ->excludes(env);
  command->add_flag("--force", options->force, "replace an existing key pair");
  return {command, [&global, options] { return run_keygen(global, *options); }, {}};
}

}  // namespace crowdfeed
