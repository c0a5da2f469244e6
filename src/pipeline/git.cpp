#include "pipeline/git.hpp"

#include <fmt/format.h>

#include "candidate/candidate.hpp"
#include "core/file.hpp"

namespace driftlock::pipeline {
namespace {

std::string snapshot_relative(const Manifest& manifest) {
  return std::filesystem::relative(manifest.snapshot, manifest.dir).generic_string();
}

Result<exec::RunResult> git(exec::CommandRunner& runner, const Manifest& manifest,
                            std::string command, std::vector<exec::EnvVar> env,
                            const std::filesystem::path& log) {
  std::error_code ignored;  // a missing folder shows up as the runner's error
  std::filesystem::create_directories(log.parent_path(), ignored);
  exec::RunRequest request;
  request.command = std::move(command);
  request.cwd = manifest.dir;
  request.env = std::move(env);
  request.env.push_back({"GIT_TERMINAL_PROMPT", "0"});
  request.timeout = std::chrono::minutes(2);
  request.kill_grace = std::chrono::seconds(5);
  request.log = log;
  // A snapshot that was pushed is committed even when driftlock is asked to stop.
  request.cancellable = exec::Cancellable::no;
  return runner.run(request);
}

}  // namespace

Result<std::string> builder_revision(const Manifest& manifest, exec::CommandRunner& runner,
                                     const std::filesystem::path& log, std::string_view nonce) {
  const CommandSettings& c = manifest.commands;
  const std::string commands = fmt::format("build={}\ntest={}\njunit={}\nunresolved={}\n", c.build,
                                           c.test, c.junit.value_or(""), c.unresolved_exit);
  auto result =
      git(runner, manifest,
          "git rev-parse --is-inside-work-tree >/dev/null 2>&1 || { echo no-git; exit 0; }\n"
          "{ git ls-files -s -- . \":(exclude)$DRIFTLOCK_SNAPSHOT\" && "
          "git diff --no-ext-diff --binary -- . \":(exclude)$DRIFTLOCK_SNAPSHOT\"; } "
          "| git hash-object --stdin",
          {{"DRIFTLOCK_SNAPSHOT", snapshot_relative(manifest)}}, log);
  if (!result) return std::unexpected(std::move(result.error()));
  if (!result->succeeded() || result->tail.empty()) {
    return fail(ErrorKind::infrastructure,
                fmt::format("cannot hash the builder's files with git ({}; see {})",
                            exec::describe(*result, std::chrono::minutes(2)), log.string()));
  }
  const std::string tree = result->tail.back();
  if (tree == "no-git") {
    return "run-" + candidate::content_id(commands + std::string(nonce));
  }
  return candidate::content_id(commands + tree);
}

Result<CommitStatus> commit_snapshot(const Manifest& manifest, const std::string& message,
                                     exec::CommandRunner& runner,
                                     const std::filesystem::path& state_folder) {
  const std::filesystem::path message_file = state_folder / "commit-message.txt";
  if (auto written = write_file_atomically(message_file, message); !written) {
    return std::unexpected(std::move(written.error()));
  }
  const std::filesystem::path log = state_folder / "logs" / "git.log";
  auto result =
      git(runner, manifest,
          "git rev-parse --is-inside-work-tree >/dev/null 2>&1 || exit 90\n"
          "git config user.email >/dev/null || export GIT_AUTHOR_NAME=driftlock "
          "GIT_AUTHOR_EMAIL=driftlock@localhost GIT_COMMITTER_NAME=driftlock "
          "GIT_COMMITTER_EMAIL=driftlock@localhost\n"
          "git add -- \"$DRIFTLOCK_SNAPSHOT\" || exit 1\n"
          "git diff --cached --quiet -- \"$DRIFTLOCK_SNAPSHOT\" && exit 91\n"
          "git commit -q --no-verify -F \"$DRIFTLOCK_COMMIT_MESSAGE\" -- \"$DRIFTLOCK_SNAPSHOT\"",
          {{"DRIFTLOCK_SNAPSHOT", snapshot_relative(manifest)},
           {"DRIFTLOCK_COMMIT_MESSAGE", message_file.string()}},
          log);
  if (!result) return std::unexpected(std::move(result.error()));
  if (result->exit_code == 90) return CommitStatus::not_a_repository;
  if (result->exit_code == 91) return CommitStatus::nothing_to_commit;
  if (!result->succeeded()) {
    std::string last = result->tail.empty() ? std::string() : ": " + result->tail.back();
    return fail(ErrorKind::infrastructure,
                fmt::format("git commit of {} failed ({}{}); see {}", manifest.snapshot.string(),
                            exec::describe(*result, std::chrono::minutes(2)), last, log.string()));
  }
  return CommitStatus::committed;
}

}  // namespace driftlock::pipeline
