#include "exec/fake_runner.hpp"

#include <signal.h>

namespace driftlock::exec {

RunResult exited(int code, std::vector<std::string> tail) {
  RunResult result;
  result.exit_code = code;
  result.tail = std::move(tail);
  return result;
}

RunResult timed_out() {
  RunResult result;
  result.timed_out = true;
  result.signal = SIGTERM;
  return result;
}

Result<RunResult> FakeRunner::run(const RunRequest& request) {
  {
    std::lock_guard lock(m_mutex);
    m_requests.push_back(request);
  }
  // Outside the lock: the handler may ask what was run so far.
  if (!m_handler) return exited(0);
  return m_handler(request);
}

std::vector<RunRequest> FakeRunner::requests() const {
  std::lock_guard lock(m_mutex);
  return m_requests;
}

std::string FakeRunner::env(std::size_t index, std::string_view name) const {
  std::lock_guard lock(m_mutex);
  if (index >= m_requests.size()) return {};
  for (const EnvVar& v : m_requests[index].env) {
    if (v.name == name) return v.value;
  }
  return {};
}

}  // namespace driftlock::exec
