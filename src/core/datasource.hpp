// The Datasource interface every ecosystem implements (ecosystems/<eco>/datasource.*):
// given package names, the releases a registry offers. Transport-agnostic here;
// implementations take a net::HttpClient.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/requirement.hpp"
#include "core/time.hpp"

namespace driftlock {

struct Release {
  std::string version;                    // as the registry spells it
  std::optional<Timestamp> published;     // absent where the registry has no times (Debian)
  bool yanked = false;                    // PyPI: every file yanked; npm: unpublished
  std::optional<std::string> deprecated;  // npm's deprecation message
  std::optional<std::string> digest;      // "sha512-…" (npm), "sha256:…" (PyPI files, OCI)
  std::optional<std::string> source_url;  // where the artifact comes from, for reports
  // What this release needs from its ecosystem, where the registry says (npm:
  // `dependencies`; PyPI: `requires_dist` without markers, for the release
  // the project document describes); nullopt: unknown.
  std::optional<Requirements> requirements;
};

struct PackageReleases {
  std::string name;               // as asked for
  std::vector<Release> releases;  // any order
  bool has_publish_times = true;  // false for sources without times (Debian)
};

// What a fetch needs beyond names: whether publish times are needed (min-age,
// --as-of, report), which lets npm ask for the smaller abbreviated document.
enum class PublishTimes { not_needed, needed };

class Datasource {
 public:
  virtual ~Datasource() = default;

  // One result per name, in order, fetched concurrently. A package the
  // registry does not have is an input error naming it; a registry that fails
  // after retries is an infrastructure error naming the package and the reason.
  virtual std::vector<Result<PackageReleases>> fetch(std::span<const std::string> names,
                                                     PublishTimes times) = 0;
};

}  // namespace driftlock
