#include "forge/target.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "core/suggest.hpp"
#include "core/text.hpp"

namespace driftlock::forge {
namespace {

// What each flag takes, for its usage errors.
struct Forms {
  std::string_view flag;
  std::string_view expected;
};

constexpr Forms kCommentForms{
    "--comment", "expected github:OWNER/REPO#N, gitlab:GROUP/PROJECT#N or gitlab:GROUP/PROJECT!N"};
constexpr Forms kRepoForms{"--dashboard", "expected github:OWNER/REPO or gitlab:GROUP/PROJECT"};

std::unexpected<Error> malformed(const Forms& forms, std::string_view text,
                                 std::string_view reason) {
  return fail(ErrorKind::usage, fmt::format("{} '{}': {}; {}", forms.flag, escape_for_message(text),
                                            reason, forms.expected));
}

// GitHub and GitLab both name owners, groups and projects with letters,
// digits, '.', '_' and '-'; "." and ".." would walk the API's path.
bool is_path_segment(std::string_view segment) {
  if (segment.empty() || segment == "." || segment == "..") return false;
  return std::all_of(segment.begin(), segment.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::size_t count_segments(std::string_view path) {
  return static_cast<std::size_t>(std::count(path.begin(), path.end(), '/')) + 1;
}

bool all_segments_valid(std::string_view path) {
  std::size_t start = 0;
  while (true) {
    std::size_t slash = path.find('/', start);
    if (!is_path_segment(path.substr(
            start, slash == std::string_view::npos ? std::string_view::npos : slash - start))) {
      return false;
    }
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

// "github:" or "gitlab:" and what follows it.
struct ForgeAndRest {
  Forge forge = Forge::github;
  std::string_view rest;
};

Result<ForgeAndRest> parse_forge(const Forms& forms, std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return malformed(forms, text, "no forge ('github:' or 'gitlab:')");
  }
  const std::string_view name = text.substr(0, colon);
  ForgeAndRest parsed{Forge::github, text.substr(colon + 1)};
  if (name == "github") {
    parsed.forge = Forge::github;
  } else if (name == "gitlab") {
    parsed.forge = Forge::gitlab;
  } else {
    constexpr std::array<std::string_view, 2> names = {"github", "gitlab"};
    return malformed(
        forms, text,
        fmt::format("unknown forge '{}'{}", escape_for_message(name), did_you_mean(name, names)));
  }
  return parsed;
}

// OWNER/REPO on GitHub, GROUP/PROJECT with any subgroups on GitLab.
Result<void> check_project(const Forms& forms, std::string_view text, Forge forge,
                           std::string_view project) {
  if (forge == Forge::github && count_segments(project) != 2) {
    return malformed(forms, text,
                     fmt::format("'{}' is not OWNER/REPO", escape_for_message(project)));
  }
  if (forge == Forge::gitlab && count_segments(project) < 2) {
    return malformed(forms, text,
                     fmt::format("'{}' is not GROUP/PROJECT", escape_for_message(project)));
  }
  if (!all_segments_valid(project)) {
    return malformed(forms, text,
                     fmt::format("'{}' is not a project path (letters, digits, '.', '_' "
                                 "and '-' between slashes)",
                                 escape_for_message(project)));
  }
  return {};
}

}  // namespace

std::string_view forge_name(Forge forge) {
  return forge == Forge::github ? "github" : "gitlab";
}

Result<Target> parse_target(std::string_view text) {
  auto forge = parse_forge(kCommentForms, text);
  if (!forge) return std::unexpected(std::move(forge.error()));
  Target target;
  target.forge = forge->forge;
  const std::string_view rest = forge->rest;
  const std::size_t mark = rest.find_last_of("#!");
  if (mark == std::string_view::npos) {
    return malformed(kCommentForms, text,
                     target.forge == Forge::github
                         ? "no '#N' (issue or pull request number) at the end"
                         : "no '#N' (issue) or '!N' (merge request) at the end");
  }
  if (rest[mark] == '!') {
    if (target.forge == Forge::github) {
      return malformed(kCommentForms, text, "GitHub pull requests are '#N', not '!N'");
    }
    target.kind = ThreadKind::merge_request;
  }

  // Bare digits (from_chars would take a sign); 18 of them always fit.
  const std::string_view digits = rest.substr(mark + 1);
  const bool bare_digits =
      !digits.empty() && digits.size() <= 18 &&
      std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (bare_digits) std::from_chars(digits.data(), digits.data() + digits.size(), target.number);
  if (target.number == 0) {
    return malformed(kCommentForms, text,
                     fmt::format("'{}' is not a number above 0", escape_for_message(digits)));
  }

  const std::string_view project = rest.substr(0, mark);
  if (auto checked = check_project(kCommentForms, text, target.forge, project); !checked) {
    return std::unexpected(std::move(checked.error()));
  }
  target.project = std::string(project);
  return target;
}

std::string to_string(const Target& target) {
  return fmt::format("{}:{}{}{}", forge_name(target.forge), target.project,
                     target.kind == ThreadKind::merge_request ? '!' : '#', target.number);
}

Result<RepoTarget> parse_repo_target(std::string_view text) {
  auto forge = parse_forge(kRepoForms, text);
  if (!forge) return std::unexpected(std::move(forge.error()));
  const std::string_view project = forge->rest;
  // The dashboard is an issue driftlock finds or opens itself: a thread
  // named here is a `--comment` target given to the wrong flag.
  if (const std::size_t mark = project.find_first_of("#!"); mark != std::string_view::npos) {
    return malformed(kRepoForms, text,
                     fmt::format("'{}' names an issue or merge request; the dashboard takes the "
                                 "repository only",
                                 escape_for_message(project.substr(mark))));
  }
  if (auto checked = check_project(kRepoForms, text, forge->forge, project); !checked) {
    return std::unexpected(std::move(checked.error()));
  }
  return RepoTarget{forge->forge, std::string(project)};
}

std::string to_string(const RepoTarget& target) {
  return fmt::format("{}:{}", forge_name(target.forge), target.project);
}

}  // namespace driftlock::forge
