// When driftlock first saw each release of each dependency, so `driftlock
// report` can say what is new since the snapshot, independent of what the
// registry claims as publish time.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "store/database.hpp"

namespace driftlock::store {

struct SeenRelease {
  std::string version;
  Timestamp first_seen{};

  friend bool operator==(const SeenRelease&, const SeenRelease&) = default;
};

class ReleaseLog {
 public:
  explicit ReleaseLog(Database& database) : m_database(&database) {}

  // Records `now` for every version not seen before; versions already known
  // keep their first sighting. One transaction; returns how many were new.
  Result<std::size_t> record_seen(std::string_view ecosystem, std::string_view name,
                                  std::span<const std::string> versions, Timestamp now);

  Result<std::optional<Timestamp>> first_seen(std::string_view ecosystem, std::string_view name,
                                              std::string_view version);

  // Every known version of one dependency, oldest sighting first (ties by version text).
  Result<std::vector<SeenRelease>> seen(std::string_view ecosystem, std::string_view name);

 private:
  Database* m_database;
};

}  // namespace driftlock::store
