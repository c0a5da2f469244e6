// Issue "culprit search": flaky tests handled from evidence. `auto` trusts
// outcomes while nothing was ever flaky; a conclusion that stops the run is
// re-checked first; a flake seen makes the rest of the run careful; every
// blame carries its evidence.
#include <catch2/catch.hpp>

#include "pipeline/world.hpp"

using namespace driftlock;
using driftlock::testing::World;

namespace {

pipeline::RunOptions with_mode(FlakyTests mode) {
  pipeline::RunOptions options;
  options.search.flaky_tests = mode;
  return options;
}

int reruns(const RunReport& report) {
  int count = 0;
  for (const ProbeLine& probe : report.probe_log) count += probe.run > 0 ? 1 : 0;
  return count;
}

std::vector<std::string> blamed_names(const RunReport& report) {
  std::vector<std::string> names;
  for (const CulpritReport& culprit : report.culprits) {
    for (std::size_t i : culprit.changes) names.push_back(report.changes[i].name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("flaky tests, auto: no flake on record, so no build is run twice") {
  World trusting;
  trusting.broken = {"d@1.1.0"};
  auto report = trusting.run();
  REQUIRE(report);
  CHECK(report->status == RunStatus::shipped_partially);
  CHECK(blamed_names(*report) == std::vector<std::string>{"d"});
  REQUIRE(report->search_mode);
  CHECK(report->search_mode->setting == "auto");
  CHECK(report->search_mode->mode == "trust");
  CHECK(report->search_mode->why ==
        "flaky-tests = auto, trusting: no build on record yet (a failure that stops the run is "
        "re-checked; outcomes that contradict each other switch to careful)");
  CHECK(reruns(*report) == 0);
  CHECK(report->rechecks.empty());
  CHECK(report->culprits[0].failing_builds >= 1);
  CHECK(report->culprits[0].flake_chance == 0.0);

  // `expect` spends re-runs on the same world: more builds for the same blame.
  World careful;
  careful.broken = {"d@1.1.0"};
  auto expected = careful.run(with_mode(FlakyTests::expect));
  REQUIRE(expected);
  CHECK(blamed_names(*expected) == std::vector<std::string>{"d"});
  CHECK(expected->search_mode->mode == "careful");
  CHECK(expected->search_mode->confirmations == 3);
  CHECK(expected->culprits[0].failing_builds >= 3);
  CHECK(expected->culprits[0].isolated);
  CHECK(expected->culprits[0].flake_chance > 0.0);
  CHECK(expected->culprits[0].flake_chance <= 0.01);
  CHECK(reruns(*expected) > 0);
  CHECK(trusting.builds < careful.builds);
}

TEST_CASE("flaky tests: a baseline that fails once is re-checked and the run goes on, careful") {
  World world;
  world.broken = {"d@1.1.0"};
  world.flaky_tests = {1};  // the baseline's first test run
  auto report = world.run();
  REQUIRE(report);
  CHECK(report->status == RunStatus::shipped_partially);
  CHECK(blamed_names(*report) == std::vector<std::string>{"d"});
  REQUIRE(report->rechecks.size() == 2);
  CHECK(report->rechecks[0] ==
        "baseline built again (re-run 1): \"baseline broken\" stops the run, and with "
        "flaky-tests = auto such a conclusion is re-checked before it is believed");
  CHECK(report->rechecks[1] == "baseline passed on re-run 1: the failure was a flake");
  REQUIRE(report->search_mode);
  CHECK(report->search_mode->mode == "careful");
  CHECK(report->search_mode->why.starts_with(
      "flaky-tests = auto, careful: 1 failing build in 2 builds of candidates that also passed"));
  CHECK(report->culprits[0].failing_builds >= report->search_mode->confirmations);
  CHECK(world.version_of(world.snapshot(), "a") == "1.1.0");
}

TEST_CASE("flaky tests: a baseline that fails again is broken; trust believes the first failure") {
  World rotten;
  rotten.broken = {"a@1.0.0"};
  const std::string before = testing::read_text(rotten.dir.path() / "demo.lock.json");
  auto report = rotten.run();
  REQUIRE_FALSE(report);
  CHECK(report.error().message.starts_with("baseline broken: the snapshot's own pins fail"));
  CHECK(rotten.builds == 2);  // the baseline and its re-check
  CHECK(testing::read_text(rotten.dir.path() / "demo.lock.json") == before);
  CHECK(rotten.pushed.empty());

  World trusting;
  trusting.flaky_tests = {1};
  auto trusted = trusting.run(with_mode(FlakyTests::trust));
  REQUIRE_FALSE(trusted);
  CHECK(trusted.error().message.starts_with("baseline broken"));
  CHECK(trusting.builds == 1);
}

TEST_CASE("flaky tests: no change to blame, the full candidate is re-checked and ships") {
  World world;
  world.flaky_tests = {2};  // the full candidate's first test run
  auto report = world.run(with_mode(FlakyTests::expect));
  REQUIRE(report);
  CHECK(report->status == RunStatus::shipped);
  CHECK(report->culprits.empty());
  CHECK(report->message ==
        "6 updates shipped (the full candidate failed once and passed when re-checked)");
  CHECK(world.pushed.size() == 1);
  CHECK(world.version_of(world.snapshot(), "f") == "1.1.0");
}

TEST_CASE("flaky tests, auto: a flaky full candidate blames nobody and everything ships") {
  World world;
  world.flaky_tests = {2};  // the full candidate's first test run
  auto report = world.run();
  REQUIRE(report);
  CHECK(report->status == RunStatus::shipped);
  CHECK(report->culprits.empty());
  CHECK(report->suspected.empty());
  REQUIRE(report->search_mode);
  CHECK(report->search_mode->mode == "careful");
  CHECK(report->search_mode->why.ends_with(
      "(the full candidate failed once and passed when built again)"));
  CHECK(world.snapshot()["held"].empty());
  CHECK(world.version_of(world.snapshot(), "f") == "1.1.0");
}

TEST_CASE("flaky tests: a flake in the history makes the next run careful from its first probe") {
  World world;
  world.broken = {"d@1.1.0"};
  world.flaky_tests = {1};
  auto first = world.run();
  REQUIRE(first);

  // A new release of b: the next night starts careful.
  world.sources.table["b"] = {"1.0.0", "1.1.0", "1.2.0"};
  auto second = world.run();
  REQUIRE(second);
  REQUIRE(second->search_mode);
  CHECK(second->search_mode->mode == "careful");
  CHECK(second->search_mode->why.starts_with("flaky-tests = auto, careful: 1 failing build in"));

  // --flaky-tests trust overrides the history.
  world.sources.table["c"] = {"1.0.0", "1.1.0", "1.2.0"};
  auto third = world.run(with_mode(FlakyTests::trust));
  REQUIRE(third);
  REQUIRE(third->search_mode);
  CHECK(third->search_mode->mode == "trust");
  CHECK(third->search_mode->why ==
        "flaky-tests = trust: every outcome is believed, no build is run twice");
}

TEST_CASE("flaky tests: check re-checks a failing snapshot unless trusted") {
  World world;
  auto state = store::StateDir::open(world.dir.path() / ".driftlock");
  REQUIRE(state);
  FixedClock clock(*parse_timestamp("2026-11-25T03:00:00Z"));
  const Manifest manifest = world.manifest();
  const Snapshot snapshot = world.lock();

  world.flaky_tests = {1};
  auto passed =
      pipeline::check_snapshot(manifest, snapshot, *state, world.runner, clock, ecosystems::all());
  REQUIRE(passed);
  CHECK(passed->status == RunStatus::passed);
  CHECK(passed->message ==
        "the snapshot builds and passes its tests (it failed once: flaky tests)");
  CHECK(passed->builds == 2);

  world.flaky_tests = {3};
  pipeline::SearchSettings trust;
  trust.flaky_tests = FlakyTests::trust;
  auto failed = pipeline::check_snapshot(manifest, snapshot, *state, world.runner, clock,
                                         ecosystems::all(), trust);
  REQUIRE(failed);
  CHECK(failed->status == RunStatus::failed);
  CHECK(failed->builds == 1);
}
