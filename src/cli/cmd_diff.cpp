// `driftlock diff OLD.lock.json NEW.lock.json`.
#include <ostream>

#include "cli/args.hpp"
#include "core/diff.hpp"
#include "core/snapshot.hpp"
#include "publish/diff_render.hpp"

namespace driftlock::cli {

Result<int> run_diff(Context& context, const Args& args) {
  auto format = output_format(args);
  if (!format) return std::unexpected(format.error());

  auto before = load_snapshot(args.value("old"), context.ecosystems);
  if (!before) return std::unexpected(before.error());
  auto after = load_snapshot(args.value("new"), context.ecosystems);
  if (!after) return std::unexpected(after.error());
  auto diff = diff_snapshots(*before, *after, context.ecosystems);
  if (!diff) return std::unexpected(diff.error());
  context.out << publish::render_diff(*diff, *format, context.color);
  return args.given("--exit-code") && !diff->empty() ? 1 : 0;
}

}  // namespace driftlock::cli
