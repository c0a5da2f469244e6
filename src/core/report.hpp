// What `driftlock report` says (the nightly cron's output): per dependency,
// the releases newer than the snapshot's version up to the newest allowed,
// with publish dates, first sightings, major jumps and what is held.
// Plain data; resolve/report.cpp builds it, publish/report_render.cpp prints it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/policy.hpp"

namespace driftlock {

struct ReportRelease {
  std::string version;
  std::optional<std::string> published;   // RFC 3339, from the registry
  std::optional<std::string> first_seen;  // RFC 3339, when driftlock first saw it
  Exclusion exclusion = Exclusion::none;  // why it would not be taken
  std::optional<std::string> deprecated;
  bool major = false;  // a major jump from the snapshot's version
};

struct ReportEntry {
  std::string ecosystem;
  std::string name;
  std::string range;
  std::optional<std::string> current;  // the snapshot's version; nullopt when new
  std::string resolved;                // what resolving gives now
  std::optional<std::string> newest;   // the newest allowed ignoring a manifest hold
  std::optional<std::string> hold;     // the manifest's hold
  std::vector<HeldBack> held;          // the snapshot's held culprits
  bool has_publish_times = true;
  bool redigested = false;           // same version as the snapshot, new digest
  std::vector<ReportRelease> newer;  // newer than current, ascending; allowed or not
  // A package of the captured closure the manifest does not name, and the
  // named packages it came through (else its immediate parents; empty when
  // unknown), from the state database.
  bool transitive = false;
  std::vector<std::string> via{};

  bool has_updates() const;  // something newer allowed, or a new digest, or new
};

struct Report {
  std::string image;
  std::string generated;             // RFC 3339
  std::optional<std::string> as_of;  // when resolved as of a moment
  std::optional<std::string> snapshot_created;
  std::vector<ReportEntry> entries;  // sorted by (ecosystem, name)
};

}  // namespace driftlock
