// Package-name rules of the pypi ecosystem.
#pragma once

#include <string_view>

#include "core/error.hpp"

namespace driftlock::ecosystems::pypi {

// An input error naming the package when `name` is not a valid pypi name.
Result<void> validate_name(std::string_view name);

}  // namespace driftlock::ecosystems::pypi
