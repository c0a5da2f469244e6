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

Result<int> run_resolve(Context& context, const Args& args) {
  auto format = output_format(args);
  if (!format) return std::unexpected(format.error());
  const std::string& output = args.value("--output");

  auto session =
      resolve_for_command(context, args, PublishTimes::not_needed, store::Locking::shared);
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
    say(context, fmt::format("wrote {} ({} dependencies)", output, resolved.dependencies.size()));
  }
  return 0;
}

}  // namespace driftlock::cli
