#include "store/closure_via.hpp"

#include <nlohmann/json.hpp>

#include "store/time_column.hpp"

namespace driftlock::store {

using nlohmann::json;

Result<void> ClosureViaLog::replace(std::string_view image, std::span<const std::string> ecosystems,
                                    const ClosureVia& via, Timestamp now) {
  return in_transaction(*m_database, [&]() -> Result<void> {
    auto remove =
        m_database->prepare("DELETE FROM closure_via WHERE image = ?1 AND ecosystem = ?2");
    if (!remove) return std::unexpected(std::move(remove.error()));
    auto insert = m_database->prepare(
        "INSERT INTO closure_via (image, ecosystem, name, via, captured_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!insert) return std::unexpected(std::move(insert.error()));
    for (const std::string& ecosystem : ecosystems) {
      remove->reset();
      remove->bind(1, image).bind(2, ecosystem);
      if (auto done = remove->run(); !done) return done;
      for (auto it = via.lower_bound({ecosystem, std::string()});
           it != via.end() && it->first.first == ecosystem; ++it) {
        insert->reset();
        insert->bind(1, image)
            .bind(2, ecosystem)
            .bind(3, it->first.second)
            .bind(4, json(it->second).dump(-1, ' ', false, json::error_handler_t::replace))
            .bind(5, to_column(now));
        if (auto done = insert->run(); !done) return done;
      }
    }
    return {};
  });
}

Result<ClosureVia> ClosureViaLog::for_image(std::string_view image) {
  auto select = m_database->prepare(
      "SELECT ecosystem, name, via FROM closure_via WHERE image = ?1 ORDER BY ecosystem, name");
  if (!select) return std::unexpected(std::move(select.error()));
  select->bind(1, image);
  ClosureVia out;
  for (;;) {
    auto row = select->step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return out;
    const json value = json::parse(select->column_text(2), nullptr, false);
    if (!value.is_array()) continue;
    std::vector<std::string> names;
    bool damaged = false;
    for (const json& name : value) {
      if (!name.is_string()) {
        damaged = true;
        break;
      }
      names.push_back(name.get<std::string>());
    }
    if (damaged) continue;
    out[{select->column_text(0), select->column_text(1)}] = std::move(names);
  }
}

}  // namespace driftlock::store
