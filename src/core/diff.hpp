// The changes between two dependency sets: what a candidate would apply.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dependency.hpp"
#include "core/ecosystem.hpp"
#include "core/error.hpp"
#include "core/snapshot.hpp"

namespace driftlock {

enum class ChangeKind {
  added,
  removed,
  upgraded,
  downgraded,
  redigested,  // same version, new digest: a re-published artifact
};

std::string_view to_string(ChangeKind kind);

// Whether the leading release number differs (1.x -> 2.x); for 0.x versions
// the minor number counts as the major one, as npm's caret treats it.
bool is_major_change(std::string_view from, std::string_view to);

struct Change {
  ChangeKind kind;
  std::string ecosystem;
  std::string name;
  std::optional<Dependency> before;  // absent when added
  std::optional<Dependency> after;   // absent when removed
  // The leading release number changed (1.x → 2.x; 0.y → 0.z counts too).
  bool major = false;
  // For a transitive change: the named (manifest) packages it came through,
  // else its immediate parents, as the last closure capture recorded them in
  // the state database; empty when unknown. Never part of a snapshot.
  std::vector<std::string> via{};
};

enum class HeldStatus { added, kept, released };

std::string_view to_string(HeldStatus status);

struct HeldChange {
  HeldStatus status;
  HeldBack entry;
};

struct Diff {
  std::vector<Change> changes;   // sorted by (ecosystem, name)
  std::vector<HeldChange> held;  // the held entries of either side
  bool empty() const { return changes.empty(); }
  std::size_t count(ChangeKind kind) const;
};

// Compares versions with each ecosystem's scheme, so "1.0" → "1.0.0" in PyPI is
// no change while 1.9 → 1.10 is an upgrade.
Result<Diff> diff_dependencies(const std::vector<Dependency>& before,
                               const std::vector<Dependency>& after, EcosystemTable ecosystems);

Result<Diff> diff_snapshots(const Snapshot& before, const Snapshot& after,
                            EcosystemTable ecosystems);

}  // namespace driftlock
