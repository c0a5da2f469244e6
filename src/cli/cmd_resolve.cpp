// `driftlock resolve [-o FILE] [--as-of T]`: the newest allowed release of
// every dependency, written as a lock (snapshot format) or shown as the diff
// against the snapshot. Writes nothing unless every dependency resolved.
#include <fmt/format.h>

#include <ostream>

#include "cli/args.hpp"
#include "cli/resolve_options.hpp"
#include "core/diff.hpp"
#include "publish/diff_render.hpp"

namespace driftlock::cli {

Result<int> run_resolve(Context& context) {
  CLI::App app{"Resolve every dependency to the newest allowed release.", "driftlock resolve"};
  configure_app(app);
  ResolveFlags flags;
  std::string output, format_name;
  add_resolve_options(app, flags);
  app.add_option("-o,--output", output,
                 "write the resolved set as a lock file (snapshot format); '-' for stdout");
  add_format_option(app, format_name);
  auto parsed = parse_args(app, context);
  if (!parsed) return std::unexpected(parsed.error());
  if (*parsed == ParseStatus::helped) return 0;
  auto format = output_format(format_name);
  if (!format) return std::unexpected(format.error());

  auto session = resolve_for_command(context, flags, PublishTimes::not_needed);
  if (!session) return std::unexpected(std::move(session.error()));

  const Snapshot* baseline = session->baseline ? &*session->baseline : nullptr;
  Snapshot resolved =
      session->resolution.to_snapshot(session->manifest, baseline, context.clock.now());
  if (output == "-") {
    context.out << serialize_snapshot(resolved);
    return 0;
  }
  if (!output.empty()) {
    if (auto saved = save_snapshot(output, resolved); !saved) {
      return std::unexpected(std::move(saved.error()));
    }
  }
  Snapshot empty;
  auto diff = diff_snapshots(baseline ? *baseline : empty, resolved, context.ecosystems);
  if (!diff) return std::unexpected(std::move(diff.error()));
  context.out << publish::render_diff(*diff, *format, context.color);
  if (!output.empty()) {
    context.err << fmt::format("driftlock: wrote {} ({} dependencies)\n", output,
                               resolved.dependencies.size());
  }
  return 0;
}

}  // namespace driftlock::cli
