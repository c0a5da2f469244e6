#include "core/time.hpp"

#include <catch2/catch.hpp>

using namespace driftlock;
using namespace std::chrono_literals;

TEST_CASE("timestamps parse RFC 3339 and format canonically", "[core][time]") {
  struct Case {
    std::string_view text;
    std::string_view canonical;
  };
  const Case cases[] = {
      {"2024-08-01T00:00:00Z", "2024-08-01T00:00:00Z"},
      {"2024-08-01t12:30:45z", "2024-08-01T12:30:45Z"},
      {"2024-08-01T12:30:45.123456Z", "2024-08-01T12:30:45Z"},
      {"2024-08-01T02:00:00+02:00", "2024-08-01T00:00:00Z"},
      {"2024-07-31T22:00:00-02:00", "2024-08-01T00:00:00Z"},
      {"2024-02-29", "2024-02-29T00:00:00Z"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    auto t = parse_timestamp(c.text);
    REQUIRE(t);
    CHECK(format_timestamp(*t) == c.canonical);
  }
}

TEST_CASE("bad timestamps are errors", "[core][time]") {
  for (std::string_view text :
       {"", "yesterday", "2023-02-29", "2024-13-01", "2024-08-01T25:00:00Z", "2024-08-01T00:00:00",
        "2024-08-01T00:00:00Zjunk", "\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa4-01-01"}) {
    INFO(text);
    auto t = parse_timestamp(text);
    REQUIRE_FALSE(t);
  }
  CHECK(parse_timestamp("soon").error().message ==
        "invalid timestamp 'soon' (expected RFC 3339, e.g. 2024-08-01T00:00:00Z)");
}

TEST_CASE("durations", "[core][time]") {
  CHECK(parse_duration("0") == 0s);
  CHECK(parse_duration("90s") == 90s);
  CHECK(parse_duration("30m") == 30min);
  CHECK(parse_duration("2d") == 48h);
  CHECK(parse_duration("1w") == 168h);
  CHECK(parse_duration("1h30m") == 90min);
  for (std::string_view bad : {"", "m", "30", "3x", "-1s", "1.5h", "99999999999999999999d"}) {
    INFO(bad);
    CHECK_FALSE(parse_duration(bad));
  }
  CHECK(parse_duration("soon").error().message ==
        "invalid duration 'soon' (expected e.g. 90s, 30m, 2h, 2d, 1w or 1h30m)");
  CHECK(format_duration(90min) == "1h30m");
  CHECK(format_duration(0s) == "0");
  CHECK(format_duration(49h) == "2d1h");
}
