// The gated pipeline with fake registries and a fake runner: which candidates
// get built, what ships, what is held back, and what is never written.
#include "pipeline/pipeline.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "ecosystems/registry.hpp"
#include "exec/fake_runner.hpp"
#include "exec/temp_dir.hpp"
#include "pipeline/world.hpp"
#include "support/text_files.hpp"

using namespace driftlock;
using driftlock::testing::FakeSources;
using driftlock::testing::read_text;
using driftlock::testing::TempDir;
using driftlock::testing::World;
using driftlock::testing::write_text;

TEST_CASE("run: a green candidate ships every change") {
  World world;
  auto report = world.run();
  REQUIRE(report);
  CHECK(report->status == RunStatus::shipped);
  CHECK(report->changes.size() == 6);
  CHECK(world.pushed.size() == 1);
  CHECK(world.builds == 2);  // baseline + full candidate
  auto snapshot = world.snapshot();
  CHECK(world.version_of(snapshot, "a") == "1.1.0");
  CHECK(snapshot["created"] == "2026-11-25T03:00:00Z");
  CHECK(report->commit_note == "not committed (not a git work tree)");

  // Nothing new: no drift, nothing built or pushed.
  auto again = world.run();
  REQUIRE(again);
  CHECK(again->status == RunStatus::no_drift);
  CHECK(world.builds == 2);
  CHECK(world.pushed.size() == 1);
}

TEST_CASE("run: the culprit is named, held back, and every other update ships") {
  World world;
  world.broken = {"d@1.1.0"};
  auto report = world.run();
  REQUIRE(report);
  CHECK(report->status == RunStatus::shipped_partially);
  REQUIRE(report->culprits.size() == 1);
  REQUIRE(report->culprits[0].changes.size() == 1);
  CHECK(report->changes[report->culprits[0].changes[0]].name == "d");
  CHECK(report->culprits[0].reason == "test exited with 1");
  CHECK(report->culprits[0].tail == std::vector<std::string>{"FAIL: d@1.1.0"});
  // Nothing broken is pushed: the one pushed candidate keeps d at 1.0.0.
  REQUIRE(world.pushed.size() == 1);
  auto pushed = nlohmann::json::parse(world.pushed[0]);
  CHECK(world.version_of(pushed, "d") == "1.0.0");
  CHECK(world.version_of(pushed, "a") == "1.1.0");
  auto snapshot = world.snapshot();
  CHECK(world.version_of(snapshot, "d") == "1.0.0");
  CHECK(world.version_of(snapshot, "f") == "1.1.0");
  REQUIRE(snapshot["held"].size() == 1);
  CHECK(snapshot["held"][0]["name"] == "d");
  CHECK(snapshot["held"][0]["version"] == "1.1.0");
  CHECK(snapshot["held"][0]["reason"] == "test exited with 1: FAIL: d@1.1.0");
  CHECK(exit_code(report->status) == 1);
  CHECK(report->probes <= bisect::information_bound(6, 1) + 3);

  // The next run does not try d 1.1.0 again.
  auto again = world.run();
  REQUIRE(again);
  CHECK(again->status == RunStatus::no_drift);
  CHECK(again->message ==
        "no drift (held: npm d 1.1.0): every other dependency is at its newest allowed release");
}

TEST_CASE("run: a broken baseline is environment rot, never a culprit; nothing written") {
  World world;
  world.broken = {"a@1.0.0"};
  const std::string before = read_text(world.dir.path() / "demo.lock.json");
  auto report = world.run();
  REQUIRE_FALSE(report);
  CHECK(report.error().kind == ErrorKind::infrastructure);
  CHECK(
      report.error().message.starts_with("baseline broken: the snapshot's own pins fail (test "
                                         "exited with 1; log: "));
  CHECK(read_text(world.dir.path() / "demo.lock.json") == before);
  CHECK(world.pushed.empty());
}

TEST_CASE("run: --dry-run builds nothing; --no-push commits without pushing") {
  World world;
  pipeline::RunOptions dry;
  dry.dry_run = pipeline::DryRun::yes;
  auto planned = world.run(dry);
  REQUIRE(planned);
  CHECK(planned->status == RunStatus::planned);
  CHECK(world.builds == 0);
  CHECK(world.runner.requests().empty());

  pipeline::RunOptions no_push;
  no_push.push = pipeline::Push::no;
  auto report = world.run(no_push);
  REQUIRE(report);
  CHECK(report->status == RunStatus::shipped);
  CHECK(world.pushed.empty());
  CHECK(report->push_note == "not pushed (--no-push)");
  CHECK(world.version_of(world.snapshot(), "a") == "1.1.0");
}

TEST_CASE("run: a failing push leaves the snapshot where it was") {
  World world;
  const std::string before = read_text(world.dir.path() / "demo.lock.json");
  exec::FakeRunner failing_push([](const exec::RunRequest& request) -> Result<exec::RunResult> {
    if (request.command.starts_with("git rev-parse")) return exec::exited(0, {"no-git"});
    return exec::exited(request.command == "push" ? 1 : 0);
  });
  FixedClock clock(*parse_timestamp("2026-11-25T03:00:00Z"));
  auto session = resolve::open_and_resolve(
      world.dir.path() / "driftlock.toml", ecosystems::all(), clock, {},
      [&](net::HttpClient&) { return std::make_unique<FakeSources>(world.sources); });
  REQUIRE(session);
  auto report = pipeline::run_pipeline(*session, {}, failing_push, clock, ecosystems::all());
  REQUIRE_FALSE(report);
  CHECK(report.error().kind == ErrorKind::infrastructure);
  CHECK(report.error().message.starts_with("the push command exited with 1"));
  CHECK(read_text(world.dir.path() / "demo.lock.json") == before);
}

TEST_CASE("run: identical candidates are built once across runs (memoised outcomes)") {
  World world;
  world.broken = {"b@1.1.0", "e@1.1.0"};
  const std::string original = read_text(world.dir.path() / "demo.lock.json");
  auto first = world.run();
  REQUIRE(first);
  CHECK(first->culprits.size() == 2);
  const int builds_after_first = world.builds;

  // The same starting point again: only deliberate confirmation re-runs build.
  write_text(world.dir.path() / "demo.lock.json", original);
  auto second = world.run();
  REQUIRE(second);
  CHECK(second->culprits.size() == 2);
  int reruns = 0;
  for (const ProbeLine& probe : second->probe_log) reruns += probe.run > 0 ? 1 : 0;
  CHECK(world.builds - builds_after_first == reruns);
  CHECK(second->builds == reruns);
}

TEST_CASE("run: when every change is a culprit the holds are still recorded") {
  World world;
  for (auto& [name, versions] : world.sources.table) versions = {"1.0.0"};
  world.sources.table["c"] = {"1.0.0", "1.1.0"};
  world.broken = {"c@1.1.0"};
  auto report = world.run();
  REQUIRE(report);
  CHECK(report->status == RunStatus::not_shipped);
  CHECK(world.pushed.empty());
  auto snapshot = world.snapshot();
  CHECK(world.version_of(snapshot, "c") == "1.0.0");
  REQUIRE(snapshot["held"].size() == 1);
  CHECK(snapshot["held"][0]["version"] == "1.1.0");
  const int builds = world.builds;
  auto again = world.run();
  REQUIRE(again);
  CHECK(again->status == RunStatus::no_drift);
  CHECK(world.builds == builds);
}

namespace {

Snapshot with_versions(Snapshot snapshot, const std::map<std::string, std::string>& versions) {
  for (Dependency& d : snapshot.dependencies) {
    if (auto it = versions.find(d.name); it != versions.end()) d.version = it->second;
  }
  return snapshot;
}

}  // namespace

TEST_CASE("check builds the pinned snapshot every time and never pushes") {
  World world;
  auto state = store::StateDir::open(world.dir.path() / ".driftlock");
  REQUIRE(state);
  FixedClock clock(*parse_timestamp("2026-11-25T03:00:00Z"));
  const Manifest manifest = world.manifest();
  const Snapshot snapshot = world.lock();

  auto passed =
      pipeline::check_snapshot(manifest, snapshot, *state, world.runner, clock, ecosystems::all());
  REQUIRE(passed);
  CHECK(passed->status == RunStatus::passed);
  CHECK(world.builds == 1);
  auto again =
      pipeline::check_snapshot(manifest, snapshot, *state, world.runner, clock, ecosystems::all());
  REQUIRE(again);
  CHECK(world.builds == 2);  // a check is never answered from the memo

  world.broken = {"c@1.0.0"};
  auto failed =
      pipeline::check_snapshot(manifest, snapshot, *state, world.runner, clock, ecosystems::all());
  REQUIRE(failed);
  CHECK(failed->status == RunStatus::failed);
  CHECK(exit_code(failed->status) == 1);
  REQUIRE(failed->culprits.size() == 1);
  CHECK(failed->culprits[0].tail == std::vector<std::string>{"FAIL: c@1.0.0"});
  CHECK(world.pushed.empty());
}

TEST_CASE("bisect between two locks names the culprits and lists every probe") {
  World world;
  auto state = store::StateDir::open(world.dir.path() / ".driftlock");
  REQUIRE(state);
  FixedClock clock(*parse_timestamp("2026-11-25T03:00:00Z"));
  const Manifest manifest = world.manifest();
  const Snapshot from = world.lock();
  const Snapshot to = with_versions(
      from, {{"a", "1.1.0"}, {"b", "1.1.0"}, {"c", "1.1.0"}, {"d", "1.1.0"}, {"e", "1.1.0"}});

  world.broken = {"c@1.1.0"};
  auto report =
      pipeline::bisect_locks(manifest, from, to, *state, world.runner, clock, ecosystems::all());
  REQUIRE(report);
  CHECK(report->status == RunStatus::not_shipped);
  CHECK(exit_code(report->status) == 1);
  REQUIRE(report->culprits.size() == 1);
  REQUIRE(report->culprits[0].changes.size() == 1);
  CHECK(report->changes[report->culprits[0].changes[0]].name == "c");
  CHECK(report->message == "1 change of 5 to blame");
  CHECK(report->probes == static_cast<int>(report->probe_log.size()));
  CHECK(report->bound == bisect::information_bound(5, 1));
  CHECK(world.pushed.empty());

  // Outcomes are memoised per builder revision: a changed world needs fresh state.
  world.broken.clear();
  auto fresh = store::StateDir::open(world.dir.path() / ".driftlock-2");
  REQUIRE(fresh);
  auto passing =
      pipeline::bisect_locks(manifest, from, to, *fresh, world.runner, clock, ecosystems::all());
  REQUIRE(passing);
  CHECK(passing->status == RunStatus::passed);

  world.broken = {"a@1.0.0"};
  auto third = store::StateDir::open(world.dir.path() / ".driftlock-3");
  REQUIRE(third);
  auto broken =
      pipeline::bisect_locks(manifest, from, to, *third, world.runner, clock, ecosystems::all());
  REQUIRE_FALSE(broken);
  CHECK(broken.error().message.starts_with("baseline broken"));
}
