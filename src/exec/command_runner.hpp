// Running the user's build / test / push commands: the seam between the
// pipeline and processes, so build/ and cli/ are tested with a FakeRunner.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace driftlock::exec {

struct EnvVar {
  std::string name;
  std::string value;

  bool operator==(const EnvVar&) const = default;
};

// Whether cancellation (exec/cancellation.hpp) stops the command. Short
// bookkeeping that must finish once started (the git commit of a snapshot
// that was pushed) is not cancellable.
enum class Cancellable { yes, no };

struct RunRequest {
  std::string command;        // run as /bin/sh -c COMMAND
  std::filesystem::path cwd;  // working directory
  std::vector<EnvVar> env;    // added to (or replacing in) the parent's environment
  std::chrono::milliseconds timeout{std::chrono::minutes(30)};
  // After the timeout the process group gets SIGTERM, then SIGKILL this much later.
  std::chrono::milliseconds kill_grace{std::chrono::seconds(10)};
  std::filesystem::path log;    // stdout and stderr together, appended
  std::string log_header;       // written to the log before the output, if not empty
  std::size_t tail_lines = 50;  // how many of the last output lines RunResult keeps
  Cancellable cancellable = Cancellable::yes;
};

struct RunResult {
  std::optional<int> exit_code;  // set when the shell exited
  std::optional<int> signal;     // set when the shell was killed by a signal
  bool timed_out = false;        // driftlock stopped it at the timeout
  std::chrono::milliseconds duration{0};
  std::vector<std::string> tail;  // the last lines of output, without '\n'
  bool cancelled = false;         // driftlock was asked to stop (exec/cancellation.hpp)

  bool succeeded() const { return !timed_out && !cancelled && exit_code == 0; }
};

// "exited with 2", "killed by signal 9 (SIGKILL)", "timed out after 30m",
// "stopped: driftlock was interrupted".
std::string describe(const RunResult& result, std::chrono::milliseconds timeout);

// "SIGTERM"; "signal 42" for a number without a name.
std::string signal_name(int number);

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  // A command that fails is a RunResult; an Error means the runner itself
  // failed (fork, exec, unwritable log): an infrastructure problem.
  virtual Result<RunResult> run(const RunRequest& request) = 0;
};

}  // namespace driftlock::exec
