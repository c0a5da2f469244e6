#include "resolve/resolver.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <span>

#include "resolve/requirements.hpp"

namespace driftlock::resolve {
namespace {

// Datasource messages usually name the package already; prefix those that do not.
std::string qualified(const DependencySpec& spec, const std::string& message) {
  if (message.find(spec.name) != std::string::npos) return message;
  return fmt::format("{} {}: {}", spec.ecosystem, spec.name, message);
}

// A held entry whose version is a digest holds that artifact, not the
// version: for OCI the version is the tag and drift is the digest, so a
// culprit digest must not block the tag once it moves on. While the registry
// still serves the held digest, the snapshot's pin of the same version stays.
Result<void> keep_off_held_digest(ResolvedDependency& resolved, std::span<const HeldBack> held,
                                  const Snapshot* baseline, const VersionScheme& scheme) {
  Release& chosen = resolved.selection.releases[resolved.selection.chosen].release;
  if (!chosen.digest) return {};
  const bool is_held = std::any_of(held.begin(), held.end(), [&](const HeldBack& entry) {
    return entry.version == *chosen.digest;
  });
  if (!is_held) return {};
  const Dependency* pinned = nullptr;
  if (baseline) {
    for (const Dependency& dependency : baseline->dependencies) {
      if (dependency.ecosystem != resolved.spec.ecosystem ||
          dependency.name != resolved.spec.name) {
        continue;
      }
      auto order = scheme.compare(dependency.version, chosen.version);
      if (order && *order == 0 && dependency.digest) pinned = &dependency;
    }
  }
  if (pinned == nullptr) {
    return std::unexpected(Error{
        ErrorKind::input,
        fmt::format("{} {}: {} is at {}, which the snapshot holds back, and the snapshot pins "
                    "no other digest of it",
                    resolved.spec.ecosystem, resolved.spec.name, chosen.version, *chosen.digest),
        resolved.spec.location});
  }
  resolved.held_digest = *chosen.digest;
  chosen.digest = pinned->digest;
  if (pinned->published) {
    if (auto t = parse_timestamp(*pinned->published)) chosen.published = *t;
  }
  return {};
}

}  // namespace

// A transitive package the registry does not know (installed by the base
// image or another source): it stays at the version the closure captured.
std::optional<ResolvedDependency> keep_captured(const DependencySpec& spec,
                                                const Snapshot* baseline) {
  if (!baseline) return std::nullopt;
  for (const Dependency& d : baseline->dependencies) {
    if (d.ecosystem != spec.ecosystem || d.name != spec.name) continue;
    Release release;
    release.version = d.version;
    release.digest = d.digest;
    if (d.published) {
      if (auto t = parse_timestamp(*d.published)) release.published = *t;
    }
    Selection selection;
    selection.releases.push_back({std::move(release), Exclusion::none});
    selection.newest = 0;
    selection.pinned = true;
    return ResolvedDependency{spec, std::move(selection), false, {}};
  }
  return std::nullopt;
}

std::vector<std::string> Resolution::held_back() const {
  std::vector<std::string> out;
  for (const ResolvedDependency& one : resolved) {
    const Selection& selection = one.selection;
    if (one.held_digest) {
      out.push_back(fmt::format("{} {} {}@{}", one.spec.ecosystem, one.spec.name,
                                selection.chosen_release().version, *one.held_digest));
    }
    for (std::size_t i = selection.chosen + 1; i < selection.releases.size(); ++i) {
      if (selection.releases[i].exclusion != Exclusion::held_back) continue;
      out.push_back(fmt::format("{} {} {}", one.spec.ecosystem, one.spec.name,
                                selection.releases[i].release.version));
    }
  }
  return out;
}

Snapshot Resolution::to_snapshot(const Manifest& manifest, const Snapshot* baseline,
                                 Timestamp now) const {
  Snapshot snapshot;
  snapshot.image = manifest.image;
  snapshot.created = format_timestamp(now);
  for (const ResolvedDependency& one : resolved) {
    snapshot.dependencies.push_back(to_dependency(one.spec, one.selection.chosen_release()));
  }
  if (baseline) snapshot.held = baseline->held;
  return snapshot;
}

Result<Resolution> resolve_manifest(const Manifest& manifest, const Snapshot* baseline,
                                    SourceFactory& sources, EcosystemTable ecosystems,
                                    const ResolveOptions& options) {
  std::map<std::string, std::vector<DependencySpec>, std::less<>> by_ecosystem;
  for (const DependencySpec& spec : manifest.dependencies) {
    by_ecosystem[spec.ecosystem].push_back(spec);
  }

  Resolution resolution;
  for (auto& [ecosystem_name, specs] : by_ecosystem) {
    const Ecosystem* ecosystem = find_ecosystem(ecosystems, ecosystem_name);
    if (ecosystem == nullptr) {
      return fail_input(fmt::format("unknown ecosystem '{}'", ecosystem_name));
    }
    auto source = sources.make(ecosystem_name, manifest, specs);
    if (!source) return std::unexpected(std::move(source.error()));

    std::vector<std::string> names;
    names.reserve(specs.size());
    for (const DependencySpec& spec : specs) names.push_back(spec.name);
    if (options.on_fetch) options.on_fetch(ecosystem_name, names.size());
    std::vector<Result<PackageReleases>> fetched = (*source)->fetch(names, options.times);

    for (std::size_t i = 0; i < specs.size(); ++i) {
      const DependencySpec& spec = specs[i];
      // A transitive package the registry cannot give a release for stays as
      // captured; a registry that is down still fails the resolution.
      auto keep_or_fail = [&](Error error) {
        if (spec.transitive && error.kind == ErrorKind::input) {
          if (auto kept = keep_captured(spec, baseline)) {
            resolution.notes.push_back(
                fmt::format("{} {} (transitive) kept at {} as captured: {}", spec.ecosystem,
                            spec.name, kept->selection.chosen_release().version, error.message));
            resolution.resolved.push_back(std::move(*kept));
            return;
          }
        }
        resolution.failures.push_back({spec.ecosystem, spec.name, std::move(error)});
      };
      if (!fetched[i]) {
        Error error = std::move(fetched[i].error());
        error.message = qualified(spec, error.message);
        keep_or_fail(std::move(error));
        continue;
      }
      std::vector<HeldBack> held;
      if (baseline) {
        for (const HeldBack& entry : baseline->held) {
          if (entry.ecosystem == spec.ecosystem && entry.name == spec.name) held.push_back(entry);
        }
      }
      PolicyContext context{*ecosystem->scheme, options.policy, options.now, held};
      auto selection = select_release(spec, *fetched[i], context);
      if (!selection) {
        keep_or_fail(std::move(selection.error()));
        continue;
      }
      ResolvedDependency resolved{spec, std::move(*selection), fetched[i]->has_publish_times, {}};
      if (auto kept = keep_off_held_digest(resolved, held, baseline, *ecosystem->scheme); !kept) {
        resolution.failures.push_back({spec.ecosystem, spec.name, std::move(kept.error())});
        continue;
      }
      resolution.resolved.push_back(std::move(resolved));
    }
  }
  keep_transitives_in_range(resolution, baseline, ecosystems);
  return resolution;
}

ErrorKind failure_kind(const std::vector<DependencyFailure>& failures) {
  for (const DependencyFailure& failure : failures) {
    if (failure.error.kind == ErrorKind::infrastructure) return ErrorKind::infrastructure;
  }
  return ErrorKind::input;
}

Error summarize_failures(const std::vector<DependencyFailure>& failures) {
  std::string message =
      fmt::format("{} {} could not be resolved; nothing was written", failures.size(),
                  failures.size() == 1 ? "dependency" : "dependencies");
  for (const DependencyFailure& failure : failures) {
    const auto& where = failure.error.location;
    message += where ? fmt::format("\n  {}:{}:{}: {}", where->path, where->line, where->column,
                                   failure.error.message)
                     : "\n  " + failure.error.message;
  }
  return Error{failure_kind(failures), std::move(message), std::nullopt};
}

}  // namespace driftlock::resolve
