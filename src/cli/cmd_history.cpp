// `driftlock history [-m driftlock.toml] [--format text|json|markdown] [--limit N]
// [--html FILE]`: the recent runs and the culprits they named, from the state
// folder, and the versions the snapshot holds back; --html also writes them as
// one self-contained page with a picture of each search. Changes nothing else.
#include <fmt/format.h>

#include <filesystem>
#include <ostream>

#include "cli/args.hpp"
#include "cli/history_html.hpp"
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
  // Read while a run may hold the folder: history never waits for one.
  auto state = store::StateDir::open(folder, store::Locking::shared);
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

Result<int> run_history(Context& context, const Args& args) {
  auto format = output_format(args);
  if (!format) return std::unexpected(format.error());
  const std::string& manifest_path = args.value("--manifest");
  const std::size_t limit = static_cast<std::size_t>(args.integer("--limit").value_or(10));

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
  const std::filesystem::path folder = state_folder(args, manifest_path);
  if (std::filesystem::exists(folder / "state.db", ec)) {
    if (auto r = read_state(folder, limit, history); !r) {
      return std::unexpected(r.error());
    }
  }
  if (const std::string& html = args.value("--html"); !html.empty()) {
    std::optional<std::vector<HeldBack>> held;
    if (history.snapshot) held = history.held;
    if (auto written = write_history_html(folder, manifest->image, std::move(held), limit, html);
        !written) {
      return std::unexpected(std::move(written.error()));
    }
    say(context, fmt::format("wrote {}", html));
  }
  context.out << publish::render_history(history, *format, context.color);
  return 0;
}

}  // namespace driftlock::cli
