// The gated pipeline of DESIGN.md: `run` (resolve, diff, verify the
// baseline, build the full candidate, ship it, or search for culprits and
// ship everything else), `check` (the pinned snapshot alone) and `bisect`
// (the search between two locks). Processes go through the CommandRunner
// seam, state through the session's state folder.
#pragma once

#include <optional>

#include "core/run_report.hpp"
#include "core/time.hpp"
#include "exec/command_runner.hpp"
#include "pipeline/prober.hpp"
#include "pipeline/progress.hpp"
#include "resolve/session.hpp"

namespace driftlock::pipeline {

enum class Push { yes, no };
enum class DryRun { no, yes };

// How failing builds are believed (bisect/flake_policy.hpp).
struct SearchSettings {
  std::optional<FlakyTests> flaky_tests;  // --flaky-tests; else the manifest's [policy]
  std::optional<int> confirmations;       // --confirmations; else the FACF rule
};

struct RunOptions {
  Push push = Push::yes;
  DryRun dry_run = DryRun::no;
  SearchSettings search;
  ProgressSink* progress = nullptr;  // a line per probe start and end; nullptr: silent
};

// Errors (exit 3): the baseline is broken, a build could not even run, the
// push or the git commit failed. The snapshot is written only after a green
// build and a successful push, so none of these leaves a wrong snapshot.
Result<RunReport> run_pipeline(resolve::Session& session, const RunOptions& options,
                               exec::CommandRunner& runner, const Clock& clock,
                               EcosystemTable ecosystems);

// Builds and tests the snapshot's pins; never pushes, writes nothing but state.
Result<RunReport> check_snapshot(const Manifest& manifest, const Snapshot& snapshot,
                                 store::StateDir& state, exec::CommandRunner& runner,
                                 const Clock& clock, EcosystemTable ecosystems,
                                 const SearchSettings& search = {},
                                 ProgressSink* progress = nullptr);

// The culprit search between two locks with the manifest's commands.
Result<RunReport> bisect_locks(const Manifest& manifest, const Snapshot& from, const Snapshot& to,
                               store::StateDir& state, exec::CommandRunner& runner,
                               const Clock& clock, EcosystemTable ecosystems,
                               const SearchSettings& search = {}, ProgressSink* progress = nullptr);

// The commit message for a shipped snapshot: a subject line, then every
// change and every culprit held back.
std::string commit_message(const RunReport& report);

}  // namespace driftlock::pipeline
