// Culprits named by past runs, for `driftlock history`: which release of
// which dependency was held back, when, why, and by which run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "store/database.hpp"

namespace driftlock::store {

struct CulpritEvent {
  std::optional<std::int64_t> run_id;  // nullopt once that run's row is deleted
  std::string ecosystem;
  std::string name;
  std::string version;  // the release that was held back
  std::string reason;   // e.g. "fails test: test_tls_handshake"
  Timestamp at{};

  friend bool operator==(const CulpritEvent&, const CulpritEvent&) = default;
};

class CulpritHistory {
 public:
  explicit CulpritHistory(Database& database) : m_database(&database) {}

  Result<void> record(const CulpritEvent& event);

  // Newest first (ties: most recently recorded first).
  Result<std::vector<CulpritEvent>> recent(std::size_t limit);

  // One dependency's events, newest first.
  Result<std::vector<CulpritEvent>> for_dependency(std::string_view ecosystem,
                                                   std::string_view name);

 private:
  Database* m_database;
};

}  // namespace driftlock::store
