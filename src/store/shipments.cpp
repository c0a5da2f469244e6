#include "store/shipments.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>
#include <vector>

#include "store/time_column.hpp"

namespace driftlock::store {
namespace {

constexpr std::array<std::pair<ShipmentStep, std::string_view>, 6> kSteps = {{
    {ShipmentStep::staged, "staged"},
    {ShipmentStep::pushing, "pushing"},
    {ShipmentStep::pushed, "pushed"},
    {ShipmentStep::written, "written"},
    {ShipmentStep::done, "done"},
    {ShipmentStep::abandoned, "abandoned"},
}};

std::optional<ShipmentStep> parse_step(std::string_view text) {
  for (const auto& [value, name] : kSteps) {
    if (name == text) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(ShipmentStep step) {
  for (const auto& [value, name] : kSteps) {
    if (value == step) return name;
  }
  return "?";
}

Result<std::int64_t> ShipmentLog::begin(const Shipment& shipment) {
  auto insert = m_database->prepare(
      "INSERT INTO shipments (run_id, image, snapshot, candidate_id, previous, content, message, "
      "step, started_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (!insert) return std::unexpected(std::move(insert.error()));
  if (shipment.run_id) {
    insert->bind(1, *shipment.run_id);
  } else {
    insert->bind_null(1);
  }
  insert->bind(2, shipment.image)
      .bind(3, shipment.snapshot)
      .bind(4, shipment.candidate_id)
      .bind(5, shipment.previous)
      .bind(6, shipment.content)
      .bind(7, shipment.message)
      .bind(8, to_string(shipment.step))
      .bind(9, to_column(shipment.started))
      .bind(10, to_column(shipment.updated));
  if (auto done = insert->run(); !done) return std::unexpected(std::move(done.error()));
  return m_database->last_insert_rowid();
}

Result<void> ShipmentLog::advance(std::int64_t id, ShipmentStep step, Timestamp now) {
  auto update =
      m_database->prepare("UPDATE shipments SET step = ?2, updated_at = ?3 WHERE id = ?1");
  if (!update) return std::unexpected(std::move(update.error()));
  update->bind(1, id).bind(2, to_string(step)).bind(3, to_column(now));
  if (auto done = update->run(); !done) return done;
  if (m_database->changes() == 0) {
    return fail(ErrorKind::infrastructure, fmt::format("state database '{}' has no shipment {}",
                                                       m_database->path().string(), id));
  }
  return {};
}

Result<std::vector<Shipment>> ShipmentLog::unfinished() {
  auto select = m_database->prepare(
      "SELECT id, run_id, image, snapshot, candidate_id, previous, content, message, step, "
      "started_at, updated_at FROM shipments WHERE step NOT IN ('done', 'abandoned') ORDER BY id");
  if (!select) return std::unexpected(std::move(select.error()));
  std::vector<Shipment> found;
  for (;;) {
    auto row = select->step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return found;
    Shipment s;
    s.id = select->column_int64(0);
    if (!select->is_null(1)) s.run_id = select->column_int64(1);
    s.image = select->column_text(2);
    s.snapshot = select->column_text(3);
    s.candidate_id = select->column_text(4);
    if (!select->is_null(5)) s.previous = select->column_text(5);
    s.content = select->column_text(6);
    s.message = select->column_text(7);
    const std::string step = select->column_text(8);
    auto parsed = parse_step(step);
    if (!parsed) {
      return fail(ErrorKind::infrastructure,
                  fmt::format("state database '{}': shipment {} has unknown step '{}'",
                              m_database->path().string(), s.id, step));
    }
    s.step = *parsed;
    s.started = to_timestamp(select->column_int64(9));
    s.updated = to_timestamp(select->column_int64(10));
    found.push_back(std::move(s));
  }
}

}  // namespace driftlock::store
