#include "ecosystems/npm/name.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace npm = driftlock::ecosystems::npm;

TEST_CASE("valid npm package names", "[npm][name]") {
  const std::vector<std::string> names = {
      "chalk", "JSONStream", "lodash.merge", "left-pad",   "@types/node", "@babel/core",
      "a",     "123",        "x_y",          "tilde~name", "@a-b/c.d_e",  std::string(214, 'a'),
  };
  for (const std::string& name : names) {
    CAPTURE(name);
    CHECK(npm::validate_name(name).has_value());
  }
}

TEST_CASE("npm package name errors", "[npm][name][errors]") {
  struct Case {
    std::string name;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"", "invalid npm package name '': empty"},
      {std::string(215, 'a'),
       "invalid npm package name '" + std::string(100, 'a') + "...': longer than 214 characters"},
      {" chalk", "invalid npm package name ' chalk': contains spaces"},
      {"left pad", "invalid npm package name 'left pad': contains spaces"},
      {"chalk\xc2\xa0", "invalid npm package name 'chalk\\xc2\\xa0': contains spaces"},
      {".bin", "invalid npm package name '.bin': must not start with '.'"},
      {"..", "invalid npm package name '..': must not start with '.'"},
      {"_private", "invalid npm package name '_private': must not start with '_'"},
      {"a/b",
       "invalid npm package name 'a/b': contains '/', which is not allowed (only a-z 0-9 - . _ ~)"},
      {"a!b",
       "invalid npm package name 'a!b': contains '!', which is not allowed (only a-z 0-9 - . _ ~)"},
      {"caf\xc3\xa9",
       "invalid npm package name 'caf\\xc3\\xa9': contains '\\xc3', which is not allowed (only a-z "
       "0-9 - . _ ~)"},
      {"a;rm",
       "invalid npm package name 'a;rm': contains ';', which is not allowed (only a-z 0-9 - . _ "
       "~)"},
      {"node_modules", "invalid npm package name 'node_modules': reserved name"},
      {"favicon.ico", "invalid npm package name 'favicon.ico': reserved name"},
      {"@scope", "invalid npm package name '@scope': a scoped name must look like '@scope/name'"},
      {"@/x", "invalid npm package name '@/x': a scoped name must look like '@scope/name'"},
      {"@scope/", "invalid npm package name '@scope/': a scoped name must look like '@scope/name'"},
      {"@.s/x", "invalid npm package name '@.s/x': scope must not start with '.'"},
      {"@s/_x", "invalid npm package name '@s/_x': name must not start with '_'"},
      {"@s/../x", "invalid npm package name '@s/../x': name must not start with '.'"},
      {"@s/a/b",
       "invalid npm package name '@s/a/b': contains '/', which is not allowed (only a-z 0-9 - . _ "
       "~)"},
      {"@S/a", "invalid npm package name '@S/a': must be lowercase"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    auto result = npm::validate_name(c.name);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().message == c.message);
    CHECK(result.error().kind == driftlock::ErrorKind::input);
  }
}
