// The debian export, apt-pins.txt: apt pins: one 'name=version' line per package, sorted by name
// (apt-get install $(cat apt-pins.txt)). Also DRIFTLOCK_APT_<NAME>=version variables
// (core/exporter.hpp).
#pragma once

#include "core/exporter.hpp"

namespace driftlock::ecosystems::debian {

const Exporter& exporter();

}  // namespace driftlock::ecosystems::debian
