// The registry's requirements in resolution: a package nobody named moves
// only within the ranges the packages that require it accept, and the
// culprit search gets the requirements of the versions it pairs.
#pragma once

#include <vector>

#include "core/dependency.hpp"
#include "core/ecosystem.hpp"
#include "core/requirement_check.hpp"
#include "core/snapshot.hpp"
#include "resolve/resolver.hpp"

namespace driftlock::resolve {

// Moves each transitive dependency's choice down to the newest allowed
// release that every other chosen release's known requirements accept
// (repeated until nothing moves, as a lower choice requires other things).
// A dependency no allowed release satisfies is left as chosen: only a build
// can tell what the installer makes of it. Nothing moves below the version
// `baseline` pins. Direct dependencies follow the manifest's ranges alone.
void keep_transitives_in_range(Resolution& resolution, const Snapshot* baseline,
                               EcosystemTable ecosystems);

// The requirements the registry gave for each dependency's chosen release
// and for its version in `baseline`.
RequirementIndex requirement_index(const Resolution& resolution,
                                   const std::vector<Dependency>& baseline,
                                   EcosystemTable ecosystems);

}  // namespace driftlock::resolve
