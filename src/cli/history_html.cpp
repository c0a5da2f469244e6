#include "cli/history_html.hpp"

#include <fmt/format.h>

#include <utility>

#include "core/file.hpp"
#include "store/history.hpp"
#include "store/probes.hpp"
#include "store/runs.hpp"
#include "store/schema.hpp"

namespace driftlock::cli {
namespace {

// Said before the database is read, so a mistyped path costs nothing.
Result<void> check_output(const std::filesystem::path& out_file) {
  std::error_code ec;
  if (out_file.empty()) return fail(ErrorKind::usage, "history --html: the file name is empty");
  if (std::filesystem::is_directory(out_file, ec)) {
    return fail(ErrorKind::usage,
                fmt::format("history --html: cannot write '{}': it is a folder; name a file",
                            out_file.string()));
  }
  const std::filesystem::path folder = out_file.parent_path();
  if (!folder.empty() && !std::filesystem::is_directory(folder, ec)) {
    return fail(ErrorKind::usage,
                fmt::format("history --html: cannot write '{}': the folder '{}' does not exist",
                            out_file.string(), folder.string()));
  }
  return {};
}

}  // namespace

Result<publish::HistoryPage> read_history_page(const std::filesystem::path& state_folder,
                                               std::string_view image,
                                               std::optional<std::vector<HeldBack>> held,
                                               std::size_t limit) {
  publish::HistoryPage page;
  page.image = std::string(image);
  page.history.snapshot = held.has_value();
  if (held) page.history.held = std::move(*held);
  // StateDir::open would create the folder and take the run lock; the
  // history only reads, also while a run is going on (WAL readers do not
  // block it). An older database is migrated first, as any command does.
  const std::filesystem::path path = state_folder / "state.db";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return page;
  auto database = store::open_state_database(path);
  if (!database) return std::unexpected(std::move(database.error()));
  auto runs = store::RunLog(*database).recent(limit);
  if (!runs) return std::unexpected(std::move(runs.error()));
  store::ProbeStore probe_log(*database);
  for (store::RunRecord& r : *runs) {
    auto probes = probe_log.probes_for_run(r.id);
    if (!probes) return std::unexpected(std::move(probes.error()));
    if (!probes->empty()) {
      std::vector<publish::HistoryProbe>& rows = page.probes[r.id];
      for (store::ProbeRecord& p : *probes) {
        rows.push_back({p.seq, std::move(p.subset), p.attempt, p.outcome, std::move(p.purpose),
                        p.built, p.round});
      }
    }
    page.history.runs.push_back({r.id, std::string(to_string(r.kind)),
                                 std::string(to_string(r.status)), r.started, r.finished,
                                 std::move(r.summary)});
  }
  auto events = store::CulpritHistory(*database).recent(limit);
  if (!events) return std::unexpected(std::move(events.error()));
  for (store::CulpritEvent& e : *events) {
    page.history.culprits.push_back({e.run_id, std::move(e.ecosystem), std::move(e.name),
                                     std::move(e.version), std::move(e.reason), e.at});
  }
  page.history.state = true;
  return page;
}

Result<void> write_history_html(const std::filesystem::path& state_folder, std::string_view image,
                                std::optional<std::vector<HeldBack>> held, std::size_t limit,
                                const std::filesystem::path& out_file) {
  if (auto checked = check_output(out_file); !checked) return checked;
  auto page = read_history_page(state_folder, image, std::move(held), limit);
  if (!page) return std::unexpected(std::move(page.error()));
  return write_file_atomically(out_file, publish::render_history_html(*page));
}

}  // namespace driftlock::cli
