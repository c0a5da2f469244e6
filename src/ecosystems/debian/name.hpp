// Package-name rules of the debian ecosystem.
#pragma once

#include <string_view>

#include "core/error.hpp"

namespace driftlock::ecosystems::debian {

// An input error naming the package when `name` is not a valid Debian binary
// package name (Debian Policy 5.6.1; no `:arch` qualifier).
Result<void> validate_name(std::string_view name);

}  // namespace driftlock::ecosystems::debian
