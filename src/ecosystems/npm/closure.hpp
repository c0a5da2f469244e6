// The npm closure: the JSON tree of `npm ls --all --json` (or `--long`),
// flattened to one version per package.
#pragma once

#include <string_view>

#include "core/closure.hpp"

namespace driftlock::ecosystems::npm {

// Every package once, at the version of its shallowest copy (breadth-first);
// `via` names the packages whose dependencies include it (the project itself
// is not named, so top-level packages required by nothing else have none).
// A package installed from elsewhere than a registry (`resolved` a file:,
// link: or git URL) is skipped, its dependencies still read. A package marked
// missing, or without a version, is an error naming it and its line;
// extraneous and invalid ones are installed, so they count.
Result<ClosureListing> parse_closure(std::string_view listing);

}  // namespace driftlock::ecosystems::npm
