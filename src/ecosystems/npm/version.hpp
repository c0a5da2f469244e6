// TODO(helper): the npm version scheme.
#pragma once

#include "core/version_scheme.hpp"

namespace driftlock::ecosystems::npm {

const VersionScheme& version_scheme();

}  // namespace driftlock::ecosystems::npm
