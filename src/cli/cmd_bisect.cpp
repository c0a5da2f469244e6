// `driftlock bisect --from OLD.lock.json --to NEW.lock.json`: the culprit
// search alone, with the manifest's build and test commands.
// Exit 0: the new lock passes; 1: culprits named; 3: baseline broken or a
// build could not run.
#include <ostream>

#include "cli/args.hpp"
#include "cli/progress.hpp"
#include "cli/publish_options.hpp"
#include "exec/process_runner.hpp"
#include "pipeline/pipeline.hpp"
#include "publish/run_render.hpp"

namespace driftlock::cli {

Result<int> run_bisect(Context& context) {
  CLI::App app{"Find the changes that break the build between two lock files.", "driftlock bisect"};
  configure_app(app);
  std::string manifest_path, format_name, state_dir, from_path, to_path, flaky_tests;
  bool explain = false;
  std::optional<int> confirmations;
  add_manifest_option(app, manifest_path);
  add_format_option(app, format_name);
  app.add_option("--from", from_path, "the passing lock (snapshot format)")->required();
  app.add_option("--to", to_path, "the failing lock (snapshot format)")->required();
  app.add_option("--confirmations", confirmations,
                 "failing builds a careful blame needs (default: from the estimated flake rate)")
      ->check(CLI::Range(1, 10));
  add_flaky_tests_option(app, flaky_tests);
  app.add_flag("--explain", explain, "list every probe and why each change was blamed or cleared");
  add_state_dir_option(app, state_dir);
  ProgressFlags progress_flags;
  add_progress_options(app, progress_flags);
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
  auto from = load_snapshot(from_path, context.ecosystems);
  if (!from) return std::unexpected(std::move(from.error()));
  auto to = load_snapshot(to_path, context.ecosystems);
  if (!to) return std::unexpected(std::move(to.error()));
  auto state = store::StateDir::open(state_folder(state_dir, manifest->path));
  if (!state) return std::unexpected(std::move(state.error()));
  auto progress = make_progress(context.err, context.progress, progress_flags);
  exec::ProcessRunner runner;
  auto report =
      pipeline::bisect_locks(*manifest, *from, *to, *state, runner, context.clock,
                             context.ecosystems, {*flaky_mode, confirmations}, progress.get());
  progress.reset();
  if (!report) return std::unexpected(std::move(report.error()));
  const publish::Explain explain_mode = explain ? publish::Explain::yes : publish::Explain::no;
  context.out << publish::render_run(*report, *format, context.color, explain_mode);
  publish_markdown(context, *publishing, report->image, "bisect", [&] {
    return publish::render_run(*report, publish::OutputFormat::markdown, publish::Color::never,
                               explain_mode);
  });
  return exit_code(report->status);
}

}  // namespace driftlock::cli
