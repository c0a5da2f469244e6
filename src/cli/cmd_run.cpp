// `driftlock run [--no-push] [--dry-run]`: the gated pipeline (DESIGN.md).
// Exit 0: shipped or no drift; 1: culprits named (the rest shipped when it
// passed); 2: bad input; 3: infrastructure (registry, baseline broken, push).
#include <ostream>

#include "cli/args.hpp"
#include "cli/dashboard.hpp"
#include "cli/progress.hpp"
#include "cli/publish_options.hpp"
#include "cli/resolve_options.hpp"
#include "exec/cancellation.hpp"
#include "exec/process_runner.hpp"
#include "pipeline/gc.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/shipment.hpp"
#include "publish/run_render.hpp"

namespace driftlock::cli {

Result<int> run_run(Context& context, const Args& args) {
  auto format = output_format(args);
  if (!format) return std::unexpected(format.error());
  auto flaky_mode = flaky_tests_mode(args);
  if (!flaky_mode) return std::unexpected(flaky_mode.error());
  auto publishing = prepare_publishing(args, context);
  if (!publishing) return std::unexpected(std::move(publishing.error()));
  auto dashboard = prepare_dashboard(args.value("--dashboard"), context);
  if (!dashboard) return std::unexpected(std::move(dashboard.error()));
  const bool dry_run = args.given("--dry-run");

  // A shipment an earlier run left part-way (killed after its push) is
  // finished before anything is resolved; its snapshot is then the baseline.
  auto finish = [&context](const Manifest& manifest, store::StateDir& state) -> Result<bool> {
    exec::ProcessRunner git_runner;
    auto notes = pipeline::finish_shipments(manifest, state.database(), state.path(), git_runner,
                                            context.clock);
    if (!notes) return std::unexpected(std::move(notes.error()));
    for (const std::string& note : *notes) context.err << "driftlock: " << note << "\n";
    return !notes->empty();
  };
  auto session = resolve_for_command(context, args, PublishTimes::not_needed,
                                     store::Locking::exclusive, finish);
  if (!session) return std::unexpected(std::move(session.error()));
  pipeline::RunOptions options;
  options.push = args.given("--no-push") ? pipeline::Push::no : pipeline::Push::yes;
  options.dry_run = dry_run ? pipeline::DryRun::yes : pipeline::DryRun::no;
  options.search.flaky_tests = *flaky_mode;
  auto progress = make_progress(context);
  options.progress = progress.get();
  exec::ProcessRunner runner;
  // From here a Ctrl-C or a CI cancel stops the builds cleanly (exec/cancellation.hpp).
  exec::install_cancellation_handlers();
  auto report =
      pipeline::run_pipeline(*session, options, runner, context.clock, context.ecosystems);
  progress.reset();  // clears a status line before the report
  if (!report) return std::unexpected(std::move(report.error()));
  // The automatic bound on the state folder; a failure changes nothing shipped.
  if (auto pruned = pipeline::collect_garbage(session->state,
                                              context.clock.now() - pipeline::kAutomaticMaxAge,
                                              pipeline::Removal::remove);
      !pruned) {
    detail(context, "state folder not pruned: " + pruned.error().message);
  }
  const publish::Explain explain_mode =
      args.given("--explain") ? publish::Explain::yes : publish::Explain::no;
  context.out << publish::render_run(*report, *format, context.color, explain_mode);
  publish_markdown(
      context, *publishing, report->image, "run",
      [&] {
        return publish::render_run(*report, publish::OutputFormat::markdown, publish::Color::never,
                                   explain_mode);
      },
      dry_run ? Posting::skip : Posting::post);
  if (dashboard->target) {
    // Pending now: what the resolution holds beyond the snapshot the run left.
    std::optional<Snapshot> current = session->baseline;
    std::error_code ec;
    if (std::filesystem::exists(session->manifest.snapshot, ec)) {
      if (auto written = load_snapshot(session->manifest.snapshot, context.ecosystems)) {
        current = std::move(*written);
      }
    }
    const Snapshot* snapshot = current ? &*current : nullptr;
    const Report pending = pending_report(context, *session, snapshot);
    publish_dashboard(
        context, *dashboard,
        {report->image, &pending, snapshot, &session->manifest, session->state.path()},
        dry_run ? Posting::skip : Posting::post);
  }
  return exit_code(report->status);
}

}  // namespace driftlock::cli
