// Where a report is posted: `--comment github:OWNER/REPO#N`,
// `gitlab:GROUP/PROJECT#N` (issue) or `gitlab:GROUP/PROJECT!N` (merge request);
// and where the drift dashboard lives: `--dashboard github:OWNER/REPO` or
// `gitlab:GROUP/PROJECT`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace driftlock::forge {

enum class Forge { github, gitlab };

// GitHub's pull requests are issues to its comment API; GitLab's merge
// requests have their own notes.
enum class ThreadKind { issue, merge_request };

struct Target {
  Forge forge = Forge::github;
  std::string project;  // "OWNER/REPO", or GitLab's "GROUP/SUBGROUP/PROJECT"
  ThreadKind kind = ThreadKind::issue;
  std::uint64_t number = 0;  // the issue's, pull request's or merge request's number
};

// Anything but the three forms is a usage error naming the forms.
Result<Target> parse_target(std::string_view text);

// The target as `--comment` spells it: "github:o/r#5", "gitlab:g/p!7".
std::string to_string(const Target& target);

std::string_view forge_name(Forge forge);  // "github", "gitlab"

// A repository (GitHub) or project (GitLab): where the dashboard issue is.
struct RepoTarget {
  Forge forge = Forge::github;
  std::string project;  // "OWNER/REPO", or GitLab's "GROUP/SUBGROUP/PROJECT"
};

// `github:OWNER/REPO` or `gitlab:GROUP/PROJECT` (subgroups allowed); anything
// else, an issue number included, is a usage error naming the forms.
Result<RepoTarget> parse_repo_target(std::string_view text);

// The target as `--dashboard` spells it: "github:o/r".
std::string to_string(const RepoTarget& target);

}  // namespace driftlock::forge
