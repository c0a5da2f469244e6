// `driftlock run [--no-push] [--dry-run]`: the gated pipeline (DESIGN.md).
// Exit 0: shipped or no drift; 1: culprits named (the rest shipped when it
// passed); 2: bad input; 3: infrastructure (registry, baseline broken, push).
#include <ostream>

#include "cli/args.hpp"
#include "cli/progress.hpp"
#include "cli/publish_options.hpp"
#include "cli/resolve_options.hpp"
#include "exec/process_runner.hpp"
#include "pipeline/pipeline.hpp"
#include "publish/run_render.hpp"

namespace driftlock::cli {

Result<int> run_run(Context& context) {
  CLI::App app{
      "Resolve, build and test the candidate; ship it, or name the culprits and ship "
      "everything else.",
      "driftlock run"};
  configure_app(app);
  ResolveFlags flags;
  std::string format_name, flaky_tests;
  bool no_push = false, dry_run = false, explain = false;
  add_resolve_options(app, flags);
  add_format_option(app, format_name);
  ProgressFlags progress_flags;
  add_progress_options(app, progress_flags);
  app.add_flag("--no-push", no_push, "commit the new snapshot but do not run the push command");
  app.add_flag("--dry-run", dry_run, "resolve and show the plan; build and write nothing");
  app.add_flag("--explain", explain, "list every probe and why each change was blamed or cleared");
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

  if (progress_flags.quiet) context.progress = false;
  auto session = resolve_for_command(context, flags, PublishTimes::not_needed);
  if (!session) return std::unexpected(std::move(session.error()));
  pipeline::RunOptions options;
  options.push = no_push ? pipeline::Push::no : pipeline::Push::yes;
  options.dry_run = dry_run ? pipeline::DryRun::yes : pipeline::DryRun::no;
  options.search.flaky_tests = *flaky_mode;
  auto progress = make_progress(context.err, context.progress, progress_flags);
  options.progress = progress.get();
  exec::ProcessRunner runner;
  auto report =
      pipeline::run_pipeline(*session, options, runner, context.clock, context.ecosystems);
  progress.reset();  // clears a status line before the report
  if (!report) return std::unexpected(std::move(report.error()));
  const publish::Explain explain_mode = explain ? publish::Explain::yes : publish::Explain::no;
  context.out << publish::render_run(*report, *format, context.color, explain_mode);
  publish_markdown(
      context, *publishing, report->image, "run",
      [&] {
        return publish::render_run(*report, publish::OutputFormat::markdown, publish::Color::never,
                                   explain_mode);
      },
      dry_run ? Posting::skip : Posting::post);
  return exit_code(report->status);
}

}  // namespace driftlock::cli
