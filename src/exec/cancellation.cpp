#include "exec/cancellation.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <mutex>
#include <optional>

namespace driftlock::exec {
namespace {

std::atomic<int> g_signal{0};
int g_pipe[2] = {-1, -1};
std::once_flag g_pipe_once;

void open_pipe() {
  std::call_once(g_pipe_once, [] {
    if (::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) g_pipe[0] = g_pipe[1] = -1;
  });
}

// Async-signal-safe: an atomic and write(2) on a pipe opened beforehand.
void mark(int number) {
  int expected = 0;
  if (!g_signal.compare_exchange_strong(expected, number)) return;
  if (g_pipe[1] >= 0) {
    const char byte = 1;
    [[maybe_unused]] ssize_t written = ::write(g_pipe[1], &byte, 1);
  }
}

void on_signal(int number) {
  mark(number);
}

}  // namespace

void install_cancellation_handlers() {
  open_pipe();
  struct sigaction action {};
  action.sa_handler = on_signal;
  // The next signal ends driftlock at once (the default action).
  action.sa_flags = SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

void request_cancellation(int signal_number) {
  open_pipe();
  mark(signal_number);
}

std::optional<int> cancellation_signal() {
  const int number = g_signal.load();
  if (number == 0) return std::nullopt;
  return number;
}

int cancellation_fd() {
  open_pipe();
  return g_pipe[0];
}

void reset_cancellation_for_tests() {
  open_pipe();
  char buffer[64];
  while (g_pipe[0] >= 0 && ::read(g_pipe[0], buffer, sizeof buffer) > 0) {
  }
  g_signal.store(0);
}

}  // namespace driftlock::exec
