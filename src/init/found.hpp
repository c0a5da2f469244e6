// What `driftlock init` found in a Dockerfile: the dependencies it installs,
// each with the line it came from, and what it could not read.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace driftlock::init {

// A place in a file that was read: the file as the user would name it (the
// Dockerfile as given, a requirements file beside it), 1-based line and column.
struct Origin {
  std::string path;
  int line = 0;
  int column = 0;
};

struct Found {
  std::string ecosystem;  // "oci", "debian", "pypi", "npm"
  std::string name;       // as written ("Twisted", "@scope/pkg", "debian")
  std::string range = "*";
  std::optional<std::string> hold;  // an exact version the file pins (apt name=version)
  Origin origin;
  // The Dockerfile line that read the file `origin` is in (pip -r, npm ci).
  std::optional<Origin> via;
  std::string note;  // said beside the origin: "suite bookworm-backports"
};

// A line (or part of one) whose effect on the image is unknown: listed in the
// output and as a comment in the manifest, never silently dropped.
struct Unread {
  Origin origin;
  std::string what;
};

struct Findings {
  std::vector<Found> dependencies;  // in the order read; duplicates kept
  std::vector<Unread> unread;
  // ARG names of the Dockerfile that have no default: the build command
  // must pass them (--build-arg).
  std::vector<std::string> build_args;
};

}  // namespace driftlock::init
