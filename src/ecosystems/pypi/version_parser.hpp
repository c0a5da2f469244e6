// Internal to the pypi scheme: the hand-written PEP 440 parser that version.cpp
// and specifier.cpp share.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecosystems/pypi/version.hpp"

namespace driftlock::ecosystems::pypi::detail {

// The longest prefix of `text` that forms a version (no whitespace skipped).
struct VersionPrefix {
  Version version;
  std::size_t end = 0;       // bytes consumed; == text.size() when all of it is a version
  bool has_release = false;  // false: not even a release number was found
};

VersionPrefix parse_version_prefix(std::string_view text);

// Why `text` (already stripped, not a version) is invalid, e.g. "unexpected '..0'".
std::string invalid_version_reason(std::string_view text, const VersionPrefix& prefix);

// `text` as a whole version, no whitespace allowed; nullopt with `reason` set when invalid.
std::optional<Version> parse_version_exact(std::string_view text, std::string& reason);

// Orders two numbers kept as digits without leading zeros.
int compare_numbers(std::string_view a, std::string_view b);

// Orders two release segments; trailing zeros do not count (1.0 == 1.0.0).
int compare_release(const std::vector<std::string>& a, const std::vector<std::string>& b);

}  // namespace driftlock::ecosystems::pypi::detail
