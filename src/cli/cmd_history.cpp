// `driftlock history [-m driftlock.toml] [--format text|json|markdown] [--limit N]`:
// the recent runs and the culprits they named, from the state folder, and the
// versions the snapshot holds back. Changes nothing.
#include <fmt/format.h>

#include <filesystem>
#include <ostream>

#include "cli/args.hpp"
#include "core/manifest.hpp"
#include "core/snapshot.hpp"
#include "publish/history_render.hpp"
#include "store/history.hpp"
#include "store/runs.hpp"
#include "store/state_dir.hpp"

namespace driftlock::cli {
namespace {

Result<void> read_state(const std::filesystem::path& folder, std::size_t limit,
                        publish::History& history) {
  auto state = store::StateDir::open(folder);
  if (!state) return std::unexpected(std::move(state.error()));
  store::RunLog log(state->database());
  auto runs = log.recent(limit);
  if (!runs) return std::unexpected(std::move(runs.error()));
  for (const store::RunRecord& r : *runs) {
    history.runs.push_back({r.id, std::string(to_string(r.kind)), std::string(to_string(r.status)),
                            r.started, r.finished, r.summary});
  }
  store::CulpritHistory culprits(state->database());
  auto events = culprits.recent(limit);
  if (!events) return std::unexpected(std::move(events.error()));
  for (const store::CulpritEvent& e : *events) {
    history.culprits.push_back({e.run_id, e.ecosystem, e.name, e.version, e.reason, e.at});
  }
  history.state = true;
  return {};
}

}  // namespace

Result<int> run_history(Context& context) {
  CLI::App app{"Past runs, the culprits they named and the versions held back.",
               "driftlock history"};
  configure_app(app);
  std::string manifest_path, format_name, state_dir;
  int limit = 10;
  add_manifest_option(app, manifest_path);
  add_format_option(app, format_name);
  app.add_option("--limit", limit, "show at most N runs and N culprits (default: 10)")
      ->type_name("N");
  add_state_dir_option(app, state_dir);
  auto parsed = parse_args(app, context);
  if (!parsed) return std::unexpected(parsed.error());
  if (*parsed == ParseStatus::helped) return 0;
  auto format = output_format(format_name);
  if (!format) return std::unexpected(format.error());
  if (limit < 1) {
    return fail(ErrorKind::usage,
                fmt::format("history: --limit must be at least 1, not {}", limit));
  }

  auto manifest = load_manifest(manifest_path, context.ecosystems);
  if (!manifest) return std::unexpected(manifest.error());
  publish::History history;
  std::error_code ec;
  if (std::filesystem::exists(manifest->snapshot, ec)) {
    auto snapshot = load_snapshot(manifest->snapshot, context.ecosystems);
    if (!snapshot) return std::unexpected(snapshot.error());
    history.snapshot = true;
    history.held = std::move(snapshot->held);
  }
  // Opening the state creates the folder and database: look first, so asking
  // for history before the first run leaves nothing behind.
  const std::filesystem::path folder = state_folder(state_dir, manifest_path);
  if (std::filesystem::exists(folder / "state.db", ec)) {
    if (auto r = read_state(folder, static_cast<std::size_t>(limit), history); !r) {
      return std::unexpected(r.error());
    }
  }
  context.out << publish::render_history(history, *format, context.color);
  return 0;
}

}  // namespace driftlock::cli
