#include "core/time.hpp"

#include <fmt/format.h>

#include <cctype>
#include <limits>

namespace driftlock {
namespace {

bool take_digits(std::string_view& s, std::size_t count, int& out) {
  if (s.size() < count) return false;
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  s.remove_prefix(count);
  out = value;
  return true;
}

bool take_char(std::string_view& s, char expected) {
  if (s.empty() || std::tolower(static_cast<unsigned char>(s[0])) != expected) return false;
  s.remove_prefix(1);
  return true;
}

}  // namespace

Result<Timestamp> parse_timestamp(std::string_view text) {
  auto bad = [&] {
    return fail_input(
        fmt::format("invalid timestamp '{}' (expected RFC 3339, e.g. "
                    "2024-08-01T00:00:00Z)",
                    text));
  };
  std::string_view s = text;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!take_digits(s, 4, year) || !take_char(s, '-') || !take_digits(s, 2, month) ||
      !take_char(s, '-') || !take_digits(s, 2, day)) {
    return bad();
  }
  std::chrono::year_month_day ymd{std::chrono::year(year),
                                  std::chrono::month(static_cast<unsigned>(month)),
                                  std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) return bad();
  int offset_seconds = 0;
  if (!s.empty()) {
    if (!take_char(s, 't') && !take_char(s, ' ')) return bad();
    if (!take_digits(s, 2, hour) || !take_char(s, ':') || !take_digits(s, 2, minute) ||
        !take_char(s, ':') || !take_digits(s, 2, second)) {
      return bad();
    }
    if (hour > 23 || minute > 59 || second > 60) return bad();
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      std::size_t n = 0;
      while (n < s.size() && std::isdigit(static_cast<unsigned char>(s[n]))) ++n;
      if (n == 0) return bad();
      s.remove_prefix(n);  // sub-second precision is not kept
    }
    if (take_char(s, 'z')) {
      // UTC
    } else if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
      int sign = s[0] == '-' ? -1 : 1;
      s.remove_prefix(1);
      int oh = 0, om = 0;
      if (!take_digits(s, 2, oh) || !take_char(s, ':') || !take_digits(s, 2, om) || oh > 23 ||
          om > 59) {
        return bad();
      }
      offset_seconds = sign * (oh * 3600 + om * 60);
    } else {
      return bad();
    }
    if (!s.empty()) return bad();
  }
  auto days = std::chrono::sys_days(ymd);
  return Timestamp(days) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second) - std::chrono::seconds(offset_seconds);
}

std::string format_timestamp(Timestamp t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd{days};
  std::chrono::hh_mm_ss hms{t - days};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

Result<std::chrono::seconds> parse_duration(std::string_view text) {
  auto bad = [&] {
    return fail_input(
        fmt::format("invalid duration '{}' (expected e.g. 90s, 30m, 2h, 2d, 1w or 1h30m)", text));
  };
  if (text == "0") return std::chrono::seconds(0);
  if (text.empty()) return bad();
  std::string_view s = text;
  long long total = 0;
  constexpr long long kMax = std::numeric_limits<long long>::max() / 1000;
  while (!s.empty()) {
    long long number = 0;
    std::size_t n = 0;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9') {
      number = number * 10 + (s[n] - '0');
      if (number > kMax) return bad();
      ++n;
    }
    if (n == 0 || n == s.size()) return bad();
    long long unit = 0;
    switch (s[n]) {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'd':
        unit = 86400;
        break;
      case 'w':
        unit = 604800;
        break;
      default:
        return bad();
    }
    if (number > kMax / unit) return bad();
    total += number * unit;
    if (total > kMax) return bad();
    s.remove_prefix(n + 1);
  }
  return std::chrono::seconds(total);
}

std::string format_duration(std::chrono::seconds d) {
  long long s = d.count();
  if (s == 0) return "0";
  std::string out;
  const std::pair<long long, char> units[] = {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}};
  for (auto [size, name] : units) {
    if (s >= size) {
      out += fmt::format("{}{}", s / size, name);
      s %= size;
    }
  }
  return out;
}

Timestamp SystemClock::now() const {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace driftlock
