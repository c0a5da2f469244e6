// The shared start of `resolve`, `report` and `run`: load the manifest and
// its snapshot, take the state folder's lock, and resolve every dependency
// over the caching HTTP client. Nothing is written but the cache and the
// first-seen log.
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/ecosystem.hpp"
#include "core/manifest.hpp"
#include "core/snapshot.hpp"
#include "core/time.hpp"
#include "resolve/caching_client.hpp"
#include "resolve/resolver.hpp"
#include "resolve/sources.hpp"
#include "store/state_dir.hpp"

namespace driftlock::resolve {

struct SessionOptions {
  std::optional<Timestamp> as_of;                 // --as-of: overrides the manifest's
  PublishTimes times = PublishTimes::not_needed;  // raised when the policy needs them
  // Where a progress line goes (a terminal), or nullptr for none.
  std::ostream* progress = nullptr;
  std::optional<std::filesystem::path> state_folder;  // default: .driftlock beside the manifest
  net::HttpOptions http;
  // run holds the state folder alone; resolve and report share it with a run.
  store::Locking locking = store::Locking::exclusive;
  store::LockWait wait;  // run --wait
  // Called once the state folder is open (and locked, for an exclusive
  // session), before resolving: `run` finishes an earlier run's shipment
  // there (pipeline/shipment.hpp). True: it rewrote the snapshot, which is
  // then read again.
  std::function<Result<bool>(const Manifest&, store::StateDir&)> on_locked;
};

struct Session {
  Manifest manifest;
  std::optional<Snapshot> baseline;  // nullopt before the first green run
  store::StateDir state;
  Resolution resolution;
  CacheStats cache;
  PolicySettings policy;              // as applied (with --as-of)
  std::vector<std::string> warnings;  // problems that changed no result
};

// Builds the source factory over the (caching) HTTP client; the default is
// RegistrySources with the host's configuration. Tests pass their own.
using SourcesFor = std::function<std::unique_ptr<SourceFactory>(net::HttpClient& http)>;

// The manifest at `manifest_path`; an input error when it or its snapshot is
// bad, an infrastructure error when the state folder is locked or broken.
// Dependency failures are in `resolution.failures`, not an error here.
Result<Session> open_and_resolve(const std::filesystem::path& manifest_path,
                                 EcosystemTable ecosystems, const Clock& clock,
                                 SessionOptions options, const SourcesFor& sources_for = {});

}  // namespace driftlock::resolve
