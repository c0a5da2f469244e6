#include "core/policy.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.hpp"

namespace driftlock {
namespace {

std::string dependency_label(const DependencySpec& spec) {
  return fmt::format("{} {}", spec.ecosystem, spec.name);
}

// node-semver's MAX_LENGTH, applied to every scheme: a longer version is
// registry abuse (a 100 kB "version" would land in the snapshot, the
// reports and the build's files), not a release anyone installs.
constexpr std::size_t kMaxVersionLength = 256;

// Releases whose version the scheme cannot read are dropped: registries carry
// odd historic entries, and no range can select them anyway.
std::vector<JudgedRelease> parsable_sorted(const PackageReleases& releases,
                                           const VersionScheme& scheme) {
  std::vector<JudgedRelease> kept;
  kept.reserve(releases.releases.size());
  for (const Release& release : releases.releases) {
    if (release.version.size() > kMaxVersionLength) continue;
    if (scheme.normalize(release.version)) kept.push_back({release, Exclusion::none});
  }
  std::stable_sort(kept.begin(), kept.end(), [&](const JudgedRelease& a, const JudgedRelease& b) {
    auto order = scheme.compare(a.release.version, b.release.version);
    return order && *order < 0;
  });
  return kept;
}

// A snapshot culprit keeps exactly its version out: the releases around it
// were not shown to break anything, and a newer release may carry the fix.
bool is_held_back(const Release& release, const PolicyContext& context) {
  for (const HeldBack& held : context.held) {
    auto order = context.scheme.compare(release.version, held.version);
    if (order && *order == 0) return true;
  }
  return false;
}

Result<Exclusion> judge(const DependencySpec& spec, const Release& release,
                        const PackageReleases& releases, const PolicyContext& context) {
  const Prereleases prereleases = spec.prereleases.value_or(context.policy.prereleases);
  auto in_range = context.scheme.satisfies(spec.range, release.version, prereleases);
  if (!in_range) return std::unexpected(std::move(in_range.error()));
  if (!*in_range) return Exclusion::outside_range;
  if (release.yanked) return Exclusion::yanked;
  const auto& as_of = context.policy.as_of;
  if (releases.has_publish_times) {
    if ((as_of || context.policy.min_age.count() > 0) && !release.published) {
      return Exclusion::no_publish_time;
    }
    if (as_of && *release.published > *as_of) return Exclusion::after_as_of;
    const Timestamp reference = as_of.value_or(context.now);
    if (context.policy.min_age.count() > 0 &&
        *release.published > reference - context.policy.min_age) {
      return Exclusion::too_young;
    }
  }
  if (is_held_back(release, context)) return Exclusion::held_back;
  return Exclusion::none;
}

std::string explain_exclusion(const JudgedRelease& judged, const PolicyContext& context) {
  const std::string version = escape_for_message(judged.release.version, 64);
  switch (judged.exclusion) {
    case Exclusion::yanked:
      return fmt::format("{} is yanked", version);
    case Exclusion::after_as_of:
      return fmt::format("{} was published after {}", version,
                         format_timestamp(*context.policy.as_of));
    case Exclusion::too_young:
      return fmt::format("{} is younger than min-age {}", version,
                         format_duration(context.policy.min_age));
    case Exclusion::no_publish_time:
      return fmt::format("{} has no publish time", version);
    case Exclusion::held_back:
      return fmt::format("{} is held back by the snapshot", version);
    case Exclusion::outside_range:
    case Exclusion::none:
      break;
  }
  return version;
}

Error nothing_allowed(const DependencySpec& spec, const Selection& selection,
                      const PolicyContext& context) {
  std::vector<std::string> reasons;
  for (auto it = selection.releases.rbegin(); it != selection.releases.rend(); ++it) {
    if (it->exclusion == Exclusion::outside_range) continue;
    if (reasons.size() == 3) {
      reasons.push_back("...");
      break;
    }
    reasons.push_back(explain_exclusion(*it, context));
  }
  const std::string range = escape_for_message(spec.range, 100);
  if (reasons.empty()) {
    if (selection.releases.empty()) {
      return Error{ErrorKind::input,
                   fmt::format("{}: the registry lists no release", dependency_label(spec)),
                   spec.location};
    }
    return Error{
        ErrorKind::input,
        fmt::format("{}: no release satisfies '{}' (newest release: {})", dependency_label(spec),
                    range, escape_for_message(selection.releases.back().release.version, 64)),
        spec.location};
  }
  return Error{ErrorKind::input,
               fmt::format("{}: no release in '{}' is allowed: {}", dependency_label(spec), range,
                           fmt::join(reasons, ", ")),
               spec.location};
}

}  // namespace

std::string_view to_string(Exclusion exclusion) {
  switch (exclusion) {
    case Exclusion::none:
      return "allowed";
    case Exclusion::outside_range:
      return "outside the range";
    case Exclusion::yanked:
      return "yanked";
    case Exclusion::after_as_of:
      return "after as-of";
    case Exclusion::too_young:
      return "younger than min-age";
    case Exclusion::no_publish_time:
      return "no publish time";
    case Exclusion::held_back:
      return "held back";
  }
  return "allowed";
}

Result<Selection> select_release(const DependencySpec& spec, const PackageReleases& releases,
                                 const PolicyContext& context) {
  if (context.policy.as_of && !releases.has_publish_times && !spec.hold) {
    return std::unexpected(
        Error{ErrorKind::input,
              fmt::format("{}: as-of needs publish times, and this registry does not give them; "
                          "hold the dependency at a version to resolve it as of {}",
                          dependency_label(spec), format_timestamp(*context.policy.as_of)),
              spec.location});
  }

  Selection selection;
  selection.releases = parsable_sorted(releases, context.scheme);
  for (JudgedRelease& judged : selection.releases) {
    auto exclusion = judge(spec, judged.release, releases, context);
    if (!exclusion) return std::unexpected(std::move(exclusion.error()));
    judged.exclusion = *exclusion;
  }

  // Newest allowed, preferring releases that are not deprecated.
  std::optional<std::size_t> newest_any;
  for (std::size_t i = selection.releases.size(); i-- > 0;) {
    const JudgedRelease& judged = selection.releases[i];
    if (judged.exclusion != Exclusion::none) continue;
    if (!newest_any) newest_any = i;
    if (!judged.release.deprecated) {
      selection.newest = i;
      break;
    }
  }
  if (!selection.newest) selection.newest = newest_any;

  if (spec.hold) {
    for (std::size_t i = 0; i < selection.releases.size(); ++i) {
      auto order = context.scheme.compare(selection.releases[i].release.version, *spec.hold);
      if (order && *order == 0) {
        selection.chosen = i;
        selection.pinned = true;
        return selection;
      }
    }
    return std::unexpected(
        Error{ErrorKind::input,
              fmt::format("{}: the held version {} is not in the registry", dependency_label(spec),
                          escape_for_message(*spec.hold, 64)),
              spec.location});
  }

  if (!selection.newest) return std::unexpected(nothing_allowed(spec, selection, context));
  selection.chosen = *selection.newest;
  return selection;
}

Dependency to_dependency(const DependencySpec& spec, const Release& release) {
  Dependency dependency;
  dependency.ecosystem = spec.ecosystem;
  dependency.name = spec.name;
  dependency.version = release.version;
  dependency.digest = release.digest;
  if (release.published) dependency.published = format_timestamp(*release.published);
  dependency.transitive = spec.transitive;
  return dependency;
}

}  // namespace driftlock
