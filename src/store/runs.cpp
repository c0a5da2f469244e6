#include "store/runs.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "store/time_column.hpp"

namespace driftlock::store {
namespace {

constexpr std::array<std::pair<RunKind, std::string_view>, 3> kKinds = {{
    {RunKind::run, "run"},
    {RunKind::check, "check"},
    {RunKind::bisect, "bisect"},
}};

constexpr std::array<std::pair<RunStatus, std::string_view>, 5> kStatuses = {{
    {RunStatus::running, "running"},
    {RunStatus::ok, "ok"},
    {RunStatus::worse, "worse"},
    {RunStatus::error, "error"},
    {RunStatus::interrupted, "interrupted"},
}};

constexpr std::string_view kColumns = "id, kind, started_at, finished_at, status, summary";

// Reads a row selected with kColumns.
Result<RunRecord> read_run(const Database& database, const Statement& row) {
  RunRecord run;
  run.id = row.column_int64(0);
  const std::string kind = row.column_text(1);
  const std::string status = row.column_text(4);
  auto parsed_kind = parse_run_kind(kind);
  auto parsed_status = parse_run_status(status);
  if (!parsed_kind || !parsed_status) {
    return fail(ErrorKind::infrastructure,
                fmt::format("state database '{}': run {} has unknown kind '{}' or status '{}'",
                            database.path().string(), run.id, kind, status));
  }
  run.kind = *parsed_kind;
  run.status = *parsed_status;
  run.started = to_timestamp(row.column_int64(2));
  if (!row.is_null(3)) run.finished = to_timestamp(row.column_int64(3));
  run.summary = row.column_text(5);
  return run;
}

Result<std::vector<RunRecord>> read_runs(const Database& database, Statement& select) {
  std::vector<RunRecord> runs;
  for (;;) {
    auto row = select.step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return runs;
    auto run = read_run(database, select);
    if (!run) return std::unexpected(std::move(run.error()));
    runs.push_back(std::move(*run));
  }
}

}  // namespace

std::string_view to_string(RunKind kind) {
  for (const auto& [value, name] : kKinds) {
    if (value == kind) return name;
  }
  return "?";
}

std::string_view to_string(RunStatus status) {
  for (const auto& [value, name] : kStatuses) {
    if (value == status) return name;
  }
  return "?";
}

std::optional<RunKind> parse_run_kind(std::string_view text) {
  for (const auto& [value, name] : kKinds) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::optional<RunStatus> parse_run_status(std::string_view text) {
  for (const auto& [value, name] : kStatuses) {
    if (name == text) return value;
  }
  return std::nullopt;
}

Result<std::int64_t> RunLog::begin(RunKind kind, Timestamp started, std::string_view summary_json) {
  auto insert = m_database->prepare(
      "INSERT INTO runs (kind, started_at, status, summary) VALUES (?1, ?2, 'running', ?3)");
  if (!insert) return std::unexpected(std::move(insert.error()));
  insert->bind(1, to_string(kind)).bind(2, to_column(started)).bind(3, summary_json);
  if (auto done = insert->run(); !done) return std::unexpected(std::move(done.error()));
  return m_database->last_insert_rowid();
}

Result<void> RunLog::finish(std::int64_t id, RunStatus status, std::string_view summary_json,
                            Timestamp finished) {
  auto update = m_database->prepare(
      "UPDATE runs SET status = ?2, summary = ?3, finished_at = ?4 WHERE id = ?1");
  if (!update) return std::unexpected(std::move(update.error()));
  update->bind(1, id).bind(2, to_string(status)).bind(3, summary_json).bind(4, to_column(finished));
  if (auto done = update->run(); !done) return done;
  if (m_database->changes() == 0) {
    return fail(ErrorKind::infrastructure,
                fmt::format("state database '{}' has no run {}", m_database->path().string(), id));
  }
  return {};
}

Result<std::optional<RunRecord>> RunLog::find(std::int64_t id) {
  auto select = m_database->prepare(fmt::format("SELECT {} FROM runs WHERE id = ?1", kColumns));
  if (!select) return std::unexpected(std::move(select.error()));
  select->bind(1, id);
  auto runs = read_runs(*m_database, *select);
  if (!runs) return std::unexpected(std::move(runs.error()));
  if (runs->empty()) return std::nullopt;
  return std::move(runs->front());
}

Result<std::vector<RunRecord>> RunLog::recent(std::size_t limit) {
  auto select =
      m_database->prepare(fmt::format("SELECT {} FROM runs ORDER BY id DESC LIMIT ?1", kColumns));
  if (!select) return std::unexpected(std::move(select.error()));
  select->bind(1, static_cast<std::int64_t>(limit));
  return read_runs(*m_database, *select);
}

Result<std::optional<RunRecord>> RunLog::unfinished(RunKind kind) {
  auto select = m_database->prepare(fmt::format(
      "SELECT {} FROM runs WHERE kind = ?1 AND status = 'running' ORDER BY id DESC LIMIT 1",
      kColumns));
  if (!select) return std::unexpected(std::move(select.error()));
  select->bind(1, to_string(kind));
  auto runs = read_runs(*m_database, *select);
  if (!runs) return std::unexpected(std::move(runs.error()));
  if (runs->empty()) return std::nullopt;
  return std::move(runs->front());
}

}  // namespace driftlock::store
