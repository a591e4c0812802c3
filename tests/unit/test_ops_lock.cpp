#include <catch2/catch.hpp>

#include "ops/lock.h"
#include "temp_dir.h"
#include "util/error.h"

using namespace crowdfeed;

TEST_CASE("only one holder of the run lock at a time") {
  testing::TempDir dir;
  {
    RunLock first(dir / "publish.lock");
    CHECK_THROWS_WITH(RunLock(dir / "publish.lock"), Catch::Contains("another crowdfeed run holds the lock"));
  }
  CHECK_NOTHROW(RunLock(dir / "publish.lock"));  // released with the first holder
}
