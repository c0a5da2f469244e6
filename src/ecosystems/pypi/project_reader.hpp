// Reads a JSON API project document as a stream of events (nlohmann's SAX
// interface) and keeps only what resolving needs: each release's files'
// names, types, sha256, upload times, yanked flags and URLs. Projects with
// thousands of files are tens of megabytes; building the whole tree first
// cost most of a resolve's time.
#pragma once

#include <string>
#include <string_view>

#include "core/datasource.hpp"
#include "core/error.hpp"

namespace driftlock::ecosystems::pypi {

// The releases of the document (see parse_project_document for the rules).
// Problems are returned as text for the caller's message: "not a JSON
// object", "no 'releases' object", "the files of version '1.0' are not a
// list", ...; malformed JSON as "malformed JSON at byte N".
struct ProjectReading {
  PackageReleases releases;
  std::string problem;  // empty on success
  bool malformed = false;
  std::size_t error_byte = 0;
};

ProjectReading read_project(std::string_view name, std::string_view body);

}  // namespace driftlock::ecosystems::pypi
