#include "core/json_locator.hpp"

#include <catch2/catch.hpp>

using namespace driftlock;

TEST_CASE("json_offset finds values and keys by path", "[core][json]") {
  const std::string text = R"({"a": 1, "b": {"c": [10, {"d": "x\"y"}, 30]}, "e": "last"})";
  auto at = [&](const JsonPath& path, JsonAnchor anchor = JsonAnchor::value) {
    return text.substr(json_offset(text, path, anchor), 4);
  };
  CHECK(at({}) == "{\"a\"");
  CHECK(at({"a"}) == "1, \"");
  CHECK(at({"a"}, JsonAnchor::key) == "\"a\":");
  CHECK(at({"b", "c", std::size_t{0}}) == "10, ");
  CHECK(at({"b", "c", std::size_t{1}, "d"}) == "\"x\\\"");
  CHECK(at({"b", "c", std::size_t{2}}) == "30]}");
  CHECK(at({"e"}) == "\"las");
  // Missing steps fall back to the deepest existing value.
  CHECK(at({"b", "zz"}) == "{\"c\"");
  CHECK(at({"b", "c", std::size_t{7}}) == "[10,");
  CHECK(at({"a", "x"}) == "1, \"");
}
