// Package-name rules of the npm ecosystem.
#pragma once

#include <string_view>

#include "core/error.hpp"

namespace driftlock::ecosystems::npm {

// An input error naming the package when `name` is not a valid npm name.
Result<void> validate_name(std::string_view name);

}  // namespace driftlock::ecosystems::npm
