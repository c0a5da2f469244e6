#include "pipeline/first_snapshot.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "core/snapshot.hpp"
#include "core/text.hpp"
#include "pipeline/pipeline.hpp"

namespace driftlock::pipeline {
namespace {

std::string summary_of(const FirstSnapshot& first, const Manifest& manifest) {
  std::size_t transitive = 0;
  std::string per_ecosystem;
  for (const auto& [ecosystem, count] : first.transitive) {
    transitive += count;
    per_ecosystem += fmt::format("{}{} {}", per_ecosystem.empty() ? "" : ", ", ecosystem, count);
  }
  const RunReport& report = first.report;
  const std::string file =
      report.snapshot_file.empty() ? manifest.snapshot.string() : report.snapshot_file;
  std::string pins = counted(first.named, "named dependency", "named dependencies");
  if (manifest.closure.empty()) {
    pins += " (no [closure]: nothing else is pinned)";
  } else {
    pins += fmt::format(" and {} transitive{}", transitive,
                        per_ecosystem.empty() ? "" : " (" + per_ecosystem + ")");
  }
  return fmt::format("wrote the first snapshot of {}, {}: {}; {}; nothing pushed", report.image,
                     file, pins, report.commit_note);
}

}  // namespace

Result<void> check_first_snapshot(const Manifest& manifest) {
  std::error_code ec;
  if (std::filesystem::exists(manifest.snapshot, ec)) {
    return fail_input(fmt::format(
        "{} already exists: --capture writes only a first snapshot ('driftlock run' builds from "
        "this one, and captures its closure once [closure] is new)",
        manifest.snapshot.string()));
  }
  if (manifest.commands.build.empty() || manifest.commands.test.empty()) {
    return fail_input(fmt::format(
        "{}: [commands] needs build and test to capture a first snapshot (driftlock init "
        "writes them as comments: fill them in)",
        manifest.path.string()));
  }
  if (manifest.dependencies.empty()) {
    return fail_input(
        fmt::format("{}: no dependencies: there is nothing to capture", manifest.path.string()));
  }
  return {};
}

Result<FirstSnapshot> capture_first_snapshot(resolve::Session& session, exec::CommandRunner& runner,
                                             const Clock& clock, EcosystemTable ecosystems,
                                             ProgressSink* progress) {
  const Manifest& manifest = session.manifest;
  if (auto ready = check_first_snapshot(manifest); !ready) return std::unexpected(ready.error());
  // Without a snapshot, run builds the full resolution once and ships it
  // when it passes (closure included); --no-push keeps the push command out.
  RunOptions options;
  options.push = Push::no;
  options.progress = progress;
  auto report = run_pipeline(session, options, runner, clock, ecosystems);
  if (!report) return std::unexpected(std::move(report.error()));

  if (report->status == RunStatus::not_shipped && !report->culprits.empty()) {
    const CulpritReport& failed = report->culprits.front();
    return fail(ErrorKind::infrastructure,
                fmt::format("the first build failed: {} (log: {}); no snapshot written, nothing "
                            "pushed",
                            failed.reason, failed.log));
  }
  if (report->status != RunStatus::shipped || !report->snapshot_written) {
    return fail(ErrorKind::infrastructure,
                fmt::format("the first build ended as '{}' ({}); no snapshot written",
                            to_string(report->status), report->message));
  }
  auto written = load_snapshot(*report->snapshot_written, ecosystems);
  if (!written) return std::unexpected(std::move(written.error()));
  FirstSnapshot first;
  for (const Dependency& d : written->dependencies) {
    if (d.transitive) {
      ++first.transitive[d.ecosystem];
    } else {
      ++first.named;
    }
  }
  first.report = std::move(*report);
  first.summary = summary_of(first, manifest);
  return first;
}

}  // namespace driftlock::pipeline
