// `driftlock check`: builds and tests the pinned snapshot with the manifest's
// commands (CI on a branch that changes the image builder); never pushes.
// Exit 0: passes; 1: fails; 3: the build could not run.
#include <fmt/format.h>

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

Result<int> run_check(Context& context, const Args& args) {
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
  std::error_code ec;
  if (!std::filesystem::exists(manifest->snapshot, ec)) {
    return fail_input(fmt::format("{}: no snapshot yet: 'driftlock run' writes the first one",
                                  manifest->snapshot.string()));
  }
  auto snapshot = load_snapshot(manifest->snapshot, context.ecosystems);
  if (!snapshot) return std::unexpected(std::move(snapshot.error()));
  auto state = store::StateDir::open(state_folder(args, manifest->path), store::Locking::exclusive,
                                     lock_wait(context, args));
  if (!state) return std::unexpected(std::move(state.error()));
  auto progress = make_progress(context);
  exec::ProcessRunner runner;
  // From here a Ctrl-C or a CI cancel stops the builds cleanly (exec/cancellation.hpp).
  exec::install_cancellation_handlers();
  auto report =
      pipeline::check_snapshot(*manifest, *snapshot, *state, runner, context.clock,
                               context.ecosystems, {*flaky_mode, std::nullopt}, progress.get());
  progress.reset();
  if (!report) return std::unexpected(std::move(report.error()));
  context.out << publish::render_run(*report, *format, context.color);
  publish_markdown(context, *publishing, report->image, "check", [&] {
    return publish::render_run(*report, publish::OutputFormat::markdown, publish::Color::never);
  });
  publish_dashboard(context, *dashboard,
                    {report->image, nullptr, &*snapshot, &*manifest, state->path()});
  return exit_code(report->status);
}

}  // namespace driftlock::cli
