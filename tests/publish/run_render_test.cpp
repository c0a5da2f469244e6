// What run, check and bisect print: each blame with its evidence, suspected
// blames apart, and --explain's plan and re-checks, in text, JSON and Markdown.
#include "publish/run_render.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/text_files.hpp"

using namespace driftlock;

namespace {

Change upgrade(const std::string& name) {
  return Change{ChangeKind::upgraded,
                "npm",
                name,
                Dependency{"npm", name, "1.0.0", {}, {}},
                Dependency{"npm", name, "1.1.0", {}, {}},
                false};
}

RunReport report_with_evidence() {
  RunReport report;
  report.command = "run";
  report.image = "demo";
  report.status = RunStatus::shipped_partially;
  report.message = "1 update shipped, 2 changes held back";
  report.snapshot_file = "snapshots/demo.lock.json";
  report.changes = {upgrade("a"), upgrade("b"), upgrade("c")};
  CulpritReport culprit;
  culprit.changes = {1};
  culprit.reason = "test exited with 1";
  culprit.failing_builds = 3;
  culprit.isolated = true;
  culprit.flake_chance = 0.008;
  report.culprits.push_back(culprit);
  CulpritReport suspect;
  suspect.changes = {2};
  suspect.reason = "test exited with 1";
  suspect.failing_builds = 1;
  suspect.isolated = false;
  suspect.flake_chance = 0.2;
  report.suspected.push_back(suspect);
  report.shipped = {0};
  report.builds = 9;
  report.probes = 7;
  report.rounds = 7;
  report.bound = 2;
  report.search_mode = SearchModeReport{"auto", "careful", 0.2, 3, "flaky-tests = auto, careful"};
  report.rechecks = {"baseline built again (re-run 1)", "baseline passed on re-run 1"};
  return report;
}

bool contains(const std::string& text, const std::string& part) {
  INFO(text);
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("run report: text shows each blame's evidence and the suspected apart") {
  const RunReport report = report_with_evidence();
  const std::string text =
      publish::render_run(report, publish::OutputFormat::text, publish::Color::never);
  CHECK(contains(text, "  #2   npm b 1.0.0 -> 1.1.0"));
  CHECK(contains(text, "culprit:"));
  CHECK(contains(text, "  evidence: 3 failing builds, built alone; chance all were flakes 0.8%\n"));
  CHECK(contains(text, "suspected: npm c 1.0.0 -> 1.1.0\n"));
  CHECK(contains(text,
                 "  evidence: 1 failing build, not built alone (failed on top of other changes: "
                 "it may break only together with one of them); chance all were flakes 20.0%\n"));
  CHECK(contains(text,
                 "  not held back (too likely a flake to blame): left out of this run, "
                 "tried again next time\n"));
  CHECK(contains(text, "  #3   npm c 1.0.0 -> 1.1.0"));
  CHECK(contains(text, " suspected\n"));
  CHECK(contains(text,
                 "builds: 9 (search: 7 probes in 7 rounds; lower bound 2; careful: 3 "
                 "failing builds per blame)\n"));
  CHECK_FALSE(contains(text, "re-checks:"));

  const std::string explained = publish::render_run(report, publish::OutputFormat::text,
                                                    publish::Color::never, publish::Explain::yes);
  CHECK(contains(explained, "\nflaky tests: flaky-tests = auto, careful\n"));
  CHECK(contains(explained,
                 "\nre-checks:\n  - baseline built again (re-run 1)\n  - baseline "
                 "passed on re-run 1\n"));
}

TEST_CASE("run report: JSON carries the evidence, the suspected and the plan") {
  const auto json = nlohmann::json::parse(publish::render_run(
      report_with_evidence(), publish::OutputFormat::json, publish::Color::never));
  REQUIRE(json["culprits"].size() == 1);
  CHECK(json["culprits"][0]["failing_builds"] == 3);
  CHECK(json["culprits"][0]["isolated"] == true);
  CHECK(json["culprits"][0]["flake_chance"] == Approx(0.008));
  REQUIRE(json["suspected"].size() == 1);
  CHECK(json["suspected"][0]["changes"][0]["name"] == "c");
  CHECK(json["suspected"][0]["isolated"] == false);
  CHECK(json["changes"][2]["result"] == "suspected");
  CHECK(json["changes"][1]["result"] == "culprit");
  CHECK(json["flaky_tests"]["setting"] == "auto");
  CHECK(json["flaky_tests"]["mode"] == "careful");
  CHECK(json["flaky_tests"]["confirmations"] == 3);
  CHECK(json["flaky_tests"]["flake_rate"] == Approx(0.2));
  CHECK(json["rechecks"].size() == 2);

  RunReport nothing;
  nothing.command = "run";
  const auto empty = nlohmann::json::parse(
      publish::render_run(nothing, publish::OutputFormat::json, publish::Color::never));
  CHECK(empty["flaky_tests"].is_null());
  CHECK(empty["suspected"].empty());
}

TEST_CASE("run report: the Markdown comment gives the evidence under each blame") {
  const std::string md = publish::render_run(
      report_with_evidence(), publish::OutputFormat::markdown, publish::Color::never);
  CHECK(contains(md, "**`npm b 1.0.0 -> 1.1.0` breaks the image; 1 other update shipped.**\n"));
  CHECK(contains(md,
                 "**Breaking:** `npm b 1.0.0 -> 1.1.0` — test exited with 1\n\n<sub>Evidence: "
                 "3 failing builds, built alone; chance all were flakes 0.8%.</sub>\n"));
  CHECK(contains(md,
                 "**Suspected, not held back:** `npm c 1.0.0 -> 1.1.0` — test exited with 1 "
                 "(1 failing build, not built alone"));
  CHECK(contains(md, "| 3 | npm c 1.0.0 -> 1.1.0 | suspected (not shipped, not held) |\n"));
  CHECK(contains(md, "driftlock pin npm:b=1.1.0   # hold the culprit in driftlock.toml\n"));
}

// Golden files: every format of one full report, byte for byte. Set
// DRIFTLOCK_UPDATE_GOLDEN=1 to rewrite them after a deliberate change.
TEST_CASE("run report: golden outputs") {
  struct Case {
    const char* file;
    publish::OutputFormat format;
    publish::Explain explain;
  };
  const Case cases[] = {
      {"run_report.txt", publish::OutputFormat::text, publish::Explain::no},
      {"run_report_explain.txt", publish::OutputFormat::text, publish::Explain::yes},
      {"run_report.md", publish::OutputFormat::markdown, publish::Explain::no},
      {"run_report_explain.md", publish::OutputFormat::markdown, publish::Explain::yes},
      {"run_report.json", publish::OutputFormat::json, publish::Explain::no},
  };
  RunReport report = report_with_evidence();
  report.culprits[0].failing_tests = {"tests.b.test_add"};
  report.culprits[0].log = ".driftlock/logs/run-1/004-0123456789ab-0.log";
  report.culprits[0].tail = {"FAIL tests.b.test_add", "1 failed, 9 passed"};
  report.probe_log = {{1, {0}, 0, 1, Outcome::pass, "narrow: release-time cut"},
                      {2, {0, 1}, 0, 2, Outcome::fail, "narrow: release-time cut"},
                      {3, {1}, 1, 3, Outcome::fail, "confirm: re-run the culprit alone"}};
  report.explanations = {"cleared: passed in probe #1", "blamed (culprit 1)", "suspected"};
  for (const Case& c : cases) {
    const std::filesystem::path path =
        std::filesystem::path(DRIFTLOCK_TEST_DATA) / "golden" / c.file;
    const std::string out = publish::render_run(report, c.format, publish::Color::never, c.explain);
    if (std::getenv("DRIFTLOCK_UPDATE_GOLDEN")) driftlock::testing::write_text(path, out);
    INFO(c.file);
    CHECK(out == driftlock::testing::read_text(path));
  }
}
