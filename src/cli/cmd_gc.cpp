// `driftlock gc [--older-than DAYS] [--dry-run]`: prunes what the state folder
// keeps of old builds and resolutions (pipeline/gc.hpp); `run` does the same
// with 30 days by itself.
#include <fmt/format.h>

#include <ostream>

#include "cli/args.hpp"
#include "cli/resolve_options.hpp"
#include "core/text.hpp"
#include "pipeline/gc.hpp"
#include "store/state_dir.hpp"

namespace driftlock::cli {
namespace {

std::string describe_garbage(const pipeline::GarbageReport& report) {
  return fmt::format("{}, {}, {} and {} ({} KiB on disk)",
                     counted(report.cache_entries, "cache entry", "cache entries"),
                     counted(report.candidate_folders, "candidate folder", "candidate folders"),
                     counted(report.log_folders, "log folder", "log folders"),
                     counted(report.work_folders, "work folder", "work folders"),
                     (report.bytes + 1023) / 1024);
}

}  // namespace

Result<int> run_gc(Context& context, const Args& args) {
  auto manifest = load_manifest(args.value("--manifest"), context.ecosystems);
  if (!manifest) return std::unexpected(manifest.error());
  // The lock: no run is in progress while its files go.
  auto state = store::StateDir::open(state_folder(args, manifest->path), store::Locking::exclusive,
                                     lock_wait(context, args));
  if (!state) return std::unexpected(std::move(state.error()));
  const int days = args.integer("--older-than").value_or(30);
  const Timestamp cutoff = context.clock.now() - std::chrono::days(days);
  const bool dry_run = args.given("--dry-run");
  auto report = pipeline::collect_garbage(
      *state, cutoff, dry_run ? pipeline::Removal::count_only : pipeline::Removal::remove);
  if (!report) return std::unexpected(std::move(report.error()));
  context.out << fmt::format("{} {}, untouched for {}\n", dry_run ? "would remove" : "removed",
                             describe_garbage(*report),
                             counted(static_cast<std::size_t>(days), "day", "days"));
  return 0;
}

}  // namespace driftlock::cli
