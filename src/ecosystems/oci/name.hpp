// Package-name rules of the oci ecosystem.
#pragma once

#include <string_view>

#include "core/error.hpp"

namespace driftlock::ecosystems::oci {

// An input error naming the package when `name` is not a valid oci name.
Result<void> validate_name(std::string_view name);

}  // namespace driftlock::ecosystems::oci
