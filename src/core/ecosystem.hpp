// The table entry through which core reaches an ecosystem without naming it.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/closure.hpp"
#include "core/version_scheme.hpp"

namespace driftlock {

class Exporter;  // core/exporter.hpp

struct Ecosystem {
  std::string_view name;  // "pypi", "npm", "debian", "oci"
  const VersionScheme* scheme = nullptr;
  // Checks a package name (or image reference) against the ecosystem's naming
  // rules, so registry data and manifest typos never reach a URL or a shell.
  Result<void> (*validate_name)(std::string_view name) = nullptr;
  // Writes a resolved set as the ecosystem's installer reads it; nullptr when
  // the ecosystem has no export (candidate folders then lack its file).
  const Exporter* exporter = nullptr;
  // Reads the installer's listing of everything installed (the closure,
  // core/closure.hpp); nullptr when the ecosystem has none (oci).
  ClosureParser parse_closure = nullptr;
  // The form under which two spellings of a name are the same package (PyPI:
  // PEP 503); nullptr where names are compared as spelt.
  std::string (*canonical_name)(std::string_view name) = nullptr;
};

using EcosystemTable = std::span<const Ecosystem>;

// The entry called `name`, or nullptr.
const Ecosystem* find_ecosystem(EcosystemTable table, std::string_view name);

}  // namespace driftlock
