// `driftlock init --capture`: a manifest's first snapshot, made by the run
// pipeline itself (resolve, build and test the newest allowed releases once,
// list the [closure], write and commit the snapshot as `run` does) with
// nothing pushed. A build or test that fails writes nothing.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "core/run_report.hpp"
#include "core/time.hpp"
#include "exec/command_runner.hpp"
#include "pipeline/progress.hpp"
#include "resolve/session.hpp"

namespace driftlock::pipeline {

struct FirstSnapshot {
  RunReport report;                               // the run that wrote it
  std::size_t named = 0;                          // pins the manifest names
  std::map<std::string, std::size_t> transitive;  // per ecosystem: pins its listing added
  // "wrote the first snapshot of demo, demo.lock.json: 2 named dependencies
  // and 1 transitive (pypi 1); committed; nothing pushed"
  std::string summary;
};

// What a first snapshot needs before anything is resolved: no snapshot yet,
// a build and a test command, a dependency to pin. Input errors (exit 2).
Result<void> check_first_snapshot(const Manifest& manifest);

// Errors: those of check_first_snapshot; a failing build or test, a
// [closure] command that fails, a build that cannot run, a failed git
// commit (exit 3; only the commit leaves the written snapshot behind).
Result<FirstSnapshot> capture_first_snapshot(resolve::Session& session, exec::CommandRunner& runner,
                                             const Clock& clock, EcosystemTable ecosystems,
                                             ProgressSink* progress = nullptr);

}  // namespace driftlock::pipeline
