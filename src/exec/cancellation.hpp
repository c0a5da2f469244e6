// Cancellation: SIGINT or SIGTERM (a Ctrl-C, a CI system cancelling the job)
// asks driftlock to stop. Running commands' process groups are stopped
// (SIGTERM, then SIGKILL after a short grace), no new command starts, and the
// pipeline unwinds as after an infrastructure error: nothing is written, the
// run is recorded as interrupted, and the next run recalls every probe that
// finished. A second signal ends driftlock at once (the default action).
#pragma once

#include <chrono>
#include <optional>

namespace driftlock::exec {

// How long a cancelled command's group gets between SIGTERM and SIGKILL: CI
// systems allow a few seconds between their own SIGTERM and SIGKILL.
inline constexpr std::chrono::milliseconds kCancelGrace{3000};

// Installs the SIGINT and SIGTERM handlers (once; the CLI calls it).
void install_cancellation_handlers();

// Asks for cancellation as the handlers do; tests call it.
void request_cancellation(int signal_number);

// The signal that asked for cancellation, if one did.
std::optional<int> cancellation_signal();

// A descriptor that polls readable once cancellation is asked for, for
// waiting loops (level-triggered: every waiter wakes).
int cancellation_fd();

// Forgets a cancellation: for tests only.
void reset_cancellation_for_tests();

}  // namespace driftlock::exec
