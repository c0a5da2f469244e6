// TODO(helper): the oci version scheme.
#pragma once

#include "core/version_scheme.hpp"

namespace driftlock::ecosystems::oci {

const VersionScheme& version_scheme();

}  // namespace driftlock::ecosystems::oci
