// `driftlock check`: builds and tests the pinned snapshot with the manifest's
// commands (CI on a branch that changes the image builder); never pushes.
// Exit 0: passes; 1: fails; 3: the build could not run.
#include <fmt/format.h>

#include <ostream>

#include "cli/args.hpp"
#include "cli/progress.hpp"
#include "cli/publish_options.hpp"
#include "exec/process_runner.hpp"
#include "pipeline/pipeline.hpp"
#include "publish/run_render.hpp"

namespace driftlock::cli {

Result<int> run_check(Context& context) {
  CLI::App app{"Build and test the pinned snapshot; never push.", "driftlock check"};
  configure_app(app);
  std::string manifest_path, format_name, state_dir, flaky_tests;
  add_manifest_option(app, manifest_path);
  add_format_option(app, format_name);
  add_state_dir_option(app, state_dir);
  ProgressFlags progress_flags;
  add_progress_options(app, progress_flags);
  add_flaky_tests_option(app, flaky_tests);
  PublishFlags publish_flags;
  add_publish_options(app, publish_flags);
  auto parsed = parse_args(app, context);
  if (!parsed) return std::unexpected(parsed.error());
  if (*parsed == ParseStatus::helped) return 0;
  auto format = output_format(format_name);
  if (!format) return std::unexpected(format.error());
  auto flaky_mode = flaky_tests_mode(flaky_tests);
  if (!flaky_mode) return std::unexpected(flaky_mode.error());
  auto publishing = prepare_publishing(publish_flags, context);
  if (!publishing) return std::unexpected(std::move(publishing.error()));

  auto manifest = load_manifest(manifest_path, context.ecosystems);
  if (!manifest) return std::unexpected(std::move(manifest.error()));
  std::error_code ec;
  if (!std::filesystem::exists(manifest->snapshot, ec)) {
    return fail_input(fmt::format("{}: no snapshot yet: 'driftlock run' writes the first one",
                                  manifest->snapshot.string()));
  }
  auto snapshot = load_snapshot(manifest->snapshot, context.ecosystems);
  if (!snapshot) return std::unexpected(std::move(snapshot.error()));
  auto state = store::StateDir::open(state_folder(state_dir, manifest->path));
  if (!state) return std::unexpected(std::move(state.error()));
  auto progress = make_progress(context.err, context.progress, progress_flags);
  exec::ProcessRunner runner;
  auto report =
      pipeline::check_snapshot(*manifest, *snapshot, *state, runner, context.clock,
                               context.ecosystems, {*flaky_mode, std::nullopt}, progress.get());
  progress.reset();
  if (!report) return std::unexpected(std::move(report.error()));
  context.out << publish::render_run(*report, *format, context.color);
  publish_markdown(context, *publishing, report->image, "check", [&] {
    return publish::render_run(*report, publish::OutputFormat::markdown, publish::Color::never);
  });
  return exit_code(report->status);
}

}  // namespace driftlock::cli
