// What issue "real images" asked of the pipeline: OCI culprits held by
// digest, the snapshot folder created before anything is pushed, a private
// work folder per probe (parallel probes never read each other's JUnit
// reports), and a progress event per probe.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "ecosystems/registry.hpp"
#include "exec/fake_runner.hpp"
#include "exec/process_runner.hpp"
#include "exec/temp_dir.hpp"
#include "pipeline/pipeline.hpp"
#include "support/text_files.hpp"

using namespace driftlock;
using driftlock::testing::read_text;
using driftlock::testing::TempDir;
using driftlock::testing::write_text;

namespace {

std::string digest_of(char c) {
  return "sha256:" + std::string(64, c);
}

// Releases per name, whatever the ecosystem; the test edits them between runs.
class TableSource final : public Datasource {
 public:
  explicit TableSource(std::map<std::string, std::vector<Release>> table)
      : m_table(std::move(table)) {}
  std::vector<Result<PackageReleases>> fetch(std::span<const std::string> names,
                                             PublishTimes) override {
    std::vector<Result<PackageReleases>> out;
    for (const std::string& name : names) out.push_back(PackageReleases{name, m_table.at(name)});
    return out;
  }

 private:
  std::map<std::string, std::vector<Release>> m_table;
};

class TableSources final : public resolve::SourceFactory {
 public:
  std::map<std::string, std::vector<Release>> table;
  Result<std::unique_ptr<Datasource>> make(std::string_view, const Manifest&,
                                           std::span<const DependencySpec>) override {
    return std::make_unique<TableSource>(table);
  }
};

Release release(std::string version, int day, std::optional<std::string> digest = {}) {
  Release r;
  r.version = std::move(version);
  r.published = *parse_timestamp(fmt::format("2026-01-{:02}T00:00:00Z", day));
  r.digest = std::move(digest);
  return r;
}

constexpr std::string_view kBase = "127.0.0.1:5000/base";

// An image on a base tag plus one npm package. The test command fails when
// the candidate's base digest or npm pin is in `broken`.
struct ImageWorld {
  TempDir dir;
  TableSources sources;
  std::set<std::string> broken;  // digests and "name@version"
  std::vector<std::string> pushed;
  exec::FakeRunner runner{[this](const exec::RunRequest& request) -> Result<exec::RunResult> {
    if (request.command.find("git commit") != std::string::npos) return exec::exited(90);
    if (request.command.starts_with("git rev-parse")) return exec::exited(0, {"tree-1"});
    std::string lock;
    for (const exec::EnvVar& var : request.env) {
      if (var.name == "DRIFTLOCK_CANDIDATE_DIR") lock = read_text(var.value + "/lock.json");
    }
    if (request.command == "push") {
      pushed.push_back(lock);
      return exec::exited(0);
    }
    if (request.command != "test") return exec::exited(0);
    const nlohmann::json parsed = nlohmann::json::parse(lock);
    for (const auto& d : parsed["dependencies"]) {
      const std::string pin = d["name"].get<std::string>() + "@" + d["version"].get<std::string>();
      if (broken.count(pin) || (d.contains("digest") && broken.count(d["digest"]))) {
        return exec::exited(1, {"FAIL: " + pin});
      }
    }
    return exec::exited(0);
  }};

  explicit ImageWorld(std::string snapshot_path = "demo.lock.json") : m_snapshot(snapshot_path) {
    write_text(dir.path() / "driftlock.toml",
               fmt::format("image = \"demo\"\nsnapshot = \"{}\"\n[commands]\nbuild = \"build\"\n"
                           "test = \"test\"\npush = \"push\"\n[dependencies.npm]\na = \"*\"\n"
                           "[dependencies.oci]\n\"{}\" = \"stable\"\n",
                           snapshot_path, kBase));
    sources.table["a"] = {release("1.0.0", 1), release("1.1.0", 2)};
    sources.table[std::string(kBase)] = {release("stable", 3, digest_of('b'))};
  }

  void write_baseline() {
    write_text(
        dir.path() / m_snapshot,
        fmt::format("{{\n  \"format\": \"driftlock-snapshot\",\n  \"version\": 1,\n  \"image\": "
                    "\"demo\",\n  \"dependencies\": [\n"
                    "    {{\"ecosystem\": \"npm\", \"name\": \"a\", \"version\": \"1.0.0\"}},\n"
                    "    {{\"ecosystem\": \"oci\", \"name\": \"{}\", \"version\": \"stable\", "
                    "\"digest\": \"{}\"}}\n  ],\n  \"held\": []\n}}\n",
                    kBase, digest_of('a')));
  }

  Result<RunReport> run(pipeline::ProgressSink* progress = nullptr) {
    FixedClock clock(*parse_timestamp("2026-11-25T03:00:00Z"));
    auto session = resolve::open_and_resolve(
        dir.path() / "driftlock.toml", ecosystems::all(), clock, {},
        [this](net::HttpClient&) { return std::make_unique<TableSources>(sources); });
    if (!session) return std::unexpected(session.error());
    if (!session->resolution.complete()) {
      return std::unexpected(resolve::summarize_failures(session->resolution.failures));
    }
    pipeline::RunOptions options;
    options.progress = progress;
    return pipeline::run_pipeline(*session, options, runner, clock, ecosystems::all());
  }

  nlohmann::json snapshot() const {
    return nlohmann::json::parse(read_text(dir.path() / m_snapshot));
  }

  std::string m_snapshot;
};

std::string pinned_digest(const nlohmann::json& lock) {
  for (const auto& d : lock["dependencies"]) {
    if (d["ecosystem"] == "oci") return d["digest"];
  }
  return "";
}

}  // namespace

TEST_CASE("run: a base image digest that breaks is held by digest, not by tag") {
  ImageWorld world;
  world.write_baseline();
  world.broken = {digest_of('b')};

  auto first = world.run();
  REQUIRE(first);
  CHECK(first->status == RunStatus::shipped_partially);
  REQUIRE(first->culprits.size() == 1);
  CHECK(first->changes[first->culprits[0].changes[0]].ecosystem == "oci");
  REQUIRE(world.pushed.size() == 1);
  CHECK(pinned_digest(nlohmann::json::parse(world.pushed[0])) == digest_of('a'));
  auto snapshot = world.snapshot();
  CHECK(pinned_digest(snapshot) == digest_of('a'));
  REQUIRE(snapshot["held"].size() == 1);
  CHECK(snapshot["held"][0]["name"] == std::string(kBase));
  CHECK(snapshot["held"][0]["version"] == digest_of('b'));

  // The day after: the tag still points at the culprit. No drift, nothing built.
  const std::size_t requests = world.runner.requests().size();
  auto second = world.run();
  REQUIRE(second);
  CHECK(second->status == RunStatus::no_drift);
  CHECK(exit_code(second->status) == 0);
  CHECK(second->message ==
        fmt::format("no drift (held: oci {} stable@{}): every other dependency is at its newest "
                    "allowed release",
                    kBase, digest_of('b')));
  CHECK(world.runner.requests().size() == requests);

  // The tag moves on to a good digest: it is tried and ships.
  world.sources.table[std::string(kBase)] = {release("stable", 4, digest_of('c'))};
  auto third = world.run();
  REQUIRE(third);
  CHECK(third->status == RunStatus::shipped);
  CHECK(pinned_digest(world.snapshot()) == digest_of('c'));
  CHECK(world.pushed.size() == 2);
  // The tag no longer serves the held digest: its hold is dropped.
  CHECK(world.snapshot()["held"].empty());
}

TEST_CASE("resolve: a held digest with no other digest of the tag pinned is an error") {
  ImageWorld world;
  world.write_baseline();
  // The snapshot holds the registry's digest and pins another tag.
  std::string text = read_text(world.dir.path() / "demo.lock.json");
  text.replace(text.find("\"held\": []"), 10,
               fmt::format("\"held\": [\n    {{\"ecosystem\": \"oci\", \"name\": \"{}\", "
                           "\"version\": \"{}\"}}\n  ]",
                           kBase, digest_of('b')));
  text.replace(text.find("\"version\": \"stable\""), 19, "\"version\": \"old\"");
  write_text(world.dir.path() / "demo.lock.json", text);
  auto report = world.run();
  REQUIRE_FALSE(report);
  CHECK(report.error().kind == ErrorKind::input);
  CHECK(report.error().message ==
        fmt::format("1 dependency could not be resolved; nothing was written\n  {}:10:1: oci {}: "
                    "stable is at {}, which the snapshot holds back, and the snapshot pins no "
                    "other digest of it",
                    (world.dir.path() / "driftlock.toml").string(), kBase, digest_of('b')));
}

TEST_CASE("run: the first green run creates the snapshot folder, then pushes") {
  ImageWorld world("snapshots/demo.lock.json");
  auto report = world.run();
  REQUIRE(report);
  CHECK(report->status == RunStatus::shipped);
  CHECK(world.pushed.size() == 1);
  CHECK(pinned_digest(world.snapshot()) == digest_of('b'));
}

TEST_CASE("run: a snapshot that cannot be written stops the run before the push") {
  ImageWorld world("blocker/demo.lock.json");
  write_text(world.dir.path() / "blocker", "a file where the folder should be\n");
  auto report = world.run();
  REQUIRE_FALSE(report);
  CHECK(report.error().kind == ErrorKind::infrastructure);
  CHECK(report.error().message.starts_with(
      fmt::format("cannot write '{}': cannot create its folder: ",
                  (world.dir.path() / "blocker/demo.lock.json").string())));
  CHECK(report.error().message.ends_with("; nothing was pushed"));
  CHECK(world.pushed.empty());
}

namespace {

class RecordingSink final : public pipeline::ProgressSink {
 public:
  void probe_started(const pipeline::ProbeStart& start) override {
    std::lock_guard lock(m_mutex);
    starts.push_back(start);
  }
  void probe_finished(const pipeline::ProbeEnd& end) override {
    std::lock_guard lock(m_mutex);
    ends.push_back(end);
  }
  void note(std::string_view line) override {
    std::lock_guard lock(m_mutex);
    notes.emplace_back(line);
  }
  std::vector<pipeline::ProbeStart> starts;
  std::vector<pipeline::ProbeEnd> ends;
  std::vector<std::string> notes;

 private:
  std::mutex m_mutex;
};

}  // namespace

TEST_CASE("run: a progress event when each probe starts and ends") {
  ImageWorld world;
  world.write_baseline();
  world.broken = {"a@1.1.0"};
  RecordingSink sink;
  auto report = world.run(&sink);
  REQUIRE(report);
  CHECK(report->status == RunStatus::shipped_partially);
  REQUIRE(sink.starts.size() == static_cast<std::size_t>(report->builds));
  REQUIRE(sink.ends.size() == sink.starts.size());
  CHECK(sink.starts[0].purpose == "baseline");
  CHECK(sink.starts[0].changes == 0);
  CHECK(sink.starts[1].purpose == "full candidate");
  CHECK(sink.starts[1].changes == 2);
  CHECK(sink.starts[1].total_changes == 2);
  CHECK(sink.starts[1].labels.size() == 2);
  bool searched = false;
  for (std::size_t i = 0; i < sink.starts.size(); ++i) {
    CHECK(sink.starts[i].number == static_cast<int>(i) + 1);
    CHECK(sink.starts[i].expected_total >= sink.starts[i].number);
    searched = searched || sink.starts[i].round > 0;
  }
  CHECK(searched);
  // A failing probe keeps its work folder for a look; a passing one does not.
  for (const pipeline::ProbeEnd& end : sink.ends) {
    CHECK(end.work_dir.empty() == (end.outcome == Outcome::pass));
    if (!end.work_dir.empty()) CHECK(std::filesystem::is_directory(end.work_dir));
  }
}

namespace {

// A real shell test command that writes a JUnit report per package into
// `report_dir` (relative to the manifest's folder, or $DRIFTLOCK_WORK_DIR)
// under the same name in every probe, slowly, so parallel probes overlap.
// Package b at 1.1.0 fails its test case.
constexpr std::string_view kJunitTest = R"(set -e
out="$1"
mkdir -p "$out"
sleep 0.3
{
  echo '<testsuite name="image">'
  for name in a b c d; do
    if grep -Eq "\"$name\": *\"1\.1\.0\"" "$DRIFTLOCK_CANDIDATE_DIR/npm-pins.json" && [ "$name" = b ]; then
      echo "<testcase classname=\"pkg\" name=\"$name\"><failure>broken</failure></testcase>"
    else
      echo "<testcase classname=\"pkg\" name=\"$name\"/>"
    fi
  done
  echo '</testsuite>'
} >"$out/junit.xml"
exit 0
)";

struct JunitWorld {
  TempDir dir;
  std::unique_ptr<store::StateDir> state;
  Manifest manifest;
  std::vector<Dependency> baseline;
  std::vector<Change> changes;

  JunitWorld(std::string_view report_dir, std::string_view junit) {
    write_text(dir.path() / "t.sh", std::string(kJunitTest));
    write_text(dir.path() / "driftlock.toml",
               fmt::format("image = \"demo\"\nsnapshot = \"demo.lock.json\"\n[commands]\n"
                           "test = 'sh ./t.sh \"{}\"'\njobs = 2\njunit = \"{}\"\n"
                           "[dependencies.npm]\na = \"*\"\nb = \"*\"\nc = \"*\"\nd = \"*\"\n",
                           report_dir, junit));
    auto loaded = load_manifest(dir.path() / "driftlock.toml", ecosystems::all());
    REQUIRE(loaded);
    manifest = std::move(*loaded);
    Snapshot before, after;
    for (const char* name : {"a", "b", "c", "d"}) {
      before.dependencies.push_back({"npm", name, "1.0.0", {}, {}});
      after.dependencies.push_back({"npm", name, "1.1.0", {}, {}});
    }
    baseline = before.dependencies;
    auto diff = diff_snapshots(before, after, ecosystems::all());
    REQUIRE(diff);
    changes = diff->changes;
    auto opened = store::StateDir::open(dir.path() / ".driftlock");
    REQUIRE(opened);
    state = std::make_unique<store::StateDir>(std::move(*opened));
  }

  // The baseline alone, then the changes for a and b side by side (jobs = 2).
  std::vector<pipeline::ProbeResult> probe_pair() {
    exec::ProcessRunner runner;
    store::ProbeStore probes(state->database());
    pipeline::ProberSettings settings;
    settings.manifest = &manifest;
    settings.ecosystems = ecosystems::all();
    settings.baseline = baseline;
    settings.changes = changes;
    settings.builder_revision = "rev";
    settings.state_folder = state->path();
    pipeline::Prober prober(settings, runner, &probes);
    auto base = prober.evaluate_one({}, 0, "baseline");
    REQUIRE(base);
    REQUIRE(base->verdict.outcome == Outcome::pass);
    prober.set_baseline_tests(base->verdict.tests);
    const std::vector<bisect::ProbeRequest> batch = {{{0}, 0}, {{1}, 0}};
    const std::vector<std::string> purposes = {"a alone", "b alone"};
    auto results = prober.evaluate(batch, purposes);
    REQUIRE(results);
    return std::move(*results);
  }
};

}  // namespace

TEST_CASE("probes in parallel read only their own JUnit reports (relative to the work folder)") {
  JunitWorld world("$DRIFTLOCK_WORK_DIR/out", "out/*.xml");
  auto results = world.probe_pair();
  REQUIRE(results.size() == 2);
  CHECK(results[0].verdict.outcome == Outcome::pass);
  CHECK(results[1].verdict.outcome == Outcome::fail);
  CHECK(results[1].verdict.newly_failing == std::vector<std::string>{"pkg.b"});
  REQUIRE(results[0].verdict.tests);
  CHECK(results[0].verdict.tests->at("pkg.b") == candidate::TestStatus::passed);
  // Each probe had its own folder, and the passing one is gone.
  std::string work_a, work_b;
  for (const exec::EnvVar& var : results[0].env) {
    if (var.name == "DRIFTLOCK_WORK_DIR") work_a = var.value;
  }
  for (const exec::EnvVar& var : results[1].env) {
    if (var.name == "DRIFTLOCK_WORK_DIR") work_b = var.value;
  }
  REQUIRE_FALSE(work_a.empty());
  CHECK(work_a != work_b);
  CHECK_FALSE(std::filesystem::exists(work_a));
  CHECK(std::filesystem::exists(std::filesystem::path(work_b) / "out/junit.xml"));
}

TEST_CASE("probes in parallel do not read same-named reports in the shared manifest folder") {
  JunitWorld world("out", "out/*.xml");
  auto results = world.probe_pair();
  REQUIRE(results.size() == 2);
  for (const pipeline::ProbeResult& result : results) {
    CHECK_FALSE(result.verdict.tests);
    CHECK(result.verdict.notes ==
          std::vector<std::string>{
              "JUnit reports matching 'out/*.xml' outside this probe's work folder are not read "
              "while probes run in parallel (jobs > 1): write them under $DRIFTLOCK_WORK_DIR",
              "no JUnit report matching 'out/*.xml' was written; judged by the exit status"});
    // The exit status (0) decides: no report is mistaken for another probe's.
    CHECK(result.verdict.outcome == Outcome::pass);
  }
}
