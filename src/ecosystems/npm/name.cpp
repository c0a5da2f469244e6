#include "ecosystems/npm/name.hpp"

namespace driftlock::ecosystems::npm {

// Placeholder until the ecosystem's rules land.
Result<void> validate_name(std::string_view name) {
  if (name.empty()) return fail_input("empty package name");
  return {};
}

}  // namespace driftlock::ecosystems::npm
