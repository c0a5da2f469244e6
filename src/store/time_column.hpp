// Timestamps are stored as INTEGER seconds since the Unix epoch. Internal to store/.
#pragma once

#include <cstdint>

#include "core/time.hpp"

namespace driftlock::store {

inline std::int64_t to_column(Timestamp t) {
  return t.time_since_epoch().count();
}

inline Timestamp to_timestamp(std::int64_t seconds) {
  return Timestamp(std::chrono::seconds(seconds));
}

}  // namespace driftlock::store
