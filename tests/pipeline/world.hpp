// The pipeline tests' world: npm packages a..f from a fake registry, a
// manifest and snapshot in a temporary folder, and a fake runner whose test
// command fails for broken pins (or on chosen runs: a flake).
#pragma once

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "ecosystems/registry.hpp"
#include "exec/fake_runner.hpp"
#include "exec/temp_dir.hpp"
#include "pipeline/pipeline.hpp"
#include "support/text_files.hpp"

namespace driftlock::testing {

// npm packages a..f with the releases given; every name resolves from here.
class FakeSource final : public Datasource {
 public:
  explicit FakeSource(std::map<std::string, std::vector<std::string>> table,
                      std::map<std::string, Requirements> requirements = {})
      : m_table(std::move(table)), m_requirements(std::move(requirements)) {}
  std::vector<Result<PackageReleases>> fetch(std::span<const std::string> names,
                                             PublishTimes) override {
    std::vector<Result<PackageReleases>> out;
    for (const std::string& name : names) {
      PackageReleases p{name, {}, true};
      int day = 1;
      for (const std::string& v : m_table.at(name)) {
        Release r;
        r.version = v;
        r.published = *parse_timestamp(fmt::format("2026-01-{:02}T00:00:00Z", day++));
        if (auto it = m_requirements.find(name + "@" + v); it != m_requirements.end()) {
          r.requirements = it->second;
        }
        p.releases.push_back(r);
      }
      out.push_back(std::move(p));
    }
    return out;
  }

 private:
  std::map<std::string, std::vector<std::string>> m_table;
  std::map<std::string, Requirements> m_requirements;
};

class FakeSources final : public resolve::SourceFactory {
 public:
  std::map<std::string, std::vector<std::string>> table;
  std::map<std::string, Requirements> requirements;  // "name@version" -> what the registry says
  Result<std::unique_ptr<Datasource>> make(std::string_view, const Manifest&,
                                           std::span<const DependencySpec>) override {
    return std::make_unique<FakeSource>(table, requirements);
  }
};

// The test command fails when the candidate pins any of `broken`; the push
// and git commands are recorded. Candidates are read from their lock.json.
struct World {
  TempDir dir;
  FakeSources sources;
  std::set<std::string> broken;     // "name@version"
  std::vector<std::string> pushed;  // lock.json of each pushed candidate
  std::vector<std::string> tested;  // lock.json of each candidate whose tests ran
  int builds = 0;
  int tests = 0;              // test commands run
  std::set<int> flaky_tests;  // these test runs (1-based) fail whatever the pins
  exec::FakeRunner runner{[this](const exec::RunRequest& request) -> Result<exec::RunResult> {
    // A fixed builder revision, so outcomes are memoised across runs; no repository to commit to.
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
    if (request.command == "build") {
      ++builds;
      return exec::exited(0);
    }
    tested.push_back(lock);
    if (flaky_tests.count(++tests)) return exec::exited(1, {"FAIL: flaky"});
    auto json = nlohmann::json::parse(lock);
    for (const auto& d : json["dependencies"]) {
      const std::string pin = d["name"].get<std::string>() + "@" + d["version"].get<std::string>();
      if (broken.count(pin)) return exec::exited(1, {"FAIL: " + pin});
    }
    return exec::exited(0);
  }};

  World() {
    write_text(dir.path() / "driftlock.toml",
               "image = \"demo\"\nsnapshot = \"demo.lock.json\"\n[commands]\nbuild = \"build\"\n"
               "test = \"test\"\npush = \"push\"\n[dependencies.npm]\na = \"*\"\nb = \"*\"\n"
               "c = \"*\"\nd = \"*\"\ne = \"*\"\nf = \"*\"\n");
    std::string deps;
    for (char n = 'a'; n <= 'f'; ++n) {
      if (!deps.empty()) deps += ",\n";
      deps += fmt::format(R"(    {{"ecosystem": "npm", "name": "{}", "version": "1.0.0"}})", n);
      sources.table[std::string(1, n)] = {"1.0.0", "1.1.0"};
    }
    write_text(
        dir.path() / "demo.lock.json",
        "{\n  \"format\": \"driftlock-snapshot\",\n  \"version\": 1,\n  \"image\": \"demo\",\n"
        "  \"dependencies\": [\n" +
            deps + "\n  ],\n  \"held\": []\n}\n");
  }

  Result<RunReport> run(pipeline::RunOptions options = {}) {
    FixedClock clock(*parse_timestamp("2026-11-25T03:00:00Z"));
    auto session = resolve::open_and_resolve(
        dir.path() / "driftlock.toml", ecosystems::all(), clock, {},
        [this](net::HttpClient&) { return std::make_unique<FakeSources>(sources); });
    REQUIRE(session);
    return pipeline::run_pipeline(*session, options, runner, clock, ecosystems::all());
  }

  // What check and bisect take: the manifest and the snapshot, loaded.
  Manifest manifest() const {
    auto manifest = load_manifest(dir.path() / "driftlock.toml", ecosystems::all());
    REQUIRE(manifest);
    return std::move(*manifest);
  }
  Snapshot lock() const {
    auto snapshot = load_snapshot(dir.path() / "demo.lock.json", ecosystems::all());
    REQUIRE(snapshot);
    return std::move(*snapshot);
  }

  nlohmann::json snapshot() const {
    return nlohmann::json::parse(read_text(dir.path() / "demo.lock.json"));
  }
  std::string version_of(const nlohmann::json& lock, const std::string& name) const {
    for (const auto& d : lock["dependencies"]) {
      if (d["name"] == name) return d["version"];
    }
    return "";
  }
};

}  // namespace driftlock::testing
