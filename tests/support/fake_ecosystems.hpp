// A fake ecosystem table for core tests: versions are dotted numbers ("1.10.2"),
// ranges are "*" or ">=V"; names are lower-case letters, digits and '-'.
// Keeps core tests independent of the real schemes.
#pragma once

#include "core/ecosystem.hpp"

namespace driftlock::testing {

EcosystemTable fake_ecosystems();

}  // namespace driftlock::testing
