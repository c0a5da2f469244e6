// `driftlock init --capture`: the first snapshot, written by the run pipeline
// with a fake registry and a fake runner: one build, the [closure] listing,
// the snapshot (named + transitive) committed as run commits it, nothing
// pushed; a build, test or listing that fails writes nothing.
#include "pipeline/first_snapshot.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ecosystems/registry.hpp"
#include "exec/fake_runner.hpp"
#include "exec/temp_dir.hpp"
#include "pipeline/world.hpp"
#include "support/text_files.hpp"

using namespace driftlock;
using driftlock::testing::FakeSources;
using driftlock::testing::read_text;
using driftlock::testing::TempDir;
using driftlock::testing::write_text;

namespace {

enum class GitRepository { yes, no };

// A project with PyPI dependencies a and b (1.0.0 and 1.1.0 released), no
// snapshot yet, and a runner whose commands are scripted per case.
struct Project {
  TempDir dir;
  FakeSources sources;
  int build_exit = 0;
  int test_exit = 0;
  int closure_exit = 0;
  std::string listing;  // what the [closure] command prints
  GitRepository git = GitRepository::no;
  int builds = 0;
  int pushes = 0;
  std::vector<std::string> commits;  // the commit messages
  exec::FakeRunner runner{[this](const exec::RunRequest& request) -> Result<exec::RunResult> {
    auto env = [&](std::string_view name) {
      for (const exec::EnvVar& var : request.env) {
        if (var.name == name) return var.value;
      }
      return std::string();
    };
    // The commit's script starts with `git rev-parse` too: asked first.
    if (request.command.find("git commit") != std::string::npos) {
      if (git == GitRepository::no) return exec::exited(90);
      commits.push_back(read_text(env("DRIFTLOCK_COMMIT_MESSAGE")));
      return exec::exited(0);
    }
    if (request.command.starts_with("git rev-parse")) return exec::exited(0, {"tree-1"});
    if (request.command.find("freeze") != std::string::npos) {
      write_text(env("DRIFTLOCK_CLOSURE_OUTPUT"), listing);
      return exec::exited(closure_exit);
    }
    if (request.command == "build") {
      ++builds;
      return exec::exited(build_exit, {"building"});
    }
    if (request.command == "test") return exec::exited(test_exit, {"FAIL: test_greet"});
    if (request.command == "push") ++pushes;
    return exec::exited(0);
  }};

  explicit Project(std::string_view closure) {
    write_text(dir.path() / "driftlock.toml",
               "image = \"demo\"\nsnapshot = \"demo.lock.json\"\n" + std::string(closure) +
                   "[commands]\nbuild = \"build\"\ntest = \"test\"\npush = \"push\"\n"
                   "[dependencies.pypi]\na = \"*\"\nb = \"*\"\n");
    sources.table = {{"a", {"1.0.0", "1.1.0"}}, {"b", {"1.0.0", "1.1.0"}}};
  }

  std::filesystem::path snapshot() const { return dir.path() / "demo.lock.json"; }
  std::filesystem::path state() const { return dir.path() / ".driftlock"; }

  Result<pipeline::FirstSnapshot> capture() {
    FixedClock clock(*parse_timestamp("2026-11-25T03:00:00Z"));
    auto session = resolve::open_and_resolve(
        dir.path() / "driftlock.toml", ecosystems::all(), clock, {},
        [this](net::HttpClient&) { return std::make_unique<FakeSources>(sources); });
    REQUIRE(session);
    return pipeline::capture_first_snapshot(*session, runner, clock, ecosystems::all());
  }
};

// "pypi a 1.1.0 direct" per pin of the written snapshot.
std::vector<std::string> pins_of(const std::filesystem::path& snapshot) {
  std::vector<std::string> out;
  const nlohmann::json lock = nlohmann::json::parse(read_text(snapshot), nullptr, false);
  if (!lock.is_object()) return out;
  for (const auto& d : lock["dependencies"]) {
    out.push_back(fmt::format("{} {} {} {}", d["ecosystem"].get<std::string>(),
                              d["name"].get<std::string>(), d["version"].get<std::string>(),
                              d.value("transitive", false) ? "transitive" : "direct"));
  }
  return out;
}

constexpr std::string_view kClosure = "[closure]\npypi = \"pip freeze\"\n";

}  // namespace

TEST_CASE("init --capture: one build writes the first snapshot with its closure, nothing pushed",
          "[first-snapshot]") {
  struct Case {
    std::string_view name;
    std::string_view closure;
    GitRepository git;
    std::vector<std::string> pins;
    std::map<std::string, std::size_t> transitive;
    std::string summary;
  };
  const Case cases[] = {
      {"closure, no git",
       kClosure,
       GitRepository::no,
       {"pypi a 1.1.0 direct", "pypi b 1.1.0 direct", "pypi extra 0.3 transitive",
        "pypi sub 2.0 transitive"},
       {{"pypi", 2}},
       "wrote the first snapshot of demo, demo.lock.json: 2 named dependencies and 2 transitive "
       "(pypi 2); not committed (not a git work tree); nothing pushed"},
      {"closure, git",
       kClosure,
       GitRepository::yes,
       {"pypi a 1.1.0 direct", "pypi b 1.1.0 direct", "pypi extra 0.3 transitive",
        "pypi sub 2.0 transitive"},
       {{"pypi", 2}},
       "wrote the first snapshot of demo, demo.lock.json: 2 named dependencies and 2 transitive "
       "(pypi 2); committed; nothing pushed"},
      {"no closure, git",
       "",
       GitRepository::yes,
       {"pypi a 1.1.0 direct", "pypi b 1.1.0 direct"},
       {},
       "wrote the first snapshot of demo, demo.lock.json: 2 named dependencies (no [closure]: "
       "nothing else is pinned); committed; nothing pushed"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Project project(c.closure);
    project.git = c.git;
    project.listing = "a==1.1.0\nB==1.1.0\nsub==2.0\nextra==0.3\n";
    auto first = project.capture();
    REQUIRE(first);
    CHECK(first->summary == c.summary);
    CHECK(first->named == 2);
    CHECK(first->transitive == c.transitive);
    CHECK(first->report.status == RunStatus::shipped);
    CHECK(pins_of(project.snapshot()) == c.pins);
    CHECK(project.builds == 1);
    CHECK(project.pushes == 0);
    if (c.git == GitRepository::yes) {
      // The commit run makes for a first snapshot: every pin it adds.
      REQUIRE(project.commits.size() == 1);
      CHECK(
          project.commits[0].starts_with("driftlock: update demo (2 changes)\n\n"
                                         "- pypi a (added 1.1.0)\n"));
    }
  }
}

TEST_CASE("init --capture: a build, test or listing that fails writes nothing",
          "[first-snapshot]") {
  struct Case {
    std::string_view name;
    int build_exit = 0;
    int test_exit = 0;
    int closure_exit = 0;
    std::string listing = "a==1.1.0\n";
    ErrorKind kind;
    std::string message;  // "{log}": the build's log; "{state}": the state folder
  };
  const Case cases[] = {
      {"tests fail", 0, 1, 0, "a==1.1.0\n", ErrorKind::infrastructure,
       "the first build failed: test exited with 1 (log: {log}); no snapshot written, nothing "
       "pushed"},
      {"build fails", 2, 0, 0, "a==1.1.0\n", ErrorKind::infrastructure,
       "the first build failed: build exited with 2 (log: {log}); no snapshot written, nothing "
       "pushed"},
      {"pins cannot be installed together", 125, 0, 0, "a==1.1.0\n", ErrorKind::infrastructure,
       "the first build failed: build exited with 125 (unresolved-exit: the set cannot be "
       "installed together) (log: {log}); no snapshot written, nothing pushed"},
      {"listing command fails", 0, 0, 4, "a==1.1.0\n", ErrorKind::infrastructure,
       "[closure] pypi command 'pip freeze' exited with 4 (log: {state}/logs/closure.log); "
       "nothing was captured"},
      {"listing malformed", 0, 0, 0, "a==1.1.0\nnot a pin\n", ErrorKind::input,
       "[closure] pypi command 'pip freeze' printed a malformed listing: line 2: expected "
       "'name==version', not 'not a pin'"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Project project(kClosure);
    project.git = GitRepository::yes;
    project.build_exit = c.build_exit;
    project.test_exit = c.test_exit;
    project.closure_exit = c.closure_exit;
    project.listing = c.listing;
    auto first = project.capture();
    REQUIRE(!first);
    CHECK(first.error().kind == c.kind);
    std::string expected = c.message;
    // The build's log, as the runner was asked to write it.
    std::string log;
    for (const exec::RunRequest& request : project.runner.requests()) {
      if (request.command == "build") log = request.log.string();
    }
    if (auto at = expected.find("{log}"); at != std::string::npos) expected.replace(at, 5, log);
    if (auto at = expected.find("{state}"); at != std::string::npos) {
      expected.replace(at, 7, project.state().string());
    }
    CHECK(first.error().message == expected);
    CHECK_FALSE(std::filesystem::exists(project.snapshot()));
    CHECK(project.commits.empty());
    CHECK(project.pushes == 0);
    CHECK(project.builds == 1);
  }
}

TEST_CASE("init --capture: what a first snapshot needs is checked before anything is resolved",
          "[first-snapshot]") {
  TempDir dir;
  const std::filesystem::path manifest = dir.path() / "driftlock.toml";
  struct Case {
    std::string_view name;
    std::string text;
    bool snapshot_exists = false;
    std::string message;
  };
  const std::string deps = "[dependencies.pypi]\na = \"*\"\n";
  const std::string commands = "[commands]\nbuild = \"build\"\ntest = \"test\"\n";
  const Case cases[] = {
      {"snapshot exists", "image = \"demo\"\n" + commands + deps, true,
       (dir.path() / "snapshots" / "demo.lock.json").string() +
           " already exists: --capture writes only a first snapshot ('driftlock run' builds from "
           "this one, and captures its closure once [closure] is new)"},
      {"no build", "image = \"demo\"\n[commands]\ntest = \"test\"\n" + deps, false,
       manifest.string() +
           ": [commands] needs build and test to capture a first snapshot (driftlock init writes "
           "them as comments: fill them in)"},
      {"no test", "image = \"demo\"\n[commands]\nbuild = \"build\"\n" + deps, false,
       manifest.string() +
           ": [commands] needs build and test to capture a first snapshot (driftlock init writes "
           "them as comments: fill them in)"},
      {"no dependencies", "image = \"demo\"\n" + commands, false,
       manifest.string() + ": no dependencies: there is nothing to capture"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    std::filesystem::remove_all(dir.path() / "snapshots");
    if (c.snapshot_exists) write_text(dir.path() / "snapshots" / "demo.lock.json", "{}");
    auto parsed = parse_manifest(c.text, manifest, ecosystems::all());
    REQUIRE(parsed);
    auto ready = pipeline::check_first_snapshot(*parsed);
    REQUIRE(!ready);
    CHECK(ready.error().kind == ErrorKind::input);
    CHECK(ready.error().message == c.message);
  }
}
