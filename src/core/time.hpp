// Timestamps (RFC 3339, UTC), durations ("30m", "2d", "1h30m") and the Clock seam.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace driftlock {

using Timestamp = std::chrono::sys_seconds;

// Accepts "2024-08-01T00:00:00Z", fractional seconds, numeric offsets
// ("+02:00") and a lower-case 't'/'z'; a bare date means midnight UTC.
Result<Timestamp> parse_timestamp(std::string_view text);

// "2024-08-01T00:00:00Z" — the one spelling driftlock writes.
std::string format_timestamp(Timestamp t);

// A sequence of <number><unit> with units s, m, h, d, w ("90s", "1h30m", "2d");
// a bare "0" is zero.
Result<std::chrono::seconds> parse_duration(std::string_view text);

// "1h30m" style, the inverse of parse_duration for whole units.
std::string format_duration(std::chrono::seconds d);

// Where "now" comes from, so tests can fix it.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(Timestamp t) : m_now(t) {}
  Timestamp now() const override { return m_now; }
  void set(Timestamp t) { m_now = t; }

 private:
  Timestamp m_now;
};

}  // namespace driftlock
