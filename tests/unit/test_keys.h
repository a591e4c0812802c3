// A signing key for unit tests: an unencrypted minisign secret key of mode
// 0600 in a test's temporary directory, and the settings that name it.
#pragma once

#include "config/config.h"
#include "temp_dir.h"
#include "util/atomic_file.h"
#include "util/minisign.h"

namespace crowdfeed::testing {

inline SigningSettings write_test_key(const TempDir& dir, bool sign_files, const std::string& name = "test.key") {
  minisign::SecretKey key = minisign::SecretKey::generate();
  write_file_atomically(dir / name, key.file_text(""), kPrivateFile);
  SigningSettings settings;
  settings.secret_key = dir / name;
  settings.sign_files = sign_files;
  return settings;
}

}  // namespace crowdfeed::testing
