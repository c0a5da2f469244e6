// What a release needs from its own ecosystem, where the registry says so:
// npm's per-version `dependencies`, PyPI's `requires_dist`.
#pragma once

#include <string>
#include <vector>

namespace driftlock {

struct Requirement {
  std::string name;   // as the registry spells it; compared by Ecosystem::canonical_name
  std::string range;  // in the ecosystem's range syntax; empty: any version

  bool operator==(const Requirement&) const = default;
};

using Requirements = std::vector<Requirement>;

}  // namespace driftlock
