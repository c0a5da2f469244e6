#include <catch2/catch.hpp>

#include "core/suggest.hpp"

#include <array>

using namespace driftlock;

TEST_CASE("edit distance", "[core][suggest]") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("build", "buld") == 1);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("nmp", "npm") == 1);
}

TEST_CASE("did you mean", "[core][suggest]") {
  constexpr std::array<std::string_view, 3> keys = {"build", "test", "push"};
  CHECK(did_you_mean("buld", keys) == " (did you mean 'build'?)");
  CHECK(did_you_mean("tset", keys) == " (did you mean 'test'?)");
  CHECK(did_you_mean("zzzzzz", keys) == "");
  constexpr std::array<std::string_view, 4> ecosystems = {"debian", "npm", "oci", "pypi"};
  CHECK(did_you_mean("pip", ecosystems) == " (did you mean 'pypi'?)");
  CHECK(did_you_mean("ab", ecosystems) == "");
}
