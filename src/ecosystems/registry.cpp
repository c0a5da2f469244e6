#include "ecosystems/registry.hpp"

#include <array>

#include "ecosystems/debian/version.hpp"
#include "ecosystems/npm/version.hpp"
#include "ecosystems/oci/version.hpp"
#include "ecosystems/pypi/version.hpp"

namespace driftlock::ecosystems {

EcosystemTable all() {
  // Sorted by name: snapshots order entries by (ecosystem, name).
  static const std::array<Ecosystem, 4> table = {
      Ecosystem{"debian", &debian::version_scheme()},
      Ecosystem{"npm", &npm::version_scheme()},
      Ecosystem{"oci", &oci::version_scheme()},
      Ecosystem{"pypi", &pypi::version_scheme()},
  };
  return table;
}

}  // namespace driftlock::ecosystems
