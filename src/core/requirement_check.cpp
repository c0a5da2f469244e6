#include "core/requirement_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace driftlock {

std::string canonical_name(EcosystemTable ecosystems, std::string_view ecosystem,
                           std::string_view name) {
  const Ecosystem* entry = find_ecosystem(ecosystems, ecosystem);
  if (entry == nullptr || entry->canonical_name == nullptr) return std::string(name);
  return entry->canonical_name(name);
}

void RequirementIndex::add(std::string_view ecosystem, std::string_view name,
                           std::string_view version, Requirements requirements) {
  for (Requirement& requirement : requirements) {
    requirement.name = canonical_name(m_ecosystems, ecosystem, requirement.name);
  }
  m_known.insert_or_assign(
      std::tuple(std::string(ecosystem), canonical_name(m_ecosystems, ecosystem, name),
                 std::string(version)),
      std::move(requirements));
}

const Requirements* RequirementIndex::find(std::string_view ecosystem, std::string_view name,
                                           std::string_view version) const {
  auto it = m_known.find(std::tuple(
      std::string(ecosystem), canonical_name(m_ecosystems, ecosystem, name), std::string(version)));
  return it == m_known.end() ? nullptr : &it->second;
}

RequirementCheck::RequirementCheck(EcosystemTable ecosystems,
                                   const std::vector<Dependency>& baseline,
                                   const std::vector<Change>& changes, RequirementIndex index)
    : m_ecosystems(ecosystems) {
  std::map<std::pair<std::string, std::string>, std::size_t> by_name;
  auto package_for = [&](const std::string& ecosystem, const std::string& name) -> Package& {
    auto key = std::pair(ecosystem, canonical_name(ecosystems, ecosystem, name));
    auto [it, added] = by_name.try_emplace(std::move(key), m_packages.size());
    if (added) m_packages.push_back(Package{ecosystem, name, {}, {}, {}});
    return m_packages[it->second];
  };
  for (const Dependency& dependency : baseline) {
    Package& package = package_for(dependency.ecosystem, dependency.name);
    package.before = package.after = dependency.version;
  }
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const Change& change = changes[i];
    Package& package = package_for(change.ecosystem, change.name);
    package.before = change.before ? std::optional(change.before->version) : std::nullopt;
    package.after = change.after ? std::optional(change.after->version) : std::nullopt;
    package.change = i;
  }

  for (std::size_t from = 0; from < m_packages.size(); ++from) {
    const Package& package = m_packages[from];
    std::vector<std::string> versions;
    if (package.before) versions.push_back(*package.before);
    if (package.after && package.after != package.before) versions.push_back(*package.after);
    for (const std::string& version : versions) {
      const Requirements* requirements = index.find(package.ecosystem, package.name, version);
      if (requirements == nullptr) continue;
      for (const Requirement& requirement : *requirements) {
        auto target = by_name.find(std::pair(package.ecosystem, requirement.name));
        if (target == by_name.end() || target->second == from) continue;
        // Between two packages that never change, nothing a subset does
        // can break the requirement.
        if (!package.change && !m_packages[target->second].change) continue;
        m_edges.push_back(Edge{from, target->second, requirement, version});
      }
    }
  }
}

std::optional<std::string> RequirementCheck::version_in(const Package& package,
                                                        const std::vector<bool>& applied) const {
  return package.change && applied[*package.change] ? package.after : package.before;
}

std::optional<std::string> RequirementCheck::conflict(
    const std::vector<std::size_t>& subset) const {
  if (m_edges.empty()) return std::nullopt;
  std::size_t changes = 0;
  for (const Package& package : m_packages) {
    if (package.change) changes = std::max(changes, *package.change + 1);
  }
  std::vector<bool> applied(changes, false);
  for (std::size_t i : subset) {
    if (i < applied.size()) applied[i] = true;
  }
  for (const Edge& edge : m_edges) {
    const Package& from = m_packages[edge.from];
    const Package& to = m_packages[edge.to];
    if (version_in(from, applied) != edge.from_version) continue;
    const std::optional<std::string> version = version_in(to, applied);
    // The same pair in the baseline or in the full candidate is what the
    // installer was (or will be) asked for anyway.
    const bool in_baseline = from.before == edge.from_version && to.before == version;
    const bool in_full = from.after == edge.from_version && to.after == version;
    if (in_baseline || in_full) continue;
    const Ecosystem* ecosystem = find_ecosystem(m_ecosystems, from.ecosystem);
    if (ecosystem == nullptr || ecosystem->scheme == nullptr) continue;
    if (version && !edge.requirement.range.empty()) {
      auto ok =
          ecosystem->scheme->satisfies(edge.requirement.range, *version, Prereleases::include);
      // A range the scheme cannot read (a git URL, an alias) says nothing.
      if (!ok || *ok) continue;
    } else if (version) {
      continue;
    }
    const std::string wanted = edge.requirement.range.empty()
                                   ? to.name
                                   : fmt::format("{} {}", to.name, edge.requirement.range);
    const std::string would = !version               ? "would not be installed"
                              : version == to.before ? fmt::format("would stay at {}", *version)
                                                     : fmt::format("would be {}", *version);
    return fmt::format("{} {} {} requires {}, which {}", from.ecosystem, from.name,
                       edge.from_version, wanted, would);
  }
  return std::nullopt;
}

}  // namespace driftlock
