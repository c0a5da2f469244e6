#include "store/releases.hpp"

#include "store/time_column.hpp"

namespace driftlock::store {

Result<std::size_t> ReleaseLog::record_seen(std::string_view ecosystem, std::string_view name,
                                            std::span<const std::string> versions, Timestamp now) {
  return in_transaction(*m_database, [&]() -> Result<std::size_t> {
    // OR IGNORE: the first sighting wins, later ones change nothing.
    auto insert = m_database->prepare(
        "INSERT OR IGNORE INTO releases_seen (ecosystem, name, version, first_seen) "
        "VALUES (?1, ?2, ?3, ?4)");
    if (!insert) return std::unexpected(std::move(insert.error()));
    std::size_t added = 0;
    for (const std::string& version : versions) {
      insert->reset();
      insert->bind(1, ecosystem).bind(2, name).bind(3, version).bind(4, to_column(now));
      if (auto done = insert->run(); !done) return std::unexpected(std::move(done.error()));
      added += static_cast<std::size_t>(m_database->changes());
    }
    return added;
  });
}

Result<std::optional<Timestamp>> ReleaseLog::first_seen(std::string_view ecosystem,
                                                        std::string_view name,
                                                        std::string_view version) {
  auto select = m_database->prepare(
      "SELECT first_seen FROM releases_seen WHERE ecosystem = ?1 AND name = ?2 AND version = ?3");
  if (!select) return std::unexpected(std::move(select.error()));
  select->bind(1, ecosystem).bind(2, name).bind(3, version);
  auto row = select->step();
  if (!row) return std::unexpected(std::move(row.error()));
  if (!*row) return std::nullopt;
  return to_timestamp(select->column_int64(0));
}

Result<std::vector<SeenRelease>> ReleaseLog::seen(std::string_view ecosystem,
                                                  std::string_view name) {
  auto select = m_database->prepare(
      "SELECT version, first_seen FROM releases_seen WHERE ecosystem = ?1 AND name = ?2 "
      "ORDER BY first_seen, version");
  if (!select) return std::unexpected(std::move(select.error()));
  select->bind(1, ecosystem).bind(2, name);
  std::vector<SeenRelease> releases;
  for (;;) {
    auto row = select->step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return releases;
    releases.push_back({select->column_text(0), to_timestamp(select->column_int64(1))});
  }
}

}  // namespace driftlock::store
