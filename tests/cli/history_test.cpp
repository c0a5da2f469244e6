#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "cli/main.hpp"
#include "exec/temp_dir.hpp"
#include "publish/history_render.hpp"
#include "store/history.hpp"
#include "store/runs.hpp"
#include "store/state_dir.hpp"

using namespace driftlock;
using namespace std::chrono_literals;
using driftlock::testing::TempDir;

namespace {

const Timestamp kT0{std::chrono::seconds(1'764'039'600)};  // 2025-11-25T03:00:00Z

constexpr std::string_view kManifest = R"(image = "example"
snapshot = "snapshots/example.lock.json"

[dependencies.npm]
chalk = "*"
)";

constexpr std::string_view kSnapshot = R"({
  "format": "driftlock-snapshot",
  "version": 1,
  "image": "example",
  "dependencies": [
    {"ecosystem": "npm", "name": "chalk", "version": "4.1.2"}
  ],
  "held": [
    {"ecosystem": "npm", "name": "chalk", "version": "5.3.0",
     "reason": "fails test: ESM-only", "since": "2025-11-25T03:10:00Z"}
  ]
}
)";

void write(const std::filesystem::path& path, std::string_view text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

struct Outcome {
  int code;
  std::string out, err;
};

Outcome run(std::vector<std::string> args) {
  std::ostringstream out, err;
  FixedClock clock(Timestamp{});
  int code = cli::run(args, out, err, clock);
  return {code, out.str(), err.str()};
}

struct Project {
  TempDir dir;
  std::string manifest = (dir / "driftlock.toml").string();
  Project() { write(dir / "driftlock.toml", kManifest); }

  void write_snapshot() { write(dir / "snapshots" / "example.lock.json", kSnapshot); }

  // Two finished runs, one still running, and the culprit the second named.
  void record_runs() {
    auto state = store::StateDir::open(dir / ".driftlock");
    REQUIRE(state);
    store::RunLog runs(state->database());
    auto first = runs.begin(store::RunKind::check, kT0);
    REQUIRE(first);
    REQUIRE(runs.finish(*first, store::RunStatus::ok, R"({"changes": 0})", kT0 + 90s));
    auto second = runs.begin(store::RunKind::run, kT0 + 1h);
    REQUIRE(second);
    REQUIRE(runs.finish(*second, store::RunStatus::worse,
                        R"({"changes": 5, "shipped": true, "culprits": ["npm chalk 5.3.0"], )"
                        R"("message": "3 updates shipped, 1 held back"})",
                        kT0 + 1h + 42min + 10s));
    REQUIRE(runs.begin(store::RunKind::bisect, kT0 + 2h));
    store::CulpritHistory culprits(state->database());
    REQUIRE(culprits.record(
        {*second, "npm", "chalk", "5.3.0", "fails test: ESM-only", kT0 + 1h + 10min}));
  }
};

}  // namespace

TEST_CASE("history before any run says so and creates nothing", "[cli][history]") {
  Project project;
  auto r = run({"history", "-m", project.manifest});
  CHECK(r.err == "");
  CHECK(r.code == 0);
  CHECK(r.out ==
        "no history yet: no run has recorded anything beside this manifest\n"
        "held back: none (no snapshot yet)\n");
  CHECK_FALSE(std::filesystem::exists(project.dir / ".driftlock"));

  auto json = run({"history", "-m", project.manifest, "--format", "json"});
  CHECK(json.code == 0);
  CHECK(json.out ==
        "{\n"
        "  \"format\": \"driftlock-history\",\n"
        "  \"version\": 1,\n"
        "  \"state\": false,\n"
        "  \"runs\": [],\n"
        "  \"culprits\": [],\n"
        "  \"snapshot\": false,\n"
        "  \"held\": []\n"
        "}\n");
}

TEST_CASE("history lists runs, culprits and held-back versions", "[cli][history]") {
  Project project;
  project.write_snapshot();
  project.record_runs();

  auto text = run({"history", "-m", project.manifest});
  CHECK(text.err == "");
  CHECK(text.code == 0);
  CHECK(text.out ==
        "runs (newest first):\n"
        "  #3 bisect running, started 2025-11-25T05:00:00Z\n"
        "  #2 run worse, 2025-11-25T04:00:00Z to 2025-11-25T04:42:10Z (42m10s)\n"
        "      3 updates shipped, 1 held back\n"
        "  #1 check ok, 2025-11-25T03:00:00Z to 2025-11-25T03:01:30Z (1m30s)\n"
        "      changes: 0\n"
        "culprits (newest first):\n"
        "  2025-11-25T04:10:00Z npm chalk 5.3.0: fails test: ESM-only (run #2)\n"
        "held back in the snapshot:\n"
        "  npm chalk 5.3.0 since 2025-11-25T03:10:00Z: fails test: ESM-only\n");

  auto limited = run({"history", "-m", project.manifest, "--limit", "1"});
  CHECK(limited.code == 0);
  CHECK(limited.out.find("#3 bisect") != std::string::npos);
  CHECK(limited.out.find("#2 run") == std::string::npos);

  auto json = run({"history", "-m", project.manifest, "--format", "json", "--limit", "2"});
  CHECK(json.err == "");
  CHECK(json.code == 0);
  CHECK(json.out == R"({
  "format": "driftlock-history",
  "version": 1,
  "state": true,
  "runs": [
    {
      "id": 3,
      "kind": "bisect",
      "status": "running",
      "started": "2025-11-25T05:00:00Z",
      "finished": null,
      "summary": {}
    },
    {
      "id": 2,
      "kind": "run",
      "status": "worse",
      "started": "2025-11-25T04:00:00Z",
      "finished": "2025-11-25T04:42:10Z",
      "summary": {
        "changes": 5,
        "shipped": true,
        "culprits": [
          "npm chalk 5.3.0"
        ],
        "message": "3 updates shipped, 1 held back"
      }
    }
  ],
  "culprits": [
    {
      "run": 2,
      "ecosystem": "npm",
      "name": "chalk",
      "version": "5.3.0",
      "reason": "fails test: ESM-only",
      "at": "2025-11-25T04:10:00Z"
    }
  ],
  "snapshot": true,
  "held": [
    {
      "ecosystem": "npm",
      "name": "chalk",
      "version": "5.3.0",
      "reason": "fails test: ESM-only",
      "since": "2025-11-25T03:10:00Z"
    }
  ]
}
)");

  auto markdown = run({"history", "-m", project.manifest, "--format", "markdown"});
  CHECK(markdown.code == 0);
  CHECK(markdown.out ==
        "**driftlock history**\n"
        "\n"
        "| Run | Kind | Status | Started | Finished | Summary |\n"
        "|---|---|---|---|---|---|\n"
        "| #3 | bisect | running | 2025-11-25T05:00:00Z | - |  |\n"
        "| #2 | run | worse | 2025-11-25T04:00:00Z | 2025-11-25T04:42:10Z | 3 updates shipped, 1 "
        "held back |\n"
        "| #1 | check | ok | 2025-11-25T03:00:00Z | 2025-11-25T03:01:30Z | changes: 0 |\n"
        "\n"
        "| Culprit | Version | When | Run | Reason |\n"
        "|---|---|---|---|---|\n"
        "| npm `chalk` | 5.3.0 | 2025-11-25T04:10:00Z | #2 | fails test: ESM-only |\n"
        "\n"
        "| Held back | Version | Since | Reason |\n"
        "|---|---|---|---|\n"
        "| npm `chalk` | 5.3.0 | 2025-11-25T03:10:00Z | fails test: ESM-only |\n");
}

TEST_CASE("history with an empty state and snapshot", "[cli][history]") {
  Project project;
  write(
      project.dir / "snapshots" / "example.lock.json",
      R"({"format": "driftlock-snapshot", "version": 1, "image": "example", "dependencies": []})");
  REQUIRE(store::StateDir::open(project.dir / ".driftlock"));
  auto r = run({"history", "-m", project.manifest});
  CHECK(r.err == "");
  CHECK(r.code == 0);
  CHECK(r.out == "runs: none\nculprits: none\nheld back: none\n");
}

TEST_CASE("history --state-dir reads another state folder", "[cli][history]") {
  Project project;
  project.record_runs();
  TempDir other;
  std::filesystem::rename(project.dir / ".driftlock", other / "state");
  auto r = run({"history", "-m", project.manifest, "--state-dir", (other / "state").string()});
  CHECK(r.err == "");
  CHECK(r.code == 0);
  CHECK(r.out.starts_with("runs (newest first):\n  #3 bisect running"));
}

TEST_CASE("history reads the state folder while a run holds it", "[cli][history]") {
  Project project;
  project.record_runs();
  auto state = store::StateDir::open(project.dir / ".driftlock");
  REQUIRE(state);  // a run in progress holds the lock
  auto r = run({"history", "-m", project.manifest});
  CHECK(r.err == "");
  CHECK(r.code == 0);
  CHECK(r.out.starts_with("runs (newest first):\n  #3 bisect running"));
}

TEST_CASE("history errors", "[cli][history]") {
  Project project;
  project.record_runs();
  const std::string m = project.manifest;
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string err;
  };
  const std::vector<Case> cases = {
      {{"history", "-m", m, "--limit", "0"},
       2,
       "driftlock: error: history: --limit must be a whole number of at least 1, not '0'\n"
       "run 'driftlock history --help' for usage\n"},
      {{"history", "-m", m, "--format", "jsn"},
       2,
       "driftlock: error: unknown format 'jsn' (expected text, json or markdown) (did you mean "
       "'json'?)\n"},
  };
  for (const Case& c : cases) {
    INFO(c.args.back());
    auto r = run(c.args);
    CHECK(r.code == c.code);
    CHECK(r.out == "");
    CHECK(r.err == c.err);
  }
}

TEST_CASE("a run's summary on one line", "[publish][history]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"message": "3 updates shipped, 1 held back", "changes": 5})",
       "3 updates shipped, 1 held back"},
      {R"({"changes": 5, "shipped": true, "snapshot": "snapshots/x.lock.json",)"
       R"( "culprits": ["npm chalk 5.3.0", "pypi tox 4.12.0"]})",
       "changes: 5; shipped: true; snapshot: snapshots/x.lock.json; culprits: npm chalk 5.3.0, "
       "pypi tox 4.12.0"},
      {R"({"error": null, "probes": {"builds": 4}, "ids": [1, 2]})",
       "error: null; probes: {\"builds\":4}; ids: 1, 2"},
      {R"({"message": "line one\nline two\u001b[31m"})", "line one line two\\x1b[31m"},
      {"{}", ""},
      {"[1, 2]", "[1,2]"},
      {"not json", "not json"},
      {R"({"message": 7})", "message: 7"},
  };
  for (const auto& [json, line] : cases) {
    INFO(json);
    CHECK(publish::summary_line(json) == line);
  }
}

TEST_CASE("history text colours the status on a terminal", "[publish][history]") {
  publish::History history;
  history.state = true;
  history.runs.push_back({7, "run", "ok", kT0, kT0 + 1s, "{}"});
  CHECK(publish::render_history_text(history, publish::Color::always) ==
        "runs (newest first):\n"
        "  #7 run \x1b[32mok\x1b[0m, 2025-11-25T03:00:00Z to 2025-11-25T03:00:01Z (1s)\n"
        "culprits: none\n"
        "held back: none (no snapshot yet)\n");
}
