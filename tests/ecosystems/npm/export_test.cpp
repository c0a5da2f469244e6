#include "ecosystems/npm/export.hpp"

#include <catch2/catch.hpp>

#include "ecosystems/npm/name.hpp"

using namespace driftlock;
using driftlock::ecosystems::npm::exporter;

namespace {

Dependency npm(std::string name, std::string version) {
  return Dependency{"npm", std::move(name), std::move(version), "sha512-AAAA+/==", std::nullopt};
}

// The scheme's own message, or a marker that fails the test if it accepts the name.
std::string name_error(std::string_view name) {
  auto r = ecosystems::npm::validate_name(name);
  return r ? "(accepted)" : r.error().message;
}

}  // namespace

TEST_CASE("npm export: a JSON object of exact versions with sorted keys", "[npm][export]") {
  const std::vector<Dependency> deps = {npm("lodash", "4.17.21"), npm("@babel/core", "7.24.0"),
                                        npm("chalk", "5.3.0-beta.1+build.7")};
  CHECK(exporter().file_name() == "npm-pins.json");
  auto text = exporter().render(deps, {});
  REQUIRE(text);
  CHECK(*text ==
        "{\n"
        "  \"@babel/core\": \"7.24.0\",\n"
        "  \"chalk\": \"5.3.0-beta.1+build.7\",\n"
        "  \"lodash\": \"4.17.21\"\n"
        "}\n");
  auto empty = exporter().render({}, {});
  REQUIRE(empty);
  CHECK(*empty == "{}\n");

  // Every pin as an override too, so nested copies are the pinned version.
  CHECK(exporter().companion_file_name() == "npm-overrides.json");
  auto overrides = exporter().render_companion(deps, {});
  REQUIRE(overrides);
  CHECK(*overrides ==
        "{\n"
        "  \"overrides\": {\n"
        "    \"@babel/core\": \"7.24.0\",\n"
        "    \"chalk\": \"5.3.0-beta.1+build.7\",\n"
        "    \"lodash\": \"4.17.21\"\n"
        "  }\n"
        "}\n");
  const std::vector<Dependency> unsafe = {npm("chalk", "$(id)")};
  auto bad = exporter().render_companion(unsafe, {});
  REQUIRE_FALSE(bad);

  auto variables = exporter().variables(deps, {});
  REQUIRE(variables);
  CHECK(*variables == std::vector<ExportVariable>{{"DRIFTLOCK_NPM_BABEL_CORE", "7.24.0"},
                                                  {"DRIFTLOCK_NPM_CHALK", "5.3.0-beta.1+build.7"},
                                                  {"DRIFTLOCK_NPM_LODASH", "4.17.21"}});
}

TEST_CASE("npm export refuses bad names, versions and clashing variables", "[npm][export]") {
  const std::string allowed = " (only letters, digits and . _ - + : ~ @ / ! are exported)";
  struct Case {
    std::vector<Dependency> deps;
    bool render_fails;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{npm("chalk", "5.3.0\"")},
       true,
       "cannot export npm dependency 'chalk': version '5.3.0\"' contains '\"'" + allowed},
      {{npm("chalk", "$(id)")},
       true,
       "cannot export npm dependency 'chalk': version '$(id)' contains '$'" + allowed},
      {{npm("Bad Name", "1.0.0")},
       true,
       "cannot export npm dependency 'Bad Name': the name contains ' '" + allowed},
      {{npm(".hidden", "1.0.0")},
       true,
       "cannot export npm dependency '.hidden': " + name_error(".hidden")},
      {{npm("lodash.merge", "4.6.2"), npm("lodash-merge", "1.0.0")},
       false,
       "npm dependencies 'lodash-merge' and 'lodash.merge' both map to the variable "
       "DRIFTLOCK_NPM_LODASH_MERGE"},
  };
  for (const Case& c : cases) {
    INFO(c.message);
    auto variables = exporter().variables(c.deps, {});
    REQUIRE(!variables);
    CHECK(variables.error().message == c.message);
    CHECK(!exporter().render(c.deps, {}) == c.render_fails);
  }
}
