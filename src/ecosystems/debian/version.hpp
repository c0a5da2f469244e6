// TODO(helper): the debian version scheme.
#pragma once

#include "core/version_scheme.hpp"

namespace driftlock::ecosystems::debian {

const VersionScheme& version_scheme();

}  // namespace driftlock::ecosystems::debian
