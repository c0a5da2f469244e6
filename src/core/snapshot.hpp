// Snapshot v1 (snapshots/<image>.lock.json): the last-known-good resolution.
// Loading validates everything and points at file:line:col; saving is
// canonical (sorted, fixed key order, two-space indent) and atomic.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dependency.hpp"
#include "core/ecosystem.hpp"
#include "core/error.hpp"
#include "core/file.hpp"

namespace driftlock {

inline constexpr std::string_view kSnapshotFormat = "driftlock-snapshot";
inline constexpr int kSnapshotVersion = 1;

struct Snapshot {
  std::string image;
  std::optional<std::string> created;  // RFC 3339
  std::vector<Dependency> dependencies;
  std::vector<HeldBack> held;
  // A loaded file without a "held" key saves without one, so it round-trips.
  bool write_held_key = true;

  const Dependency* find(std::string_view ecosystem, std::string_view name) const;
};

// Parses `text`; `path` is only used in error locations.
Result<Snapshot> parse_snapshot(std::string_view text, const std::string& path,
                                EcosystemTable ecosystems);

Result<Snapshot> load_snapshot(const std::filesystem::path& path, EcosystemTable ecosystems);

// The canonical bytes: rows sorted, keys in contract order, one trailing newline.
std::string serialize_snapshot(const Snapshot& snapshot);

// Writes via a temporary file in the same folder, fsync and rename, so a crash
// leaves either the old or the new snapshot, never a torn one.
Result<void> save_snapshot(const std::filesystem::path& path, const Snapshot& snapshot);

}  // namespace driftlock
