// `driftlock diff OLD.lock.json NEW.lock.json`.
#include <ostream>

#include "cli/args.hpp"
#include "core/diff.hpp"
#include "core/snapshot.hpp"
#include "publish/diff_render.hpp"

namespace driftlock::cli {

Result<int> run_diff(Context& context) {
  CLI::App app{"Show the changes between two snapshots.", "driftlock diff"};
  configure_app(app);
  std::string old_path, new_path, manifest, format_name;
  bool exit_code = false;
  app.add_option("old", old_path, "the earlier snapshot (.lock.json)")->required();
  app.add_option("new", new_path, "the later snapshot (.lock.json)")->required();
  add_manifest_option(app, manifest);
  add_format_option(app, format_name);
  app.add_flag("--exit-code", exit_code, "exit 1 when there are changes");
  auto parsed = parse_args(app, context);
  if (!parsed) return std::unexpected(parsed.error());
  if (*parsed == ParseStatus::helped) return 0;
  auto format = output_format(format_name);
  if (!format) return std::unexpected(format.error());

  auto before = load_snapshot(old_path, context.ecosystems);
  if (!before) return std::unexpected(before.error());
  auto after = load_snapshot(new_path, context.ecosystems);
  if (!after) return std::unexpected(after.error());
  auto diff = diff_snapshots(*before, *after, context.ecosystems);
  if (!diff) return std::unexpected(diff.error());
  context.out << publish::render_diff(*diff, *format, context.color);
  return exit_code && !diff->empty() ? 1 : 0;
}

}  // namespace driftlock::cli
