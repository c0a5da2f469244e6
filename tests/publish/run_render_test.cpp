// What run, check and bisect print: each blame with its evidence, suspected
// blames apart, and --explain's plan and re-checks, in text, JSON and Markdown.
#include "publish/run_render.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/golden.hpp"

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

namespace {

// The report the golden files started with: one culprit with its evidence and
// log, a suspected blame, the careful plan, re-checks and the probes.
RunReport golden_evidence() {
  RunReport report = report_with_evidence();
  report.culprits[0].failing_tests = {"tests.b.test_add"};
  report.culprits[0].log = ".driftlock/logs/run-1/004-0123456789ab-0.log";
  report.culprits[0].tail = {"FAIL tests.b.test_add", "1 failed, 9 passed"};
  report.probe_log = {{1, {0}, 0, 1, Outcome::pass, "narrow: release-time cut"},
                      {2, {0, 1}, 0, 2, Outcome::fail, "narrow: release-time cut"},
                      {3, {1}, 1, 3, Outcome::fail, "confirm: re-run the culprit alone"}};
  report.explanations = {"cleared: passed in probe #1", "blamed (culprit 1)", "suspected"};
  return report;
}

Change change(ChangeKind kind, const std::string& ecosystem, const std::string& name,
              std::optional<std::string> from, std::optional<std::string> to, bool major = false,
              std::optional<std::string> from_digest = std::nullopt,
              std::optional<std::string> to_digest = std::nullopt) {
  std::optional<Dependency> before, after;
  if (from) before = Dependency{ecosystem, name, *from, from_digest, std::nullopt};
  if (to) after = Dependency{ecosystem, name, *to, to_digest, std::nullopt};
  return Change{kind, ecosystem, name, before, after, major};
}

// A night over every ecosystem: two changes that break only together (one a
// name with Markdown and HTML specials) and need a third installed with them,
// a moved OCI tag blamed by its digest, one change that could not be isolated,
// one that failed once and shipped, a removal; newly failing tests and a log
// tail with unicode, a code fence and an escape sequence; trusted tests.
RunReport golden_multi() {
  const std::string digest_a = "sha256:" + std::string(64, 'a');
  const std::string digest_b = "sha256:" + std::string(64, 'b');
  RunReport report;
  report.command = "run";
  report.image = "ci-image";
  report.status = RunStatus::shipped_partially;
  report.message = "3 updates shipped, 5 changes held back";
  report.snapshot_file = "snapshots/ci-image.lock.json";
  report.changes = {
      change(ChangeKind::upgraded, "debian", "libssl3", "3.0.11-1~deb12u2", "3.0.13-1~deb12u1"),
      change(ChangeKind::removed, "debian", "tzdata", "2024a-0+deb12u1", std::nullopt),
      change(ChangeKind::upgraded, "npm", "@types/node", "20.11.5", "22.0.0", true),
      change(ChangeKind::added, "npm", "left-pad", std::nullopt, "1.3.0"),
      change(ChangeKind::downgraded, "npm", "chalk", "4.1.2", "4.1.1"),
      change(ChangeKind::redigested, "oci", "registry.example:5000/team/python", "3.12-slim",
             "3.12-slim", false, digest_a, digest_b),
      change(ChangeKind::upgraded, "pypi", "na\u00efve|<b>pkg</b>*_x_", "1.0", "2.0", true),
      change(ChangeKind::upgraded, "pypi", "typing_extensions", "4.9.0", "4.12.2"),
  };
  CulpritReport together;
  together.changes = {2, 6};
  together.needs = {3};
  together.reason = "test: 2 tests newly failing: tests/test_x.py::test_<b>, ...";
  together.failing_tests = {"tests/test_x.py::test_<b>", "tests/test_y.py::test_|pipe|"};
  together.log = ".driftlock/logs/run-3/006-8d8862d54086-0.log";
  together.tail = {"collected 12 items", "```",
                   "E   AssertionError: \u201cna\u00efve\u201d != 'naive' \U0001F4A5",
                   "\x1b[31mFAILED\x1b[0m tests/test_x.py::test_<b>",
                   "2 failed, 10 passed in 0.42s"};
  together.failing_builds = 2;
  together.isolated = false;
  report.culprits.push_back(together);
  CulpritReport moved;
  moved.changes = {5};
  moved.reason = "build exited with 1";
  moved.log = ".driftlock/logs/run-3/007-3f1c0a9e2b77-0.log";
  moved.tail = {"Error: python3: not found"};
  moved.failing_builds = 1;
  moved.isolated = true;
  report.culprits.push_back(moved);
  report.unresolved = {1};
  report.flaky = {4};
  report.shipped = {0, 4, 7};
  report.pushed = true;
  report.push_note = "pushed";
  report.commit_note = "committed";
  report.snapshot_written = "snapshots/ci-image.lock.json";
  report.builds = 8;
  report.probes = 6;
  report.rounds = 4;
  report.bound = 5;
  report.search_mode =
      SearchModeReport{"auto", "trust", 0.0, 1,
                       "flaky-tests = auto, trusting: no flake in 12 builds of passing candidates"};
  report.rechecks = {"the candidate without the culprits failed: searched again (round 3)"};
  report.probe_log = {{1, {}, 0, 1, Outcome::pass, "baseline"},
                      {2, {0, 1, 2, 3, 4, 5, 6, 7}, 0, 1, Outcome::fail, "all changes"},
                      {3, {0, 1, 2, 3}, 0, 2, Outcome::unresolved, "narrow: | release-time cut"},
                      {4, {4, 5, 6, 7}, 0, 2, Outcome::fail, "narrow: release-time cut"},
                      {5, {4}, 0, 3, Outcome::fail, "confirm"},
                      {6, {4}, 1, 4, Outcome::pass, "confirm: re-run"}};
  report.explanations = {"cleared: passed in probe #4",
                         "unresolved: cannot be installed without #3",
                         "blamed together with #7 (culprit 1)",
                         "",
                         "failed once in probe #5, passed its re-run",
                         "blamed (culprit 2): the tag moved to a digest that fails",
                         "blamed together with #3 (culprit 1)",
                         "shipped"};
  return report;
}

// `check` on a builder change: the snapshot itself fails, no change to blame.
RunReport golden_check_failed() {
  RunReport report;
  report.command = "check";
  report.image = "ci-image";
  report.status = RunStatus::failed;
  report.message = "the snapshot fails its build";
  CulpritReport failure;
  failure.reason = "build exited with 2";
  failure.log = ".driftlock/logs/check-4/001-000000000000-0.log";
  failure.tail = {"STEP 3/7: RUN apt-get install -y $(cat apt-pins.txt)",
                  "E: Unable to locate package libssl3=3.0.13-1~deb12u1"};
  report.culprits.push_back(failure);
  report.builds = 1;
  return report;
}

// `bisect` between two locks: one change breaks the build, the other is cleared.
RunReport golden_bisect() {
  RunReport report;
  report.command = "bisect";
  report.image = "ci-image";
  report.status = RunStatus::not_shipped;
  report.message = "1 of 2 changes breaks the build";
  report.snapshot_file = "snapshots/ci-image.lock.json";
  report.changes = {change(ChangeKind::upgraded, "npm", "chalk", "4.1.2", "5.3.0", true),
                    change(ChangeKind::upgraded, "pypi", "tox", "4.11.3", "4.15.1")};
  CulpritReport culprit;
  culprit.changes = {0};
  culprit.reason = "test exited with 1";
  culprit.failing_builds = 1;
  report.culprits.push_back(culprit);
  report.builds = 3;
  report.probes = 1;
  report.rounds = 1;
  report.bound = 1;
  report.search_mode = SearchModeReport{"trust", "trust", 0.0, 1, "flaky-tests = trust"};
  return report;
}

// Nothing new: the held culprit is still all the registry has.
RunReport golden_no_drift() {
  RunReport report;
  report.command = "run";
  report.image = "ci-image";
  report.status = RunStatus::no_drift;
  report.message = "no drift (held: npm @types/node 22.0.0)";
  return report;
}

// --dry-run: what would be built.
RunReport golden_planned() {
  RunReport report;
  report.command = "run";
  report.image = "ci-image";
  report.status = RunStatus::planned;
  report.message = "2 changes would be built (--dry-run)";
  report.changes = {change(ChangeKind::added, "npm", "left-pad", std::nullopt, "1.3.0"),
                    change(ChangeKind::upgraded, "pypi", "tox", "4.11.3", "4.15.1")};
  return report;
}

// Every change shipped, nothing pushed (--no-push), not a git repository.
RunReport golden_shipped() {
  RunReport report;
  report.command = "run";
  report.image = "ci-image";
  report.status = RunStatus::shipped;
  report.message = "2 updates shipped";
  report.changes = {
      change(ChangeKind::upgraded, "debian", "libssl3", "3.0.11-1~deb12u2", "3.0.13-1~deb12u1"),
      change(ChangeKind::upgraded, "pypi", "tox", "4.11.3", "4.15.1")};
  report.shipped = {0, 1};
  report.push_note = "--no-push";
  report.commit_note = "not a git repository";
  report.snapshot_written = "snapshots/ci-image.lock.json";
  report.builds = 2;
  return report;
}

// A change to a package of the captured closure, and the named packages it
// came through (empty: the capture did not say).
Change transitive(Change c, std::vector<std::string> via) {
  if (c.before) c.before->transitive = true;
  if (c.after) c.after->transitive = true;
  c.via = std::move(via);
  return c;
}

// Issue 12's scenario: the named dl-greet ships its own update while its
// sub-dependency dl-sub breaks the image; other closure packages came
// through two named packages, through none known, or were added or removed.
RunReport golden_transitive() {
  RunReport report;
  report.command = "run";
  report.image = "ci-image";
  report.status = RunStatus::shipped_partially;
  report.message = "5 updates shipped, 1 change held back";
  report.snapshot_file = "snapshots/ci-image.lock.json";
  report.changes = {
      transitive(change(ChangeKind::upgraded, "npm", "hx-lib", "1.0.0", "1.1.0"),
                 {"hx-alpha", "hx-beta"}),
      transitive(change(ChangeKind::added, "npm", "hx-new", std::nullopt, "0.1.0"), {"hx-alpha"}),
      change(ChangeKind::upgraded, "pypi", "dl-greet", "1.0.0", "1.1.0"),
      transitive(change(ChangeKind::upgraded, "pypi", "dl-sub", "1.0.0", "2.0.0", true),
                 {"dl-greet"}),
      transitive(change(ChangeKind::removed, "pypi", "dl-old", "0.9", std::nullopt), {}),
      transitive(change(ChangeKind::upgraded, "pypi", "na|<b>", "0.3", "0.4"), {"a|b", "`c`"}),
  };
  CulpritReport culprit;
  culprit.changes = {3};
  culprit.reason = "test exited with 1";
  culprit.log = ".driftlock/logs/run-2/004-5e1f00c0ffee-0.log";
  culprit.tail = {"FAIL dl-sub 2.0.0: greet() takes no arguments"};
  culprit.failing_builds = 1;
  culprit.isolated = true;
  report.culprits.push_back(culprit);
  report.shipped = {0, 1, 2, 4, 5};
  report.pushed = true;
  report.push_note = "pushed";
  report.commit_note = "committed";
  report.snapshot_written = "snapshots/ci-image.lock.json";
  report.builds = 5;
  report.probes = 3;
  report.rounds = 3;
  report.bound = 3;
  report.search_mode = SearchModeReport{"trust", "trust", 0.0, 1, "flaky-tests = trust"};
  return report;
}

}  // namespace

TEST_CASE("run report: a transitive culprit says through which named packages it came",
          "[publish]") {
  const RunReport report = golden_transitive();
  using publish::OutputFormat;
  const std::string text = publish::render_run(report, OutputFormat::text, publish::Color::never);
  CHECK(contains(text, "culprit: pypi dl-sub 1.0.0 -> 2.0.0 (transitive, via dl-greet)\n"));
  CHECK(contains(text, "\ntransitive changes (not named in the manifest):\n"));
  const std::string markdown =
      publish::render_run(report, OutputFormat::markdown, publish::Color::never);
  CHECK(contains(markdown,
                 "**`pypi dl-sub 1.0.0 -> 2.0.0 (transitive, via dl-greet)` breaks the image; "
                 "5 other updates shipped.**"));
  CHECK(contains(markdown,
                 "| 4 | pypi dl-sub 1.0.0 -> 2.0.0 | `dl-greet` | **held back** "
                 "(breaks the image) |"));
  const auto json =
      nlohmann::json::parse(publish::render_run(report, OutputFormat::json, publish::Color::never));
  CHECK(json["changes"][3]["transitive"] == true);
  CHECK(json["changes"][3]["via"] == nlohmann::json::array({"dl-greet"}));
  CHECK(json["culprits"][0]["changes"][0]["via"] == nlohmann::json::array({"dl-greet"}));
  CHECK(json["changes"][4]["via"] == nlohmann::json::array());
  CHECK_FALSE(json["changes"][2].contains("transitive"));  // direct: keys as before
  CHECK_FALSE(json["changes"][2].contains("via"));
}

// Golden files: every format of each report, byte for byte. Set
// DRIFTLOCK_UPDATE_GOLDEN=1 to rewrite them after a deliberate change.
TEST_CASE("run report: golden outputs", "[publish][golden]") {
  using publish::Color;
  using publish::Explain;
  using publish::OutputFormat;
  struct Case {
    const char* file;
    RunReport report;
    OutputFormat format;
    Explain explain;
    Color color = Color::never;
  };
  const Case cases[] = {
      {"run_report.txt", golden_evidence(), OutputFormat::text, Explain::no},
      {"run_report_explain.txt", golden_evidence(), OutputFormat::text, Explain::yes},
      {"run_report.md", golden_evidence(), OutputFormat::markdown, Explain::no},
      {"run_report_explain.md", golden_evidence(), OutputFormat::markdown, Explain::yes},
      {"run_report.json", golden_evidence(), OutputFormat::json, Explain::no},
      {"run_multi.txt", golden_multi(), OutputFormat::text, Explain::no},
      {"run_multi_color.txt", golden_multi(), OutputFormat::text, Explain::no, Color::always},
      {"run_multi_explain.txt", golden_multi(), OutputFormat::text, Explain::yes},
      {"run_multi.md", golden_multi(), OutputFormat::markdown, Explain::no},
      {"run_multi_explain.md", golden_multi(), OutputFormat::markdown, Explain::yes},
      {"run_multi.json", golden_multi(), OutputFormat::json, Explain::no},
      {"run_check_failed.txt", golden_check_failed(), OutputFormat::text, Explain::no},
      {"run_check_failed.md", golden_check_failed(), OutputFormat::markdown, Explain::no},
      {"run_check_failed.json", golden_check_failed(), OutputFormat::json, Explain::no},
      {"run_bisect.txt", golden_bisect(), OutputFormat::text, Explain::no},
      {"run_bisect.md", golden_bisect(), OutputFormat::markdown, Explain::no},
      {"run_bisect.json", golden_bisect(), OutputFormat::json, Explain::no},
      {"run_no_drift.txt", golden_no_drift(), OutputFormat::text, Explain::yes},
      {"run_no_drift.md", golden_no_drift(), OutputFormat::markdown, Explain::yes},
      {"run_no_drift.json", golden_no_drift(), OutputFormat::json, Explain::no},
      {"run_planned.txt", golden_planned(), OutputFormat::text, Explain::no},
      {"run_planned.md", golden_planned(), OutputFormat::markdown, Explain::no},
      {"run_planned.json", golden_planned(), OutputFormat::json, Explain::no},
      {"run_shipped.txt", golden_shipped(), OutputFormat::text, Explain::no},
      {"run_shipped.md", golden_shipped(), OutputFormat::markdown, Explain::no},
      {"run_shipped.json", golden_shipped(), OutputFormat::json, Explain::no},
      {"run_transitive.txt", golden_transitive(), OutputFormat::text, Explain::no},
      {"run_transitive.md", golden_transitive(), OutputFormat::markdown, Explain::no},
      {"run_transitive.json", golden_transitive(), OutputFormat::json, Explain::no},
  };
  for (const Case& c : cases) {
    driftlock::testing::check_golden(c.file,
                                     publish::render_run(c.report, c.format, c.color, c.explain));
  }
}
