#include "ecosystems/registry.hpp"

#include <array>

#include "ecosystems/debian/closure.hpp"
#include "ecosystems/debian/export.hpp"
#include "ecosystems/debian/name.hpp"
#include "ecosystems/debian/version.hpp"
#include "ecosystems/npm/closure.hpp"
#include "ecosystems/npm/export.hpp"
#include "ecosystems/npm/name.hpp"
#include "ecosystems/npm/version.hpp"
#include "ecosystems/oci/export.hpp"
#include "ecosystems/oci/name.hpp"
#include "ecosystems/oci/version.hpp"
#include "ecosystems/pypi/closure.hpp"
#include "ecosystems/pypi/export.hpp"
#include "ecosystems/pypi/name.hpp"
#include "ecosystems/pypi/version.hpp"

namespace driftlock::ecosystems {

EcosystemTable all() {
  // Sorted by name: snapshots order entries by (ecosystem, name).
  static const std::array<Ecosystem, 4> table = {
      Ecosystem{"debian", &debian::version_scheme(), &debian::validate_name, &debian::exporter(),
                &debian::parse_closure},
      Ecosystem{"npm", &npm::version_scheme(), &npm::validate_name, &npm::exporter(),
                &npm::parse_closure},
      Ecosystem{"oci", &oci::version_scheme(), &oci::validate_name, &oci::exporter()},
      Ecosystem{"pypi", &pypi::version_scheme(), &pypi::validate_name, &pypi::exporter(),
                &pypi::parse_closure, &pypi::normalize_name},
  };
  return table;
}

}  // namespace driftlock::ecosystems
