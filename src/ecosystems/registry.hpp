// The table of ecosystems: adding one is a folder under ecosystems/ plus one line here.
#pragma once

#include "core/ecosystem.hpp"

namespace driftlock::ecosystems {

EcosystemTable all();

}  // namespace driftlock::ecosystems
