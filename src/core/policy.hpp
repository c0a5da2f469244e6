// The resolution policy, once for every ecosystem: which of a package's
// releases a dependency may move to, and which one it moves to. Pure: the
// releases come from a Datasource, the ordering from the ecosystem's scheme.
//
// A release is allowed when, in this order of reasons:
//   - its version parses in the scheme (a registry's odd entries are skipped);
//   - it satisfies the manifest range (pre-releases as the dependency's
//     `prereleases`, else [policy] prereleases, allow);
//   - it is not yanked;
//   - with as-of, it was published at or before that moment;
//   - with min-age, it was published at least that long before the reference
//     moment (as-of if set, else now); releases of a source without publish
//     times (Debian, OCI) pass, and the report says so;
//   - it is not held back by the snapshot: a culprit recorded in `held` keeps
//     exactly that version out (a dependency may have several); the releases
//     before it and any newer one stay candidates.
// Deprecated releases are avoided the way npm avoids them: the newest allowed
// release that is not deprecated wins, and a deprecated one only when every
// allowed release is deprecated.
// A manifest hold pins the dependency to the held version whatever the rules
// say, as long as the registry still has it.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/datasource.hpp"
#include "core/dependency.hpp"
#include "core/error.hpp"
#include "core/manifest.hpp"
#include "core/time.hpp"
#include "core/version_scheme.hpp"

namespace driftlock {

// Why a release is not allowed; `none` when it is.
enum class Exclusion {
  none,
  outside_range,  // includes pre-releases the policy keeps out
  yanked,
  after_as_of,
  too_young,  // min-age
  no_publish_time,
  held_back,  // by the snapshot's `held`
};

std::string_view to_string(Exclusion exclusion);

struct JudgedRelease {
  Release release;
  Exclusion exclusion = Exclusion::none;
};

struct Selection {
  // Every release whose version parses, oldest first by the scheme.
  std::vector<JudgedRelease> releases;
  std::size_t chosen = 0;  // index into releases
  // The newest allowed release, ignoring the manifest hold (what `unpin`
  // would give); nullopt when nothing is allowed.
  std::optional<std::size_t> newest;
  bool pinned = false;  // chosen by the manifest hold

  const Release& chosen_release() const { return releases[chosen].release; }
};

struct PolicyContext {
  const VersionScheme& scheme;
  const PolicySettings& policy;
  Timestamp now;
  std::span<const HeldBack> held;  // the snapshot's held entries for this dependency
};

// Chooses the release for `spec`. Errors are input errors naming the
// dependency: no release allowed (with what kept the newest ones out), a hold
// the registry no longer has, or as-of on a source without publish times
// (unless the dependency is held).
Result<Selection> select_release(const DependencySpec& spec, const PackageReleases& releases,
                                 const PolicyContext& context);

// The resolved row of the snapshot for a selection.
Dependency to_dependency(const DependencySpec& spec, const Release& release);

}  // namespace driftlock
