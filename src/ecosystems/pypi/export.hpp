// The pypi export, constraints.txt: pip's constraints file: one 'name==version' line per package,
// sorted by name (pip install -c constraints.txt). Also DRIFTLOCK_PIP_<NAME>=version variables
// (core/exporter.hpp).
#pragma once

#include "core/exporter.hpp"

namespace driftlock::ecosystems::pypi {

const Exporter& exporter();

}  // namespace driftlock::ecosystems::pypi
