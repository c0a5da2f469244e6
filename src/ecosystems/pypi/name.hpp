// Package-name rules of the pypi ecosystem.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace driftlock::ecosystems::pypi {

// Longest name accepted; PEP 508 sets no limit, this keeps junk out of URLs.
inline constexpr std::size_t kMaxNameLength = 200;

// An input error naming the package when `name` is not a valid pypi name
// (PEP 508: letters, digits, '.', '_' and '-', starting and ending with a
// letter or digit). Extras such as "Twisted[tls]" are not part of a name.
Result<void> validate_name(std::string_view name);

// The PEP 503 normalized form, under which two spellings are the same
// project: lower case, every run of '-', '_' and '.' becomes one '-'.
std::string normalize_name(std::string_view name);

}  // namespace driftlock::ecosystems::pypi
