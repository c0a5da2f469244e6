#include "store/history.hpp"

#include "store/time_column.hpp"

namespace driftlock::store {
namespace {

Result<std::vector<CulpritEvent>> read_events(Statement& select) {
  std::vector<CulpritEvent> events;
  for (;;) {
    auto row = select.step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return events;
    CulpritEvent event;
    if (!select.is_null(0)) event.run_id = select.column_int64(0);
    event.ecosystem = select.column_text(1);
    event.name = select.column_text(2);
    event.version = select.column_text(3);
    event.reason = select.column_text(4);
    event.at = to_timestamp(select.column_int64(5));
    events.push_back(std::move(event));
  }
}

}  // namespace

Result<void> CulpritHistory::record(const CulpritEvent& event) {
  auto insert = m_database->prepare(
      "INSERT INTO culprit_events (run_id, ecosystem, name, version, reason, at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!insert) return std::unexpected(std::move(insert.error()));
  if (event.run_id) {
    insert->bind(1, *event.run_id);
  } else {
    insert->bind_null(1);
  }
  insert->bind(2, event.ecosystem)
      .bind(3, event.name)
      .bind(4, event.version)
      .bind(5, event.reason)
      .bind(6, to_column(event.at));
  return insert->run();
}

Result<std::vector<CulpritEvent>> CulpritHistory::recent(std::size_t limit) {
  auto select = m_database->prepare(
      "SELECT run_id, ecosystem, name, version, reason, at FROM culprit_events "
      "ORDER BY at DESC, id DESC LIMIT ?1");
  if (!select) return std::unexpected(std::move(select.error()));
  select->bind(1, static_cast<std::int64_t>(limit));
  return read_events(*select);
}

Result<std::vector<CulpritEvent>> CulpritHistory::for_dependency(std::string_view ecosystem,
                                                                 std::string_view name) {
  auto select = m_database->prepare(
      "SELECT run_id, ecosystem, name, version, reason, at FROM culprit_events "
      "WHERE ecosystem = ?1 AND name = ?2 ORDER BY at DESC, id DESC");
  if (!select) return std::unexpected(std::move(select.error()));
  select->bind(1, ecosystem).bind(2, name);
  return read_events(*select);
}

}  // namespace driftlock::store
