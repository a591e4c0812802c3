#include <unistd.h>

#include <catch2/catch.hpp>

#include "temp_dir.h"
#include "util/error.h"
#include "util/safe_path.h"

using namespace crowdfeed;
using crowdfeed::testing::read_text;
using crowdfeed::testing::TempDir;
using crowdfeed::testing::write_text;

TEST_CASE("only plain relative names are names crowdfeed acts on") {
  for (const char* name :
       {"manifest.json", "by-hash/SHA256/abc", "archive/2026/11/27/21/a b+c&d#e?f%g'h.txt", "notes/é.txt", ".hidden"}) {
    INFO(name);
    CHECK(relative_name_problem(name).empty());
  }
  CHECK(relative_name_problem("") == "is empty");
  CHECK(relative_name_problem("/etc/passwd") == "is an absolute path");
  CHECK(relative_name_problem("../x") == "has a '.' or '..' component");
  CHECK(relative_name_problem("by-hash/SHA256/../../../x") == "has a '.' or '..' component");
  CHECK(relative_name_problem("a/./b") == "has a '.' or '..' component");
  CHECK(relative_name_problem("a//b") == "has an empty component");
  CHECK(relative_name_problem("a/") == "has an empty component");
  CHECK(relative_name_problem("a\\b") == "contains a backslash");
  CHECK(relative_name_problem("a\nb") == "contains a control character");
  CHECK(relative_name_problem(std::string("a\0b", 3)) == "contains a control character");
  CHECK(relative_name_problem("\xff\xfe") == "is not valid UTF-8");
  CHECK(relative_name_problem(std::string(1025, 'a')) == "is longer than 1024 bytes");
}

TEST_CASE("open_beneath and remove_beneath follow no symbolic link") {
  TempDir dir;
  std::filesystem::create_directories(dir / "feeds" / "archive");
  std::filesystem::create_directories(dir / "outside");
  write_text(dir / "outside" / "secret.txt", "secret\n");
  write_text(dir / "feeds" / "archive" / "own.txt", "own\n");
  std::filesystem::create_symlink(dir / "outside" / "secret.txt", dir / "feeds" / "archive" / "link.txt");
  std::filesystem::create_directory_symlink(dir / "outside", dir / "feeds" / "linked");

  CHECK(read_beneath(dir / "feeds", "archive/own.txt", 100) == "own\n");
  CHECK_THROWS_WITH(open_beneath(dir / "feeds", "archive/link.txt"), Catch::Contains("it is a symbolic link"));
  CHECK_THROWS_WITH(open_beneath(dir / "feeds", "linked/secret.txt"),
                    Catch::Contains("linked is a symbolic link or not a folder"));
  CHECK_THROWS_WITH(open_beneath(dir / "feeds", "../outside/secret.txt"), Catch::Contains("has a '.' or '..'"));
  CHECK_THROWS_WITH(open_beneath(dir / "feeds", "archive"), Catch::Contains("not a regular file"));
  CHECK_THROWS_WITH(read_beneath(dir / "feeds", "archive/own.txt", 3), Catch::Contains("larger than 3 bytes"));
  CHECK_THROWS_WITH(open_beneath(dir / "feeds", "archive/missing.txt"), Catch::Contains("No such file"));

  // Deleting a link deletes the link, never its target; through a linked
  // folder, nothing.
  remove_beneath(dir / "feeds", "archive/link.txt");
  CHECK_FALSE(std::filesystem::is_symlink(dir / "feeds" / "archive" / "link.txt"));
  CHECK_THROWS(remove_beneath(dir / "feeds", "linked/secret.txt"));
  CHECK_THROWS(remove_beneath(dir / "feeds", "../outside/secret.txt"));
  CHECK(read_text(dir / "outside" / "secret.txt") == "secret\n");
  // A missing name, or a missing folder on the way, is no error.
  remove_beneath(dir / "feeds", "archive/missing.txt");
  remove_beneath(dir / "feeds", "nowhere/missing.txt");
  remove_beneath(dir / "feeds", "archive/own.txt");
  CHECK_FALSE(std::filesystem::exists(dir / "feeds" / "archive" / "own.txt"));
}
