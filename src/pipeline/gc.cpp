#include "pipeline/gc.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

#include "pipeline/prober.hpp"
#include "store/http_cache.hpp"

namespace driftlock::pipeline {
namespace {

namespace fs = std::filesystem;

struct Tally {
  Timestamp newest{};
  std::uintmax_t bytes = 0;
};

Timestamp to_timestamp(fs::file_time_type when) {
  return std::chrono::floor<std::chrono::seconds>(fs::file_time_type::clock::to_sys(when));
}

// The newest modification time in a folder (itself included) and its size.
Tally measure(const fs::path& folder) {
  Tally tally;
  std::error_code ec;
  tally.newest = to_timestamp(fs::last_write_time(folder, ec));
  for (auto it = fs::recursive_directory_iterator(folder, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code entry_ec;
    const auto when = it->last_write_time(entry_ec);
    if (!entry_ec) tally.newest = std::max(tally.newest, to_timestamp(when));
    if (it->is_regular_file(entry_ec)) {
      const auto size = it->file_size(entry_ec);
      if (!entry_ec) tally.bytes += size;
    }
  }
  return tally;
}

Result<void> remove_folder(const fs::path& folder) {
  std::error_code ec;
  fs::remove_all(folder, ec);
  if (ec) {
    return fail(ErrorKind::infrastructure,
                fmt::format("cannot remove '{}': {}", folder.string(), ec.message()));
  }
  return {};
}

// Each sub-folder of `parent` untouched since `cutoff`, counted and (unless
// only counting) removed.
Result<std::size_t> prune_folders(const fs::path& parent, Timestamp cutoff, Removal removal,
                                  std::uintmax_t& bytes) {
  std::size_t pruned = 0;
  std::error_code ec;
  if (!fs::is_directory(parent, ec)) return pruned;
  for (auto it = fs::directory_iterator(parent, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    std::error_code kind_ec;
    if (!it->is_directory(kind_ec) || it->is_symlink(kind_ec)) continue;
    const Tally tally = measure(it->path());
    if (tally.newest >= cutoff) continue;
    if (removal == Removal::remove) {
      if (auto removed = remove_folder(it->path()); !removed)
        return std::unexpected(removed.error());
    }
    ++pruned;
    bytes += tally.bytes;
  }
  if (ec) {
    return fail(ErrorKind::infrastructure,
                fmt::format("cannot list '{}': {}", parent.string(), ec.message()));
  }
  return pruned;
}

}  // namespace

Result<GarbageReport> collect_garbage(store::StateDir& state, Timestamp cutoff, Removal removal) {
  GarbageReport report;
  store::HttpCache cache(state.database());
  auto entries = removal == Removal::remove ? cache.prune(cutoff) : cache.count_before(cutoff);
  if (!entries) return std::unexpected(std::move(entries.error()));
  report.cache_entries = *entries;

  const fs::path root = state.path();
  auto candidates = prune_folders(root / "candidates", cutoff, removal, report.bytes);
  if (!candidates) return std::unexpected(std::move(candidates.error()));
  report.candidate_folders = *candidates;
  auto logs = prune_folders(root / "logs", cutoff, removal, report.bytes);
  if (!logs) return std::unexpected(std::move(logs.error()));
  report.log_folders = *logs;
  auto work = prune_folders(work_root(root), cutoff, removal, report.bytes);
  if (!work) return std::unexpected(std::move(work.error()));
  report.work_folders = *work;
  return report;
}

}  // namespace driftlock::pipeline
