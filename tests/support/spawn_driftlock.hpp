// The real driftlock binary as a child process, for tests that need its
// signals, exit codes and files as a user sees them (cancellation, secrets).
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

extern char** environ;

namespace driftlock::testing {

// Starts the binary with `args`, stdout in `out` and stderr in `err`, and
// the test's own environment, or exactly `env` ("NAME=value" each) when
// given. Returns its pid.
inline pid_t spawn_driftlock(const std::vector<std::string>& args, const std::filesystem::path& out,
                             const std::filesystem::path& err,
                             std::optional<std::vector<std::string>> env = std::nullopt) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> all{DRIFTLOCK_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : all) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  if (env) {
    for (std::string& var : *env) envp.push_back(var.data());
    envp.push_back(nullptr);
  }
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, DRIFTLOCK_BINARY, &actions, nullptr, argv.data(),
                                  env ? envp.data() : environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(spawned == 0);
  return pid;
}

// Waits for `pid`, which must exit (not die of a signal); its exit code.
inline int wait_exit_code(pid_t pid) {
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  return WEXITSTATUS(status);
}

}  // namespace driftlock::testing
