#include "core/run_report.hpp"

namespace driftlock {

std::string_view to_string(RunStatus status) {
  switch (status) {
    case RunStatus::no_drift:
      return "no_drift";
    case RunStatus::planned:
      return "planned";
    case RunStatus::shipped:
      return "shipped";
    case RunStatus::shipped_partially:
      return "shipped_partially";
    case RunStatus::not_shipped:
      return "not_shipped";
    case RunStatus::passed:
      return "passed";
    case RunStatus::failed:
      return "failed";
    case RunStatus::closure_captured:
      return "closure_captured";
  }
  return "failed";
}

int exit_code(RunStatus status) {
  switch (status) {
    case RunStatus::no_drift:
    case RunStatus::planned:
    case RunStatus::shipped:
    case RunStatus::passed:
    case RunStatus::closure_captured:
      return 0;
    case RunStatus::shipped_partially:
    case RunStatus::not_shipped:
    case RunStatus::failed:
      return 1;
  }
  return 1;
}

}  // namespace driftlock
