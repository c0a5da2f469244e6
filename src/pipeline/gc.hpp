// Housekeeping of the state folder: what builds and resolutions leave behind
// and nothing needs once it is old (the HTTP cache's entries, candidate
// folders, per-run log folders, probes' work folders). The caller holds the
// state folder's lock, so no run is in progress and nothing an unfinished
// run needs is on disk: an interrupted run resumes from the memo in
// state.db, which is kept, and candidate folders are written again on demand.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "core/error.hpp"
#include "core/time.hpp"
#include "store/state_dir.hpp"

namespace driftlock::pipeline {

// Whether collect_garbage removes what it finds or only counts it.
enum class Removal { remove, count_only };

struct GarbageReport {
  std::size_t cache_entries = 0;      // HTTP cache rows last fetched before the cutoff
  std::size_t candidate_folders = 0;  // candidates/<id>/ untouched since the cutoff
  std::size_t log_folders = 0;        // logs/run-N/ untouched since the cutoff
  std::size_t work_folders = 0;       // work/run-N/ (failed probes kept for a look), as old
  std::uintmax_t bytes = 0;           // on disk, in the folders above
};

// The age after which `run` prunes by itself.
inline constexpr std::chrono::days kAutomaticMaxAge{30};

Result<GarbageReport> collect_garbage(store::StateDir& state, Timestamp cutoff, Removal removal);

}  // namespace driftlock::pipeline
