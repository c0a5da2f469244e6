// The registry's requirements in a run: no candidate pairs a package with a
// version of another it does not accept, and such pairings cost no build.
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "pipeline/pipeline.hpp"
#include "pipeline/world.hpp"

using namespace driftlock;
using driftlock::testing::World;

namespace {

// Whether some tested candidate pins a at `a` and b at `b`.
bool tested_pair(const World& world, const std::string& a, const std::string& b) {
  for (const std::string& lock : world.tested) {
    auto json = nlohmann::json::parse(lock);
    if (world.version_of(json, "a") == a && world.version_of(json, "b") == b) return true;
  }
  return false;
}

std::string name_of(const RunReport& report, std::size_t change) {
  return report.changes[change].name;
}

}  // namespace

TEST_CASE("run: an update moves with what its registry says it requires", "[requirements]") {
  World world;
  // a 1.1.0 requires b 1.1.0 or newer.
  world.sources.requirements["a@1.1.0"] = {{"b", ">=1.1.0"}};

  SECTION("the requirement is the culprit: the update that needs it stays back, unblamed") {
    world.broken = {"b@1.1.0"};
    auto report = world.run();
    REQUIRE(report);
    CHECK(report->status == RunStatus::shipped_partially);
    REQUIRE(report->culprits.size() == 1);
    REQUIRE(report->culprits[0].changes.size() == 1);
    CHECK(name_of(*report, report->culprits[0].changes[0]) == "b");
    REQUIRE(report->unresolved.size() == 1);
    CHECK(name_of(*report, report->unresolved[0]) == "a");
    CHECK_FALSE(tested_pair(world, "1.1.0", "1.0.0"));
    REQUIRE(world.pushed.size() == 1);
    auto pushed = nlohmann::json::parse(world.pushed[0]);
    CHECK(world.version_of(pushed, "a") == "1.0.0");
    CHECK(world.version_of(pushed, "b") == "1.0.0");
    CHECK(world.version_of(pushed, "c") == "1.1.0");
  }
  SECTION("the update itself is the culprit: blamed with what it needs, which ships") {
    world.broken = {"a@1.1.0"};
    auto report = world.run();
    REQUIRE(report);
    CHECK(report->status == RunStatus::shipped_partially);
    REQUIRE(report->culprits.size() == 1);
    REQUIRE(report->culprits[0].changes.size() == 1);
    CHECK(name_of(*report, report->culprits[0].changes[0]) == "a");
    CHECK_FALSE(tested_pair(world, "1.1.0", "1.0.0"));
    REQUIRE(world.pushed.size() == 1);
    auto pushed = nlohmann::json::parse(world.pushed[0]);
    CHECK(world.version_of(pushed, "a") == "1.0.0");
    CHECK(world.version_of(pushed, "b") == "1.1.0");
  }
}

TEST_CASE("run: pairings the requirements rule out are answered without a build",
          "[requirements]") {
  World world;
  world.sources.requirements["a@1.1.0"] = {{"b", ">=1.1.0"}};
  world.broken = {"b@1.1.0"};
  auto report = world.run();
  REQUIRE(report);
  std::size_t a = report->changes.size(), b = report->changes.size();
  for (std::size_t i = 0; i < report->changes.size(); ++i) {
    if (report->changes[i].name == "a") a = i;
    if (report->changes[i].name == "b") b = i;
  }
  int ruled_out = 0;
  for (const ProbeLine& probe : report->probe_log) {
    const bool has_a = std::find(probe.subset.begin(), probe.subset.end(), a) != probe.subset.end();
    const bool has_b = std::find(probe.subset.begin(), probe.subset.end(), b) != probe.subset.end();
    if (has_a && !has_b) {
      ++ruled_out;
      CHECK(probe.outcome == Outcome::unresolved);
    }
  }
  CHECK(ruled_out >= 1);
  // Every build the runner saw is one the prober counted; none of them was a ruled-out pairing.
  CHECK(report->builds == world.builds);
  CHECK_FALSE(tested_pair(world, "1.1.0", "1.0.0"));
}
