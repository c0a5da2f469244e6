// `driftlock bisect --from OLD.lock.json --to NEW.lock.json`: the culprit
// search alone, with the manifest's build and test commands.
// Exit 0: the new lock passes; 1: culprits named; 3: baseline broken or a
// build could not run.
#include <ostream>

#include "cli/args.hpp"
#include "cli/dashboard.hpp"
#include "cli/progress.hpp"
#include "cli/publish_options.hpp"
#include "cli/resolve_options.hpp"
#include "exec/cancellation.hpp"
#include "exec/process_runner.hpp"
#include "pipeline/pipeline.hpp"
#include "publish/run_render.hpp"

namespace driftlock::cli {

Result<int> run_bisect(Context& context, const Args& args) {
  auto format = output_format(args);
  if (!format) return std::unexpected(format.error());
  auto flaky_mode = flaky_tests_mode(args);
  if (!flaky_mode) return std::unexpected(flaky_mode.error());
  auto publishing = prepare_publishing(args, context);
  if (!publishing) return std::unexpected(std::move(publishing.error()));
  auto dashboard = prepare_dashboard(args.value("--dashboard"), context);
  if (!dashboard) return std::unexpected(std::move(dashboard.error()));

  auto manifest = load_manifest(args.value("--manifest"), context.ecosystems);
  if (!manifest) return std::unexpected(std::move(manifest.error()));
  auto from = load_snapshot(args.value("--from"), context.ecosystems);
  if (!from) return std::unexpected(std::move(from.error()));
  auto to = load_snapshot(args.value("--to"), context.ecosystems);
  if (!to) return std::unexpected(std::move(to.error()));
  auto state = store::StateDir::open(state_folder(args, manifest->path), store::Locking::exclusive,
                                     lock_wait(context, args));
  if (!state) return std::unexpected(std::move(state.error()));
  auto progress = make_progress(context);
  exec::ProcessRunner runner;
  // From here a Ctrl-C or a CI cancel stops the builds cleanly (exec/cancellation.hpp).
  exec::install_cancellation_handlers();
  auto report = pipeline::bisect_locks(
      *manifest, *from, *to, *state, runner, context.clock, context.ecosystems,
      {*flaky_mode, args.integer("--confirmations")}, progress.get());
  progress.reset();
  if (!report) return std::unexpected(std::move(report.error()));
  const publish::Explain explain_mode =
      args.given("--explain") ? publish::Explain::yes : publish::Explain::no;
  context.out << publish::render_run(*report, *format, context.color, explain_mode);
  publish_markdown(context, *publishing, report->image, "bisect", [&] {
    return publish::render_run(*report, publish::OutputFormat::markdown, publish::Color::never,
                               explain_mode);
  });
  if (dashboard->target) {
    std::optional<Snapshot> current;
    std::error_code ec;
    if (std::filesystem::exists(manifest->snapshot, ec)) {
      if (auto loaded = load_snapshot(manifest->snapshot, context.ecosystems)) {
        current = std::move(*loaded);
      }
    }
    publish_dashboard(
        context, *dashboard,
        {report->image, nullptr, current ? &*current : nullptr, &*manifest, state->path()});
  }
  return exit_code(report->status);
}

}  // namespace driftlock::cli
