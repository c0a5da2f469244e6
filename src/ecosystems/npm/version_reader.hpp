// Turning version text into a Version, shared by versions and comparators
// (internal to npm/).
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "ecosystems/npm/version.hpp"

namespace driftlock::ecosystems::npm {

enum class VersionProblem {
  syntax,     // not a version at all
  too_long,   // over kMaxVersionLength JavaScript characters
  too_large,  // a major, minor or patch over kMaxSafeInteger
};

// node-semver's SemVer constructor: the length check, then String#trim, then
// the strict or loose grammar, then the number limits.
std::expected<Version, VersionProblem> read_version(std::string_view text, Parsing parsing);

// "invalid npm version 'TEXT'" plus the reason, for parse_version's errors.
std::string version_problem_message(std::string_view text, VersionProblem problem);

}  // namespace driftlock::ecosystems::npm
