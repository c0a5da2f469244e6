#include "exec/command_runner.hpp"

#include <fmt/format.h>
#include <string.h>

#include "core/time.hpp"

namespace driftlock::exec {
namespace {

std::string duration_text(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) {
    return format_duration(std::chrono::duration_cast<std::chrono::seconds>(d));
  }
  return fmt::format("{}ms", d.count());
}

}  // namespace

std::string describe(const RunResult& result, std::chrono::milliseconds timeout) {
  if (result.timed_out) return fmt::format("timed out after {}", duration_text(timeout));
  if (result.cancelled) return "stopped: driftlock was interrupted";
  if (result.signal) {
    const char* name = ::sigabbrev_np(*result.signal);
    if (name) return fmt::format("killed by signal {} (SIG{})", *result.signal, name);
    return fmt::format("killed by signal {}", *result.signal);
  }
  if (result.exit_code) return fmt::format("exited with {}", *result.exit_code);
  return "ended without an exit status";
}

std::string signal_name(int number) {
  const char* name = ::sigabbrev_np(number);
  return name ? fmt::format("SIG{}", name) : fmt::format("signal {}", number);
}

}  // namespace driftlock::exec
