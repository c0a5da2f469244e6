// Judging a candidate: run the manifest's build, then its test command, and
// decide the Outcome ("at least as good as the baseline", DESIGN.md step 5).
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "candidate/junit.hpp"
#include "core/error.hpp"
#include "core/manifest.hpp"
#include "core/outcome.hpp"
#include "exec/command_runner.hpp"

namespace driftlock::candidate {

// Whether other probes build and test at the same time as this one: JUnit
// reports outside the probe's own folder are then not read (they may be
// another probe's).
enum class Sharing { alone, parallel };

struct JudgeRequest {
  std::filesystem::path work_dir;  // the manifest's folder: commands run there
  // DRIFTLOCK_WORK_DIR: this probe's private folder, created empty before the
  // build (its variable is in `env`); relative JUnit patterns are read there.
  std::filesystem::path probe_dir;
  Sharing sharing = Sharing::alone;
  CommandSettings commands;       // build, test, timeout, junit, unresolved-exit
  std::vector<exec::EnvVar> env;  // CandidateFolder::env
  std::filesystem::path log;      // both commands' output, appended; folders are created
  std::string candidate_id;       // for the log's headers
  std::chrono::milliseconds kill_grace{std::chrono::seconds(10)};
  // The baseline's JUnit results; without them the test command's exit status decides.
  std::optional<TestResults> baseline_tests;
  // JUnit ids of tests known to be flaky, sorted: failing here, they do not
  // make the candidate worse than the baseline (only with baseline_tests).
  std::vector<std::string> known_flaky_tests;
};

enum class Phase { build, test };

std::string_view to_string(Phase phase);

struct Verdict {
  Outcome outcome = Outcome::error;
  Phase phase = Phase::build;  // the command that decided the outcome
  // One line for reports and held entries: "build exited with 2",
  // "test: 2 tests newly failing: a.test_x, b.test_y", "test timed out after 30m".
  std::string reason;
  std::vector<std::string> newly_failing;  // JUnit ids, sorted
  std::vector<std::string> notes;          // what a reader should know, e.g. JUnit fallbacks
  std::optional<TestResults> tests;        // this candidate's JUnit results, when read
  std::optional<Error> infrastructure;     // set when the runner itself failed
  std::filesystem::path log;
  std::vector<std::string> tail;  // last output lines of the deciding command
  std::chrono::milliseconds duration{0};
};

// Never fails: every problem is an Outcome (runner failures are Outcome::error
// with `infrastructure` set, so a pipeline can stop instead of retrying).
Verdict judge(exec::CommandRunner& runner, const JudgeRequest& request);

// `pattern` with $NAME and ${NAME} replaced for the variables in `env` (others kept),
// so a JUnit glob can name a per-candidate folder: out/${DRIFTLOCK_CANDIDATE_ID}/*.xml.
std::string expand_variables(std::string_view pattern, const std::vector<exec::EnvVar>& env);

}  // namespace driftlock::candidate
