// A CommandRunner for tests: records every request and answers from a
// scripted handler, so judging and pipelines are tested without processes.
#pragma once

#include <functional>
#include <mutex>
#include <vector>

#include "exec/command_runner.hpp"

namespace driftlock::exec {

// A RunResult for a command that exited with `code`, with these output lines.
RunResult exited(int code, std::vector<std::string> tail = {});
// A RunResult for a command stopped at its timeout (SIGTERM).
RunResult timed_out();

class FakeRunner final : public CommandRunner {
 public:
  using Handler = std::function<Result<RunResult>(const RunRequest&)>;

  // Without a handler every command exits 0.
  FakeRunner() = default;
  explicit FakeRunner(Handler handler) : m_handler(std::move(handler)) {}

  Result<RunResult> run(const RunRequest& request) override;

  // Every request received, in order.
  std::vector<RunRequest> requests() const;
  // The value of variable `name` in request `index`'s env, or "" when absent.
  std::string env(std::size_t index, std::string_view name) const;

 private:
  Handler m_handler;
  mutable std::mutex m_mutex;
  std::vector<RunRequest> m_requests;
};

}  // namespace driftlock::exec
