#include "forge/target.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "core/suggest.hpp"
#include "core/text.hpp"

namespace driftlock::forge {
namespace {

constexpr std::string_view kForms =
    "expected github:OWNER/REPO#N, gitlab:GROUP/PROJECT#N or gitlab:GROUP/PROJECT!N";

std::unexpected<Error> malformed(std::string_view text, std::string_view reason) {
  return fail(ErrorKind::usage,
              fmt::format("--comment '{}': {}; {}", escape_for_message(text), reason, kForms));
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

}  // namespace

std::string_view forge_name(Forge forge) {
  return forge == Forge::github ? "github" : "gitlab";
}

Result<Target> parse_target(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) return malformed(text, "no forge ('github:' or 'gitlab:')");
  const std::string_view name = text.substr(0, colon);
  Target target;
  if (name == "github") {
    target.forge = Forge::github;
  } else if (name == "gitlab") {
    target.forge = Forge::gitlab;
  } else {
    constexpr std::array<std::string_view, 2> names = {"github", "gitlab"};
    return malformed(text, fmt::format("unknown forge '{}'{}", escape_for_message(name),
                                       did_you_mean(name, names)));
  }

  const std::string_view rest = text.substr(colon + 1);
  const std::size_t mark = rest.find_last_of("#!");
  if (mark == std::string_view::npos) {
    return malformed(text, target.forge == Forge::github
                               ? "no '#N' (issue or pull request number) at the end"
                               : "no '#N' (issue) or '!N' (merge request) at the end");
  }
  if (rest[mark] == '!') {
    if (target.forge == Forge::github) {
      return malformed(text, "GitHub pull requests are '#N', not '!N'");
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
    return malformed(text, fmt::format("'{}' is not a number above 0", escape_for_message(digits)));
  }

  const std::string_view project = rest.substr(0, mark);
  if (target.forge == Forge::github && count_segments(project) != 2) {
    return malformed(text, fmt::format("'{}' is not OWNER/REPO", escape_for_message(project)));
  }
  if (target.forge == Forge::gitlab && count_segments(project) < 2) {
    return malformed(text, fmt::format("'{}' is not GROUP/PROJECT", escape_for_message(project)));
  }
  if (!all_segments_valid(project)) {
    return malformed(text, fmt::format("'{}' is not a project path (letters, digits, '.', '_' "
                                       "and '-' between slashes)",
                                       escape_for_message(project)));
  }
  target.project = std::string(project);
  return target;
}

std::string to_string(const Target& target) {
  return fmt::format("{}:{}{}{}", forge_name(target.forge), target.project,
                     target.kind == ThreadKind::merge_request ? '!' : '#', target.number);
}

}  // namespace driftlock::forge
