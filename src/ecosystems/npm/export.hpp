// The npm export, npm-pins.json: exact npm pins: a JSON object {"name": "version"} with sorted
// keys, for package.json "overrides" or "dependencies". Also DRIFTLOCK_NPM_<NAME>=version variables
// (core/exporter.hpp).
#pragma once

#include "core/exporter.hpp"

namespace driftlock::ecosystems::npm {

const Exporter& exporter();

}  // namespace driftlock::ecosystems::npm
