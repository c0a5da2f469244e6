#include "candidate/judge.hpp"

#include <signal.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "candidate/candidate.hpp"
#include "ecosystems/registry.hpp"
#include "exec/fake_runner.hpp"
#include "exec/process_runner.hpp"
#include "exec/temp_dir.hpp"

using namespace driftlock;
using namespace driftlock::candidate;
using driftlock::exec::exited;
using driftlock::exec::FakeRunner;
using driftlock::exec::RunRequest;
using driftlock::exec::RunResult;
using driftlock::testing::TempDir;
using namespace std::chrono_literals;

namespace {

JudgeRequest request(const TempDir& dir) {
  JudgeRequest r;
  r.work_dir = dir.path();
  r.commands.build = "make image";
  r.commands.test = "make test";
  r.env = {{"DRIFTLOCK_CANDIDATE_ID", "0123456789ab"}};
  r.log = dir / "logs" / "0123456789ab.log";
  r.candidate_id = "0123456789ab";
  return r;
}

// Answers the build and the test command with the given results.
FakeRunner scripted(Result<RunResult> build, Result<RunResult> test,
                    std::function<void()> during_test = {}) {
  return FakeRunner([=](const RunRequest& r) -> Result<RunResult> {
    if (r.command == "make image") return build;
    if (during_test) during_test();
    return test;
  });
}

void write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

std::string report(const std::vector<std::pair<std::string, std::string>>& cases) {
  std::string xml = "<testsuite>";
  for (const auto& [name, status] : cases) {
    xml += "<testcase classname=\"t\" name=\"" + name + "\">";
    if (!status.empty()) xml += "<" + status + "/>";
    xml += "</testcase>";
  }
  return xml + "</testsuite>";
}

const TestResults kBaselineTests = {
    {"t.a", TestStatus::passed}, {"t.b", TestStatus::passed}, {"t.c", TestStatus::failed}};

}  // namespace

TEST_CASE("judge runs build then test in the manifest's folder with the candidate's env",
          "[build][judge]") {
  TempDir dir;
  FakeRunner runner;
  auto r = request(dir);
  r.commands.timeout = std::chrono::minutes(5);
  r.kill_grace = 3s;
  Verdict v = judge(runner, r);
  CHECK(v.outcome == Outcome::pass);
  CHECK(v.phase == Phase::test);
  CHECK(v.reason == "build and test passed");
  CHECK(v.log == dir / "logs" / "0123456789ab.log");
  CHECK(std::filesystem::is_directory(dir / "logs"));
  auto requests = runner.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].command == "make image");
  CHECK(requests[1].command == "make test");
  for (const RunRequest& q : requests) {
    CHECK(q.cwd == dir.path());
    CHECK(q.env == r.env);
    CHECK(q.timeout == 5min);
    CHECK(q.kill_grace == 3s);
    CHECK(q.log == r.log);
  }
  CHECK(requests[0].log_header == "==> driftlock: build of candidate 0123456789ab");
  CHECK(requests[1].log_header == "==> driftlock: test of candidate 0123456789ab");
}

TEST_CASE("judge decides outcomes from exit statuses", "[build][judge]") {
  TempDir dir;
  RunResult killed;
  killed.signal = SIGKILL;
  RunResult stopped;
  stopped.signal = SIGTERM;
  RunResult crashed;
  crashed.signal = SIGSEGV;
  RunResult aborted;
  aborted.signal = SIGABRT;
  const Error broken{ErrorKind::infrastructure, "cannot open log 'x': Permission denied",
                     std::nullopt};
  struct Case {
    std::string name;
    Result<RunResult> build, test;
    int unresolved_exit;
    Outcome outcome;
    Phase phase;
    std::string reason;
    std::size_t runs;
  };
  const std::vector<Case> cases = {
      {"green", exited(0), exited(0), 125, Outcome::pass, Phase::test, "build and test passed", 2},
      {"unresolved", exited(125), exited(0), 125, Outcome::unresolved, Phase::build,
       "build exited with 125 (unresolved-exit: the set cannot be installed together)", 1},
      {"own unresolved code", exited(3), exited(0), 3, Outcome::unresolved, Phase::build,
       "build exited with 3 (unresolved-exit: the set cannot be installed together)", 1},
      {"125 is a failure when another code means unresolved", exited(125), exited(0), 3,
       Outcome::fail, Phase::build, "build exited with 125", 1},
      {"build fails", exited(2), exited(0), 125, Outcome::fail, Phase::build, "build exited with 2",
       1},
      {"build times out", exec::timed_out(), exited(0), 125, Outcome::error, Phase::build,
       "build timed out after 30m", 1},
      {"build killed", killed, exited(0), 125, Outcome::error, Phase::build,
       "build killed by signal 9 (SIGKILL) (stopped from outside or out of memory: never blamed "
       "on a dependency)",
       1},
      {"build stopped", stopped, exited(0), 125, Outcome::error, Phase::build,
       "build killed by signal 15 (SIGTERM) (stopped from outside or out of memory: never "
       "blamed on a dependency)",
       1},
      {"build crashes", crashed, exited(0), 125, Outcome::fail, Phase::build,
       "build killed by signal 11 (SIGSEGV): it crashed", 1},
      {"test crashes", exited(0), crashed, 125, Outcome::fail, Phase::test,
       "test killed by signal 11 (SIGSEGV): it crashed", 2},
      {"test aborts", exited(0), aborted, 125, Outcome::fail, Phase::test,
       "test killed by signal 6 (SIGABRT): it crashed", 2},
      {"test killed", exited(0), killed, 125, Outcome::error, Phase::test,
       "test killed by signal 9 (SIGKILL) (stopped from outside or out of memory: never blamed "
       "on a dependency)",
       2},
      {"runner broken", std::unexpected(broken), exited(0), 125, Outcome::error, Phase::build,
       "build could not run: cannot open log 'x': Permission denied", 1},
      {"test fails", exited(0), exited(1), 125, Outcome::fail, Phase::test, "test exited with 1",
       2},
      {"test exit 125 is a failure", exited(0), exited(125), 125, Outcome::fail, Phase::test,
       "test exited with 125", 2},
      {"test times out", exited(0), exec::timed_out(), 125, Outcome::error, Phase::test,
       "test timed out after 30m", 2},
      {"build says error-exit", exited(75), exited(0), 125, Outcome::error, Phase::build,
       "build exited with 75 (error-exit: an infrastructure failure, never blamed on a "
       "dependency)",
       1},
      {"test says error-exit", exited(0), exited(75), 125, Outcome::error, Phase::test,
       "test exited with 75 (error-exit: an infrastructure failure, never blamed on a "
       "dependency)",
       2},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    FakeRunner runner = scripted(c.build, c.test);
    auto r = request(dir);
    r.commands.unresolved_exit = c.unresolved_exit;
    r.commands.error_exit = 75;
    Verdict v = judge(runner, r);
    CHECK(v.outcome == c.outcome);
    CHECK(v.phase == c.phase);
    CHECK(v.reason == c.reason);
    CHECK(runner.requests().size() == c.runs);
    CHECK(v.infrastructure.has_value() == (c.name == "runner broken"));
  }
}

TEST_CASE("judge keeps the deciding command's output tail", "[build][judge]") {
  TempDir dir;
  FakeRunner runner = scripted(exited(0, {"built"}), exited(1, {"FAILED t.a", "1 failed"}));
  Verdict v = judge(runner, request(dir));
  CHECK(v.outcome == Outcome::fail);
  CHECK(v.tail == std::vector<std::string>{"FAILED t.a", "1 failed"});
}

TEST_CASE("judge without test or build command", "[build][judge]") {
  TempDir dir;
  struct Case {
    std::string build, test, reason;
    std::size_t runs;
  };
  const std::vector<Case> cases = {
      {"make image", "", "build passed", 1},
      {"", "make test", "test passed", 1},
      {"", "", "no build or test command", 0},
  };
  for (const Case& c : cases) {
    FakeRunner runner;
    auto r = request(dir);
    r.commands.build = c.build;
    r.commands.test = c.test;
    Verdict v = judge(runner, r);
    CHECK(v.outcome == Outcome::pass);
    CHECK(v.reason == c.reason);
    CHECK(runner.requests().size() == c.runs);
  }
}

TEST_CASE("judge with JUnit: at least as good as the baseline", "[build][judge]") {
  struct Case {
    std::string name;
    int test_exit;
    std::string xml;  // written by the test command; empty: none
    bool with_baseline;
    Outcome outcome;
    std::string reason;
    std::vector<std::string> newly_failing;
    std::vector<std::string> notes;
  };
  const std::vector<Case> cases = {
      {"a test passing on the baseline fails",
       1,
       report({{"a", ""}, {"b", "failure"}, {"c", "failure"}}),
       true,
       Outcome::fail,
       "test: 1 test newly failing: t.b",
       {"t.b"},
       {}},
      {"an error counts as failing, even with exit 0",
       0,
       report({{"a", "error"}, {"b", "failure"}, {"c", ""}}),
       true,
       Outcome::fail,
       "test: 2 tests newly failing: t.a, t.b",
       {"t.a", "t.b"},
       {}},
      {"failing on both is not the candidate's fault",
       1,
       report({{"a", ""}, {"b", ""}, {"c", "failure"}}),
       true,
       Outcome::pass,
       "no test that passes on the baseline fails",
       {},
       {"test exited with 1, but no test that passes on the baseline fails"}},
      {"a nonzero exit with baseline tests missing fails",
       1,
       report({{"a", ""}}),
       true,
       Outcome::fail,
       "test exited with 1 and 1 test that passes on the baseline did not run: t.b",
       {},
       {}},
      {"exit 0 with tests missing passes with a note",
       0,
       report({{"a", ""}, {"b", "skipped"}}),
       true,
       Outcome::pass,
       "no test that passes on the baseline fails",
       {},
       {"1 test that passes on the baseline did not run: t.b"}},
      {"no report: the exit status decides",
       1,
       "",
       true,
       Outcome::fail,
       "test exited with 1",
       {},
       {"no JUnit report matching 'out/junit/*.xml' was written; judged by the exit status"}},
      {"unreadable report: the exit status decides",
       0,
       "<testsuite>",
       true,
       Outcome::pass,
       "build and test passed",
       {},
       {"DIR/out/junit/report.xml:1:11: invalid JUnit XML: Start-end tags mismatch; judged by the "
        "exit status"}},
      {"no baseline results: the exit status decides",
       1,
       report({{"a", ""}}),
       false,
       Outcome::fail,
       "test exited with 1",
       {},
       {}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    TempDir dir;
    auto path = dir / "out" / "junit" / "report.xml";
    FakeRunner runner = scripted(exited(0), exited(c.test_exit), [&] {
      if (!c.xml.empty()) write(path, c.xml);
    });
    auto r = request(dir);
    r.commands.junit = "out/junit/*.xml";
    if (c.with_baseline) r.baseline_tests = kBaselineTests;
    Verdict v = judge(runner, r);
    CHECK(v.outcome == c.outcome);
    CHECK(v.reason == c.reason);
    CHECK(v.newly_failing == c.newly_failing);
    std::vector<std::string> notes = c.notes;
    for (auto& n : notes) {
      if (n.starts_with("DIR/")) n = dir.path().string() + n.substr(3);
    }
    CHECK(v.notes == notes);
    CHECK(v.tests.has_value() == (!c.xml.empty() && c.xml != "<testsuite>"));
  }
}

TEST_CASE("judge with JUnit: known-flaky tests failing are not counted", "[build][judge]") {
  struct Case {
    std::string name;
    int test_exit;
    std::string xml;  // written by the test command; empty: none
    bool with_baseline;
    std::vector<std::string> known_flaky;
    Outcome outcome;
    std::string reason;
    std::vector<std::string> newly_failing;
    std::vector<std::string> notes;
  };
  const std::vector<std::string> all = {"t.a", "t.b", "t.c"};
  const std::vector<Case> cases = {
      {"a known-flaky test failing forgives the exit status",
       1,
       report({{"a", "failure"}, {"b", ""}, {"c", "failure"}}),
       true,
       all,
       Outcome::pass,
       "no test that passes on the baseline fails",
       {},
       {"1 known-flaky test failed and was not counted: t.a",
        "test exited with 1, but no test that passes on the baseline fails"}},
      {"two known-flaky tests failing, exit 0",
       0,
       report({{"a", "failure"}, {"b", "error"}, {"c", ""}}),
       true,
       all,
       Outcome::pass,
       "no test that passes on the baseline fails",
       {},
       {"2 known-flaky tests failed and were not counted: t.a, t.b"}},
      {"another test newly failing still fails the candidate",
       1,
       report({{"a", "failure"}, {"b", "failure"}, {"c", ""}}),
       true,
       {"t.a"},
       Outcome::fail,
       "test: 1 test newly failing: t.b",
       {"t.b"},
       {"1 known-flaky test failed and was not counted: t.a"}},
      {"other tests known to be flaky change nothing",
       1,
       report({{"a", "failure"}, {"b", ""}, {"c", ""}}),
       true,
       {"t.0", "t.c", "t.z"},
       Outcome::fail,
       "test: 1 test newly failing: t.a",
       {"t.a"},
       {}},
      {"a known-flaky test failing on the baseline too is not newly failing",
       1,
       report({{"a", ""}, {"b", ""}, {"c", "failure"}}),
       true,
       all,
       Outcome::pass,
       "no test that passes on the baseline fails",
       {},
       {"test exited with 1, but no test that passes on the baseline fails"}},
      {"known-flaky tests passing: no note",
       0,
       report({{"a", ""}, {"b", ""}, {"c", ""}}),
       true,
       all,
       Outcome::pass,
       "no test that passes on the baseline fails",
       {},
       {}},
      {"a nonzero exit with a baseline test missing still fails",
       1,
       report({{"a", "failure"}, {"c", ""}}),
       true,
       all,
       Outcome::fail,
       "test exited with 1 and 1 test that passes on the baseline did not run: t.b",
       {},
       {"1 known-flaky test failed and was not counted: t.a"}},
      {"no baseline results: the exit status decides",
       1,
       report({{"a", "failure"}, {"b", ""}, {"c", ""}}),
       false,
       all,
       Outcome::fail,
       "test exited with 1",
       {},
       {}},
      {"no report: the exit status decides",
       1,
       "",
       true,
       all,
       Outcome::fail,
       "test exited with 1",
       {},
       {"no JUnit report matching 'out/junit/*.xml' was written; judged by the exit status"}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    TempDir dir;
    auto path = dir / "out" / "junit" / "report.xml";
    FakeRunner runner = scripted(exited(0), exited(c.test_exit), [&] {
      if (!c.xml.empty()) write(path, c.xml);
    });
    auto r = request(dir);
    r.commands.junit = "out/junit/*.xml";
    if (c.with_baseline) r.baseline_tests = kBaselineTests;
    r.known_flaky_tests = c.known_flaky;
    Verdict v = judge(runner, r);
    CHECK(v.outcome == c.outcome);
    CHECK(v.reason == c.reason);
    CHECK(v.newly_failing == c.newly_failing);
    CHECK(v.notes == c.notes);
  }
}

TEST_CASE("judge ignores JUnit reports left over from an earlier run", "[build][judge]") {
  TempDir dir;
  write(dir / "out" / "junit" / "old.xml", report({{"a", ""}, {"b", ""}}));
  FakeRunner runner = scripted(exited(0), exited(1));
  auto r = request(dir);
  r.commands.junit = "out/junit/*.xml";
  r.baseline_tests = kBaselineTests;
  Verdict v = judge(runner, r);
  CHECK(v.outcome == Outcome::fail);
  CHECK(v.reason == "test exited with 1");
  CHECK(!v.tests);
}

TEST_CASE("judge expands candidate variables in the JUnit glob", "[build][judge]") {
  CHECK(expand_variables("out/${DRIFTLOCK_CANDIDATE_ID}/*.xml",
                         {{"DRIFTLOCK_CANDIDATE_ID", "ab"}}) == "out/ab/*.xml");
  CHECK(expand_variables("$X/$Y/${Z/$/${X}", {{"X", "1"}}) == "1/$Y/${Z/$/1");

  TempDir dir;
  FakeRunner runner = scripted(exited(0), exited(0), [&] {
    write(dir / "out" / "0123456789ab" / "r.xml", report({{"a", ""}, {"b", "failure"}}));
  });
  auto r = request(dir);
  r.commands.junit = "out/${DRIFTLOCK_CANDIDATE_ID}/*.xml";
  r.baseline_tests = kBaselineTests;
  Verdict v = judge(runner, r);
  CHECK(v.outcome == Outcome::fail);
  CHECK(v.newly_failing == std::vector<std::string>{"t.b"});
}

TEST_CASE("judge end to end: real commands read the candidate folder", "[build][judge][process]") {
  TempDir dir;
  const std::string digest = "sha256:" + std::string(64, 'c');
  auto candidate = make_candidate(
      "example", {Dependency{"pypi", "tox", "4.11.3", std::nullopt, std::nullopt},
                  Dependency{"oci", "127.0.0.1:5000/base", "stable", digest, std::nullopt}});
  REQUIRE(candidate);
  auto folder = materialize(*candidate, dir / "state" / "candidates", ecosystems::all(), {});
  REQUIRE(folder);

  JudgeRequest r;
  r.work_dir = dir.path();
  r.commands.build =
      "test \"$DRIFTLOCK_OCI_BASE\" = \"127.0.0.1:5000/base@" + digest +
      "\" && grep -qx 'tox==4.11.3' \"$DRIFTLOCK_CANDIDATE_DIR/constraints.txt\" && echo built";
  r.commands.test =
      "mkdir -p out && printf '<testsuite><testcase classname=\"t\" name=\"a\"/>"
      "<testcase classname=\"t\" name=\"b\"><failure/></testcase></testsuite>' > out/r.xml; exit 1";
  r.commands.junit = "out/*.xml";
  r.env = folder->env;
  r.log = dir / "state" / "logs" / (candidate->id + ".log");
  r.candidate_id = candidate->id;
  r.baseline_tests = TestResults{{"t.a", TestStatus::passed}, {"t.b", TestStatus::failed}};
  exec::ProcessRunner runner;
  Verdict v = judge(runner, r);
  CHECK(v.outcome == Outcome::pass);
  CHECK(v.notes == std::vector<std::string>{
                       "test exited with 1, but no test that passes on the baseline fails"});
  std::ifstream log(r.log);
  std::string first;
  std::getline(log, first);
  CHECK(first == "==> driftlock: build of candidate " + candidate->id);
  std::string second;
  std::getline(log, second);
  CHECK(second == "built");
}
