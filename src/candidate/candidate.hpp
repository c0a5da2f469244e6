// Candidates: the baseline with a subset of the changes applied, and the
// folder build commands see ($DRIFTLOCK_CANDIDATE_DIR, DESIGN.md "The
// candidate, as build commands see it").
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/dependency.hpp"
#include "core/diff.hpp"
#include "core/ecosystem.hpp"
#include "core/error.hpp"
#include "core/exporter.hpp"
#include "exec/command_runner.hpp"

namespace driftlock::candidate {

inline constexpr std::size_t kCandidateIdLength = 12;

// The baseline with each change applied (the after-dependency set, or the
// dependency removed), sorted by (ecosystem, name). Two changes to one
// dependency, or removing one the baseline lacks, are input errors.
Result<std::vector<Dependency>> apply_changes(std::span<const Dependency> baseline,
                                              std::span<const Change> changes);
Result<std::vector<Dependency>> apply_changes(std::span<const Dependency> baseline,
                                              std::span<const Change* const> changes);

struct Candidate {
  std::string id;  // kCandidateIdLength hex digits of the SHA-256 of lock_json
  std::string image;
  std::vector<Dependency> dependencies;  // sorted by (ecosystem, name)
  // The candidate in snapshot format without "created" (and with no held
  // entries), so equal dependency sets give equal bytes and the same id.
  std::string lock_json;
};

// Sorts the dependencies and computes lock.json and the id; a dependency
// listed twice is an input error.
Result<Candidate> make_candidate(std::string image, std::vector<Dependency> dependencies);

// The first kCandidateIdLength hex digits of the SHA-256 of `bytes`.
std::string content_id(std::string_view bytes);

// "localhost/driftlock/<image>:<id>"; characters an image name may not hold
// become '-', upper case becomes lower case.
std::string image_tag(std::string_view image, std::string_view id);

struct CandidateFolder {
  std::filesystem::path dir;  // absolute: <parent>/<id>
  // DRIFTLOCK_CANDIDATE_DIR, DRIFTLOCK_CANDIDATE_ID, DRIFTLOCK_IMAGE_TAG and
  // every export variable (DRIFTLOCK_OCI_<KEY>, …), sorted by name.
  std::vector<exec::EnvVar> env;
};

// Writes <parent>/<id>/ holding lock.json and every ecosystem's export file
// (empty ones too), built in a temporary folder beside it and renamed into
// place, so a build never sees a half-written candidate. An existing folder
// for the same id is kept when its files are intact, else replaced. Export problems are input
// errors (nothing is written); file system failures are infrastructure errors.
Result<CandidateFolder> materialize(const Candidate& candidate, const std::filesystem::path& parent,
                                    EcosystemTable ecosystems, const ExportOptions& options);

}  // namespace driftlock::candidate
