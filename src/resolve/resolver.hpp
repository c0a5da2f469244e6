// Resolution: every dependency of a manifest to the release the policy
// chooses, one concurrent fetch per ecosystem. Failures are collected per
// dependency, never turned into "no change": a caller writes nothing unless
// every dependency resolved.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "core/datasource.hpp"
#include "core/ecosystem.hpp"
#include "core/error.hpp"
#include "core/manifest.hpp"
#include "core/policy.hpp"
#include "core/snapshot.hpp"
#include "resolve/sources.hpp"

namespace driftlock::resolve {

struct ResolvedDependency {
  DependencySpec spec;
  Selection selection;
  bool has_publish_times = true;
  // The registry's digest for the chosen version when the snapshot holds
  // that digest back (an OCI tag that moved to a culprit): the selection
  // then carries the snapshot's digest instead, so nothing drifts.
  std::optional<std::string> held_digest;
};

struct DependencyFailure {
  std::string ecosystem;
  std::string name;
  Error error;
};

struct Resolution {
  std::vector<ResolvedDependency> resolved;  // sorted by (ecosystem, name)
  std::vector<DependencyFailure> failures;   // sorted by (ecosystem, name)
  // Problems that changed no result: a transitive package the registry does
  // not serve (from the base image, say), kept at its captured version.
  std::vector<std::string> notes;

  bool complete() const { return failures.empty(); }
  // What the snapshot's held entries keep out of this resolution: "oci base
  // stable@sha256:…" for a held digest, "pypi dl-calc 2.0.0" for a held
  // release newer than the one chosen.
  std::vector<std::string> held_back() const;
  // The resolved set in snapshot form: `image`, `created` = now, the
  // dependencies, and the baseline's held entries (nothing is held by
  // resolving).
  Snapshot to_snapshot(const Manifest& manifest, const Snapshot* baseline, Timestamp now) const;
};

struct ResolveOptions {
  PolicySettings policy;  // the manifest's, with --as-of applied
  PublishTimes times = PublishTimes::not_needed;
  Timestamp now{};
  // Called before each ecosystem's fetch, with how many names it asks for.
  std::function<void(std::string_view ecosystem, std::size_t names)> on_fetch;
};

Result<Resolution> resolve_manifest(const Manifest& manifest, const Snapshot* baseline,
                                    SourceFactory& sources, EcosystemTable ecosystems,
                                    const ResolveOptions& options);

// The exit-code kind of a set of failures: infrastructure when any is, else input.
ErrorKind failure_kind(const std::vector<DependencyFailure>& failures);

// One line per failure, "npm lodash: reason", for the top-level handler.
Error summarize_failures(const std::vector<DependencyFailure>& failures);

}  // namespace driftlock::resolve
