#include "resolve/requirements.hpp"

#include <map>
#include <string>
#include <utility>

namespace driftlock::resolve {
namespace {

using Key = std::pair<std::string, std::string>;  // ecosystem, canonical name

// The ranges the chosen releases of every package put on each package.
std::map<Key, std::vector<std::string>> required_ranges(const Resolution& resolution,
                                                        EcosystemTable ecosystems) {
  std::map<Key, std::vector<std::string>> out;
  for (const ResolvedDependency& one : resolution.resolved) {
    const Release& chosen = one.selection.chosen_release();
    if (!chosen.requirements) continue;
    const std::string self = canonical_name(ecosystems, one.spec.ecosystem, one.spec.name);
    for (const Requirement& requirement : *chosen.requirements) {
      std::string name = canonical_name(ecosystems, one.spec.ecosystem, requirement.name);
      if (name == self || requirement.range.empty()) continue;
      out[Key{one.spec.ecosystem, std::move(name)}].push_back(requirement.range);
    }
  }
  return out;
}

const std::string& selection_version(const ResolvedDependency& one) {
  return one.selection.chosen_release().version;
}

bool accepts_all(const VersionScheme& scheme, const std::vector<std::string>& ranges,
                 const std::string& version) {
  for (const std::string& range : ranges) {
    auto ok = scheme.satisfies(range, version, Prereleases::include);
    // A range the scheme cannot read (a git URL, an alias) constrains nothing.
    if (ok && !*ok) return false;
  }
  return true;
}

}  // namespace

void keep_transitives_in_range(Resolution& resolution, const Snapshot* baseline,
                               EcosystemTable ecosystems) {
  std::map<Key, std::string> captured;
  if (baseline) {
    for (const Dependency& dependency : baseline->dependencies) {
      captured[Key{dependency.ecosystem, canonical_name(ecosystems, dependency.ecosystem,
                                                        dependency.name)}] = dependency.version;
    }
  }
  // Each pass can only move choices down, so this ends; the bound is a guard.
  for (std::size_t pass = 0; pass <= resolution.resolved.size(); ++pass) {
    const auto ranges = required_ranges(resolution, ecosystems);
    bool moved = false;
    for (ResolvedDependency& one : resolution.resolved) {
      if (!one.spec.transitive) continue;
      const Key key{one.spec.ecosystem,
                    canonical_name(ecosystems, one.spec.ecosystem, one.spec.name)};
      auto it = ranges.find(key);
      if (it == ranges.end()) continue;
      auto lowest = captured.find(key);
      if (lowest != captured.end() && selection_version(one) == lowest->second) continue;
      const Ecosystem* ecosystem = find_ecosystem(ecosystems, one.spec.ecosystem);
      if (ecosystem == nullptr || ecosystem->scheme == nullptr) continue;
      Selection& selection = one.selection;
      if (accepts_all(*ecosystem->scheme, it->second, selection.chosen_release().version)) {
        continue;
      }
      for (std::size_t i = selection.chosen; i-- > 0;) {
        const JudgedRelease& candidate = selection.releases[i];
        // Never below the captured version: that would be a downgrade.
        if (lowest != captured.end() && candidate.release.version == lowest->second) {
          selection.chosen = i;
          moved = true;
          break;
        }
        if (candidate.exclusion != Exclusion::none) continue;
        if (!accepts_all(*ecosystem->scheme, it->second, candidate.release.version)) continue;
        selection.chosen = i;
        moved = true;
        break;
      }
    }
    if (!moved) return;
  }
}

RequirementIndex requirement_index(const Resolution& resolution,
                                   const std::vector<Dependency>& baseline,
                                   EcosystemTable ecosystems) {
  std::map<Key, std::string> before;
  for (const Dependency& dependency : baseline) {
    before[Key{dependency.ecosystem, canonical_name(ecosystems, dependency.ecosystem,
                                                    dependency.name)}] = dependency.version;
  }
  RequirementIndex index(ecosystems);
  for (const ResolvedDependency& one : resolution.resolved) {
    auto was = before.find(
        Key{one.spec.ecosystem, canonical_name(ecosystems, one.spec.ecosystem, one.spec.name)});
    for (std::size_t i = 0; i < one.selection.releases.size(); ++i) {
      const Release& release = one.selection.releases[i].release;
      if (!release.requirements) continue;
      const bool wanted =
          i == one.selection.chosen || (was != before.end() && was->second == release.version);
      if (wanted)
        index.add(one.spec.ecosystem, one.spec.name, release.version, *release.requirements);
    }
  }
  return index;
}

}  // namespace driftlock::resolve
