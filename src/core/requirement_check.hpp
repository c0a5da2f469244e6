// The check that keeps a candidate from pairing a package with a version of another
// that it does not accept: such a candidate would not install (pip) or would
// not be the closure the snapshot records (npm would nest another copy).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/dependency.hpp"
#include "core/diff.hpp"
#include "core/ecosystem.hpp"
#include "core/requirement.hpp"

namespace driftlock {

// The requirements known per (ecosystem, name, version); names canonical.
class RequirementIndex {
 public:
  explicit RequirementIndex(EcosystemTable ecosystems = {}) : m_ecosystems(ecosystems) {}

  void add(std::string_view ecosystem, std::string_view name, std::string_view version,
           Requirements requirements);
  // nullptr when the registry did not say (unknown, not "none").
  const Requirements* find(std::string_view ecosystem, std::string_view name,
                           std::string_view version) const;
  bool empty() const { return m_known.empty(); }

 private:
  EcosystemTable m_ecosystems;
  std::map<std::tuple<std::string, std::string, std::string>, Requirements, std::less<>> m_known;
};

// The canonical form of `name` in `ecosystem` (PyPI: PEP 503); `name` itself
// where the ecosystem has no such rule.
std::string canonical_name(EcosystemTable ecosystems, std::string_view ecosystem,
                           std::string_view name);

// Decides, before anything is built, whether a subset of the changes pairs a
// package with a version of another outside the range it requires, where the
// full candidate (every change) keeps that requirement. Pairs the full
// candidate breaks too are left to the installer: the resolution chose them,
// and only a build can say what the installer makes of them.
class RequirementCheck {
 public:
  RequirementCheck() = default;
  RequirementCheck(EcosystemTable ecosystems, const std::vector<Dependency>& baseline,
                   const std::vector<Change>& changes, RequirementIndex index);

  // Why `subset` (sorted indices into the changes) cannot be a candidate:
  // "npm hx-alpha 2.0.0 requires hx-lib ^2.0.0, which would stay at 1.0.0";
  // nullopt when nothing known rules it out.
  std::optional<std::string> conflict(const std::vector<std::size_t>& subset) const;

 private:
  struct Package {
    std::string ecosystem, name;               // name as the snapshot spells it
    std::optional<std::string> before, after;  // absent: not installed
    std::optional<std::size_t> change;         // index into the changes
  };
  // A requirement edge that the full candidate satisfies, between two
  // packages of which at least one changes.
  struct Edge {
    std::size_t from = 0, to = 0;  // indices into m_packages
    Requirement requirement;
    std::string from_version;  // the version of `from` that requires it
  };
  std::optional<std::string> version_in(const Package& package,
                                        const std::vector<bool>& applied) const;

  EcosystemTable m_ecosystems;
  std::vector<Package> m_packages;
  std::vector<Edge> m_edges;
};

}  // namespace driftlock
