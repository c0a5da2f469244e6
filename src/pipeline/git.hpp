// The git side of the pipeline, through the CommandRunner seam: the builder
// revision that keys memoised outcomes, and committing a new snapshot.
// Registry data never reaches the shell: the commit message goes through a
// file and paths through environment variables.
#pragma once

#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "core/manifest.hpp"
#include "core/time.hpp"
#include "exec/command_runner.hpp"

namespace driftlock::pipeline {

// A hash of the manifest's commands and of the tracked files of the
// manifest's folder (index and unstaged edits) except the snapshot, so an
// edited Dockerfile or test script invalidates memoised outcomes while a new
// snapshot does not. Outside a git work tree the folder cannot be tracked, so
// the revision is unique to this run (`nonce`) and outcomes are only reused
// within it.
Result<std::string> builder_revision(const Manifest& manifest, exec::CommandRunner& runner,
                                     const std::filesystem::path& log, std::string_view nonce);

enum class CommitStatus { committed, not_a_repository, nothing_to_commit };

// `git add` + `git commit` of the snapshot file alone, with `message`. A
// missing identity gets driftlock's own, so CI machines need no git config.
// An infrastructure error when git fails.
Result<CommitStatus> commit_snapshot(const Manifest& manifest, const std::string& message,
                                     exec::CommandRunner& runner,
                                     const std::filesystem::path& state_folder);

}  // namespace driftlock::pipeline
