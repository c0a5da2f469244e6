// The version scheme interface every ecosystem implements (ecosystems/<eco>/version.*).
// Pure: parsing and ordering only, no I/O.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace driftlock {

// Whether pre-release versions may satisfy a range. `exclude` applies the
// ecosystem's own default rule (npm: only when the range names a pre-release of
// the same major.minor.patch; PEP 440: only when a specifier names one).
enum class Prereleases { exclude, include };

class VersionScheme {
 public:
  virtual ~VersionScheme() = default;

  // The ecosystem's name as the manifest spells it: "pypi", "npm", "debian", "oci".
  virtual std::string_view ecosystem() const = 0;

  // The canonical spelling of a valid version; an input error naming the version otherwise.
  virtual Result<std::string> normalize(std::string_view version) const = 0;

  // -1, 0 or 1 as a orders before, equal to or after b.
  virtual Result<int> compare(std::string_view a, std::string_view b) const = 0;

  virtual Result<bool> is_prerelease(std::string_view version) const = 0;

  // Checks a range in the ecosystem's own syntax.
  virtual Result<void> validate_range(std::string_view range) const = 0;

  virtual Result<bool> satisfies(std::string_view range, std::string_view version,
                                 Prereleases prereleases) const = 0;
};

}  // namespace driftlock
