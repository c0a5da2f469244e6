// A package nobody named moves only within the ranges of what requires it.
#include <catch2/catch.hpp>

#include "ecosystems/registry.hpp"
#include "resolve/requirements.hpp"

using namespace driftlock;
using namespace driftlock::resolve;

namespace {

struct Offered {
  std::string version;
  Requirements requirements;
  Exclusion exclusion = Exclusion::none;
};

ResolvedDependency resolved(std::string name, bool transitive, std::vector<Offered> releases) {
  DependencySpec spec;
  spec.ecosystem = "npm";
  spec.name = std::move(name);
  spec.range = "*";
  spec.transitive = transitive;
  Selection selection;
  for (Offered& offered : releases) {
    Release release;
    release.version = offered.version;
    release.requirements = offered.requirements;
    selection.releases.push_back({std::move(release), offered.exclusion});
    if (offered.exclusion == Exclusion::none) selection.chosen = selection.releases.size() - 1;
  }
  return ResolvedDependency{std::move(spec), std::move(selection), true, {}};
}

std::string chosen(const Resolution& resolution, std::string_view name) {
  for (const ResolvedDependency& one : resolution.resolved) {
    if (one.spec.name == name) return one.selection.chosen_release().version;
  }
  return "";
}

Snapshot captured(std::vector<std::pair<std::string, std::string>> pins) {
  Snapshot snapshot;
  for (auto& [name, version] : pins) {
    snapshot.dependencies.push_back(Dependency{"npm", name, version, {}, {}, true});
  }
  return snapshot;
}

}  // namespace

TEST_CASE("transitive packages stay within the ranges of the releases that require them",
          "[resolve][requirements]") {
  SECTION("the newest release the parent accepts") {
    Resolution resolution;
    resolution.resolved.push_back(resolved("p", false, {{"2.0.0", {{"q", "^1.0.0"}}}}));
    resolution.resolved.push_back(resolved(
        "q", true,
        {{"1.0.0", {}}, {"1.5.0", {}}, {"1.6.0", {}, Exclusion::too_young}, {"2.0.0", {}}}));
    keep_transitives_in_range(resolution, nullptr, ecosystems::all());
    CHECK(chosen(resolution, "q") == "1.5.0");
  }
  SECTION("a lower choice's own requirements move what it requires") {
    Resolution resolution;
    resolution.resolved.push_back(resolved("p", false, {{"2.0.0", {{"q", "<2"}}}}));
    resolution.resolved.push_back(
        resolved("q", true, {{"1.0.0", {{"r", "^1.0.0"}}}, {"2.0.0", {{"r", "^2.0.0"}}}}));
    resolution.resolved.push_back(resolved("r", true, {{"1.0.0", {}}, {"2.0.0", {}}}));
    keep_transitives_in_range(resolution, nullptr, ecosystems::all());
    CHECK(chosen(resolution, "q") == "1.0.0");
    CHECK(chosen(resolution, "r") == "1.0.0");
  }
  SECTION("never below the captured version") {
    Resolution resolution;
    resolution.resolved.push_back(resolved("p", false, {{"2.0.0", {{"q", "~1.2.0"}}}}));
    resolution.resolved.push_back(
        resolved("q", true, {{"1.2.0", {}}, {"1.5.0", {}}, {"2.0.0", {}}}));
    const Snapshot baseline = captured({{"p", "2.0.0"}, {"q", "1.5.0"}});
    keep_transitives_in_range(resolution, &baseline, ecosystems::all());
    CHECK(chosen(resolution, "q") == "1.5.0");
  }
  SECTION("direct dependencies follow the manifest alone; unknown ranges constrain nothing") {
    Resolution resolution;
    resolution.resolved.push_back(resolved(
        "p", false, {{"2.0.0", {{"q", "^1.0.0"}, {"r", "git+https://example.invalid/r"}}}}));
    resolution.resolved.push_back(resolved("q", false, {{"1.0.0", {}}, {"2.0.0", {}}}));
    resolution.resolved.push_back(resolved("r", true, {{"1.0.0", {}}, {"2.0.0", {}}}));
    keep_transitives_in_range(resolution, nullptr, ecosystems::all());
    CHECK(chosen(resolution, "q") == "2.0.0");
    CHECK(chosen(resolution, "r") == "2.0.0");
  }
  SECTION("no release satisfies every range: left as chosen") {
    Resolution resolution;
    resolution.resolved.push_back(resolved("p", false, {{"1.0.0", {{"q", "^1.0.0"}}}}));
    resolution.resolved.push_back(resolved("s", false, {{"1.0.0", {{"q", "^2.0.0"}}}}));
    resolution.resolved.push_back(resolved("q", true, {{"1.0.0", {}}, {"2.0.0", {}}}));
    keep_transitives_in_range(resolution, nullptr, ecosystems::all());
    CHECK(chosen(resolution, "q") == "2.0.0");
  }
}

TEST_CASE("the requirement index holds the chosen and the baseline releases",
          "[resolve][requirements]") {
  Resolution resolution;
  resolution.resolved.push_back(
      resolved("p", false,
               {{"1.0.0", {{"q", "^1"}}}, {"1.5.0", {{"q", "^1.5"}}}, {"2.0.0", {{"q", "^2"}}}}));
  const std::vector<Dependency> baseline{Dependency{"npm", "p", "1.0.0", {}, {}, false}};
  const RequirementIndex index = requirement_index(resolution, baseline, ecosystems::all());
  REQUIRE(index.find("npm", "p", "1.0.0"));
  CHECK(*index.find("npm", "p", "2.0.0") == Requirements{{"q", "^2"}});
  CHECK_FALSE(index.find("npm", "p", "1.5.0"));
}
