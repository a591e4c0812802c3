#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "temp_dir.h"
#include "util/atomic_file.h"
#include "util/error.h"

using namespace crowdfeed;
using crowdfeed::testing::read_text;
using crowdfeed::testing::TempDir;
using crowdfeed::testing::write_text;

namespace {

std::size_t count_files(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
}

ino_t inode(const std::filesystem::path& path) {
  struct stat info {};
  ::stat(path.c_str(), &info);
  return info.st_ino;
}

}  // namespace

TEST_CASE("commit replaces the file and leaves no temporary file") {
  TempDir dir;
  write_text(dir / "feed.txt", "old\n");
  {
    AtomicFile file(dir / "feed.txt");
    file.write("new ");
    file.write(std::string(200000, 'x'));           // larger than the buffer
    CHECK(read_text(dir / "feed.txt") == "old\n");  // not visible before commit
    CHECK(file.commit());
    CHECK(file.size() == 200004);
    CHECK(file.sha256() == sha256_hex("new " + std::string(200000, 'x')));
  }
  CHECK(read_text(dir / "feed.txt") == "new " + std::string(200000, 'x'));
  CHECK(count_files(dir.path()) == 1);
  struct stat info {};
  ::stat((dir / "feed.txt").c_str(), &info);
  CHECK((info.st_mode & 0777) == 0644);
}

TEST_CASE("without commit the old file stays and the temporary file is removed") {
  TempDir dir;
  write_text(dir / "feed.txt", "old\n");
  try {
    AtomicFile file(dir / "feed.txt");
    file.write("half a fi");
    throw Error("simulated failure");
  } catch (const Error&) {
  }
  CHECK(read_text(dir / "feed.txt") == "old\n");
  CHECK(count_files(dir.path()) == 1);
}

TEST_CASE("identical content leaves the file untouched") {
  TempDir dir;
  write_text(dir / "feed.txt", "same\n");
  auto before = inode(dir / "feed.txt");
  CHECK_FALSE(write_file_atomically(dir / "feed.txt", "same\n"));
  CHECK(inode(dir / "feed.txt") == before);
  CHECK(count_files(dir.path()) == 1);
  CHECK(write_file_atomically(dir / "feed.txt", "different\n"));
  CHECK(inode(dir / "feed.txt") != before);
}

TEST_CASE("a directory that cannot be written is an error naming it") {
  CHECK_THROWS_WITH(AtomicFile("/nonexistent-dir/feed.txt"), Catch::Contains("/nonexistent-dir"));
}

TEST_CASE("stale temporary files are removed, other files are not") {
  TempDir dir;
  write_text(dir / ".feed.txt.tmp-abc123", "left by a killed run");
  write_text(dir / "feed.txt", "kept");
  write_text(dir / ".hidden", "kept");
  remove_stale_temporary_files(dir.path());
  CHECK(count_files(dir.path()) == 2);
  CHECK_FALSE(std::filesystem::exists(dir / ".feed.txt.tmp-abc123"));
}
