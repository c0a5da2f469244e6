// Blame inside the closure: a run that captures the closure records through
// which named package each transitive package came (in the state database,
// never in the snapshot), and the next run's and bisect's culprits say it.
#include <catch2/catch.hpp>

#include "pipeline/closure.hpp"
#include "pipeline/world.hpp"
#include "publish/run_render.hpp"
#include "store/closure_via.hpp"
#include "store/schema.hpp"

using namespace driftlock;
using driftlock::testing::FakeSources;
using driftlock::testing::read_text;
using driftlock::testing::TempDir;
using driftlock::testing::write_text;

namespace {

// The named npm package `a` needs `mid`, which needs `lib`; the test fails
// for the pins in `broken`. The [closure] listing is `npm ls`'s tree of the
// candidate's lock (packages it does not pin yet at 1.0.0).
struct Closure {
  TempDir dir;
  FakeSources sources;
  std::set<std::string> broken;  // "name@version"
  exec::FakeRunner runner{[this](const exec::RunRequest& request) -> Result<exec::RunResult> {
    if (request.command.find("git commit") != std::string::npos) return exec::exited(90);
    if (request.command.starts_with("git rev-parse")) return exec::exited(0, {"tree-1"});
    std::map<std::string, std::string> pins = {{"a", "1.0.0"}, {"mid", "1.0.0"}, {"lib", "1.0.0"}};
    std::string output;
    for (const exec::EnvVar& var : request.env) {
      if (var.name == "DRIFTLOCK_CANDIDATE_DIR") {
        const auto lock = nlohmann::json::parse(read_text(var.value + "/lock.json"));
        for (const auto& d : lock["dependencies"]) {
          pins[d["name"].get<std::string>()] = d["version"].get<std::string>();
        }
      }
      if (var.name == "DRIFTLOCK_CLOSURE_OUTPUT") output = var.value;
    }
    if (!output.empty()) {
      write_text(output, fmt::format(R"({{"name": "demo", "dependencies": {{"a": {{"version": "{}",
  "dependencies": {{"mid": {{"version": "{}", "dependencies": {{"lib": {{"version": "{}"}}}}}}}}}}}}}})",
                                     pins["a"], pins["mid"], pins["lib"]));
      return exec::exited(0);
    }
    if (request.command == "build") return exec::exited(0);
    for (const auto& [name, version] : pins) {
      if (broken.count(name + "@" + version)) return exec::exited(1, {"FAIL: " + name});
    }
    return exec::exited(0);
  }};

  Closure() {
    write_text(dir.path() / "driftlock.toml",
               "image = \"demo\"\nsnapshot = \"demo.lock.json\"\n[commands]\nbuild = \"build\"\n"
               "test = \"test\"\n[closure]\nnpm = \"npm ls --all --json\"\n"
               "[dependencies.npm]\na = \"*\"\n");
    write_text(dir.path() / "demo.lock.json",
               "{\n  \"format\": \"driftlock-snapshot\",\n  \"version\": 1,\n  \"image\": "
               "\"demo\",\n  \"dependencies\": [\n    {\"ecosystem\": \"npm\", \"name\": \"a\", "
               "\"version\": \"1.0.0\"}\n  ],\n  \"held\": []\n}\n");
    sources.table = {{"a", {"1.0.0"}}, {"mid", {"1.0.0"}}, {"lib", {"1.0.0"}}};
  }

  Result<RunReport> run() {
    FixedClock clock(*parse_timestamp("2026-11-25T03:00:00Z"));
    auto session = resolve::open_and_resolve(
        dir.path() / "driftlock.toml", ecosystems::all(), clock, {},
        [this](net::HttpClient&) { return std::make_unique<FakeSources>(sources); });
    REQUIRE(session);
    return pipeline::run_pipeline(*session, {}, runner, clock, ecosystems::all());
  }

  ClosureVia recorded() {
    auto database = store::open_state_database(dir.path() / ".driftlock" / "state.db");
    REQUIRE(database);
    return pipeline::read_closure_via(*database, "demo");
  }
};

}  // namespace

TEST_CASE("closure via: recorded at capture, said of the next run's transitive culprit",
          "[pipeline][closure][via]") {
  Closure project;
  // 1: the snapshot has no closure yet: the baseline's is captured.
  auto captured = project.run();
  REQUIRE(captured);
  CHECK(captured->status == RunStatus::closure_captured);
  const ClosureVia via = {{{"npm", "lib"}, {"a"}}, {{"npm", "mid"}, {"a"}}};
  CHECK(project.recorded() == via);
  // The snapshot's keys stay the contract's: no via there.
  const std::string snapshot = read_text(project.dir.path() / "demo.lock.json");
  CHECK(snapshot.find("\"via\"") == std::string::npos);
  CHECK(snapshot.find("\"transitive\": true") != std::string::npos);

  // 2: a and lib have new releases; lib 1.1.0 breaks the image.
  project.sources.table = {
      {"a", {"1.0.0", "1.1.0"}}, {"mid", {"1.0.0"}}, {"lib", {"1.0.0", "1.1.0"}}};
  project.broken = {"lib@1.1.0"};
  auto report = project.run();
  REQUIRE(report);
  INFO(publish::render_run(*report, publish::OutputFormat::text, publish::Color::never));
  CHECK(report->status == RunStatus::shipped_partially);
  REQUIRE(report->culprits.size() == 1);
  REQUIRE(report->culprits[0].changes.size() == 1);
  const Change& culprit = report->changes[report->culprits[0].changes[0]];
  CHECK(publish::change_label(culprit) == "npm lib 1.0.0 -> 1.1.0 (transitive, via a)");
  for (const Change& change : report->changes) {
    INFO(change.name);
    CHECK(change.via ==
          (change.name == "a" ? std::vector<std::string>{} : std::vector<std::string>{"a"}));
  }
  CHECK(pipeline::commit_message(*report).find(
            "- npm lib 1.0.0 -> 1.1.0 (transitive, via a): test exited with 1") !=
        std::string::npos);
  // The shipped candidate's closure was captured again: the same via.
  CHECK(project.recorded() == via);

  // bisect between two locks reads the same via for the image.
  auto state = store::StateDir::open(project.dir.path() / ".driftlock-bisect");
  REQUIRE(state);
  REQUIRE(store::ClosureViaLog(state->database())
              .replace("demo", std::vector<std::string>{"npm"}, via, Timestamp{}));
  const Snapshot from = *load_snapshot(project.dir.path() / "demo.lock.json", ecosystems::all());
  Snapshot to = from;
  for (Dependency& d : to.dependencies) {
    if (d.name == "lib") d.version = "1.1.0";
  }
  const Manifest manifest =
      *load_manifest(project.dir.path() / "driftlock.toml", ecosystems::all());
  FixedClock clock(*parse_timestamp("2026-11-25T04:00:00Z"));
  auto bisected =
      pipeline::bisect_locks(manifest, from, to, *state, project.runner, clock, ecosystems::all());
  REQUIRE(bisected);
  REQUIRE(bisected->culprits.size() == 1);
  CHECK(publish::change_label(bisected->changes[bisected->culprits[0].changes[0]]) ==
        "npm lib 1.0.0 -> 1.1.0 (transitive, via a)");
}
