// Small text helpers shared across folders.
#include "core/text.hpp"

#include <catch2/catch.hpp>

using namespace driftlock;

TEST_CASE("counted: the noun agrees with the count", "[core]") {
  CHECK(counted(0, "change", "changes") == "0 changes");
  CHECK(counted(1, "change", "changes") == "1 change");
  CHECK(counted(2, "dependency", "dependencies") == "2 dependencies");
}
