// CommandRunner on fork/exec: /bin/sh -c COMMAND in its own process group,
// output into the caller's log, the whole group stopped at the timeout.
#pragma once

#include "exec/command_runner.hpp"

namespace driftlock::exec {

// Safe to use from several threads at once (each run is independent); nothing
// it opens is inherited by other children (every descriptor is O_CLOEXEC).
//
// Background processes the command leaves behind in its process group are
// stopped (SIGTERM, then SIGKILL after the grace period) once the shell exits,
// so no probe outlives its run or keeps the output pipe open.
class ProcessRunner final : public CommandRunner {
 public:
  Result<RunResult> run(const RunRequest& request) override;
};

}  // namespace driftlock::exec
