// TODO(helper): the pypi version scheme.
#pragma once

#include "core/version_scheme.hpp"

namespace driftlock::ecosystems::pypi {

const VersionScheme& version_scheme();

}  // namespace driftlock::ecosystems::pypi
