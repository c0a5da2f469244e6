#include <catch2/catch.hpp>

#include "ecosystems/debian/version.hpp"

#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

using namespace driftlock;
namespace debian = driftlock::ecosystems::debian;

namespace {

const VersionScheme& scheme() {
  return debian::version_scheme();
}

}  // namespace

// Vectors from apt's test/libapt/compareversion_test.cc, dpkg's
// scripts/t/Dpkg_Version.t and python-debian's test_debian_support.py (all
// GPL-2+); sources, commits and attribution are in tests/data/conformance/README.md.
TEST_CASE("debian: dpkg conformance vectors, both directions", "[debian][version][conformance]") {
  std::ifstream in(std::string(DRIFTLOCK_TEST_DATA) + "/conformance/debian.json");
  REQUIRE(in);
  auto data = nlohmann::json::parse(in);
  const auto& cases = data.at("cases");
  REQUIRE(cases.size() == 157);
  for (const auto& row : cases) {
    auto a = row.at(0).get<std::string>();
    auto b = row.at(1).get<std::string>();
    int expected = row.at(2).get<int>();
    INFO(fmt::format("'{}' vs '{}'", a, b));
    auto ab = scheme().compare(a, b);
    auto ba = scheme().compare(b, a);
    REQUIRE(ab.has_value());
    REQUIRE(ba.has_value());
    CHECK(*ab == expected);
    CHECK(*ba == -expected);
  }
}

TEST_CASE("debian: dpkg ordering details", "[debian][version]") {
  struct Row {
    std::string_view a, b;
    int expected;
  };
  const std::vector<Row> rows = {
      // '~' sorts before everything, even the end of the string.
      {"1.0~", "1.0", -1},
      {"1.0~~", "1.0~", -1},
      {"1.0~~a", "1.0~", -1},
      // Letters sort before non-letters, the end before letters.
      {"1.0a", "1.0+", -1},
      {"1.0", "1.0a", -1},
      {"1.0Z", "1.0a", -1},
      // Digit runs far beyond 64 bits compare numerically, leading zeros ignored.
      {"123456789012345678901234567890", "123456789012345678901234567891", -1},
      {"99999999999999999999999999999999", "100000000000000000000000000000000", -1},
      {"000000000000000000000000000000001", "1", 0},
      {"1.18446744073709551616", "1.18446744073709551615", 1},
      // Epoch first, then upstream, then revision.
      {"1:0.1", "0:99", 1},
      {"2147483647:1", "2147483646:2", 1},
      {"1.0-2", "1.0-10", -1},
      {"1.0-1~bpo12+1", "1.0-1", -1},
      {"1.0-1+deb12u1", "1.0-1", 1},
      // Surrounding whitespace is trimmed.
      {"\t1.0 \n", "1.0", 0},
  };
  for (const auto& row : rows) {
    INFO(fmt::format("'{}' vs '{}'", row.a, row.b));
    CHECK(scheme().compare(row.a, row.b) == row.expected);
    CHECK(scheme().compare(row.b, row.a) == -row.expected);
  }
}

TEST_CASE("debian: parse_version splits epoch, upstream and revision", "[debian][version]") {
  struct Row {
    std::string_view text;
    std::uint32_t epoch;
    std::string_view upstream, revision;
  };
  const std::vector<Row> rows = {
      {"1.0", 0, "1.0", ""},
      {"1:2.3-4", 1, "2.3", "4"},
      {"  7:1-a:b-5  ", 7, "1-a:b", "5"},
      {"1.18.36-0.17.35-18", 0, "1.18.36-0.17.35", "18"},
      {"0", 0, "0", ""},
      {"a", 0, "a", ""},  // dpkg only warns when upstream does not start with a digit
      {"2147483647:1", 2147483647, "1", ""},
      {"007:1", 7, "1", ""},
  };
  for (const auto& row : rows) {
    INFO(row.text);
    auto v = debian::parse_version(row.text);
    REQUIRE(v.has_value());
    CHECK(v->epoch == row.epoch);
    CHECK(v->upstream == row.upstream);
    CHECK(v->revision == row.revision);
  }
}

TEST_CASE("debian: parse_version errors", "[debian][version]") {
  struct Row {
    std::string_view text, message;
  };
  const std::vector<Row> rows = {
      {"", "invalid Debian version '': empty version"},
      {" \t", "invalid Debian version ' \\x09': empty version"},
      {"1.0 2", "invalid Debian version '1.0 2': embedded whitespace"},
      {" 1.0 -1 ", "invalid Debian version ' 1.0 -1 ': embedded whitespace"},
      {":1.0", "invalid Debian version ':1.0': empty epoch before ':'"},
      {"a:1.0", "invalid Debian version 'a:1.0': epoch 'a' is not a number"},
      {"-1:1.0", "invalid Debian version '-1:1.0': epoch '-1' is not a number"},
      {"1.0:2", "invalid Debian version '1.0:2': epoch '1.0' is not a number"},
      {"2147483648:1", "invalid Debian version '2147483648:1': epoch is larger than 2147483647"},
      {"99999999999999999999999:1",
       "invalid Debian version '99999999999999999999999:1': epoch is larger than 2147483647"},
      {"1:", "invalid Debian version '1:': nothing after the epoch's ':'"},
      {"1.0-", "invalid Debian version '1.0-': empty revision after '-'"},
      {"-1", "invalid Debian version '-1': empty upstream version"},
      {"1:-1", "invalid Debian version '1:-1': empty upstream version"},
      {"1.0_1", "invalid Debian version '1.0_1': invalid character '_' in upstream version"},
      {"1.0\x01",
       "invalid Debian version '1.0\\x01': invalid character '\\x01' in upstream version"},
      {"1:2-3:4", "invalid Debian version '1:2-3:4': invalid character ':' in revision"},
      {"1.0-1-", "invalid Debian version '1.0-1-': empty revision after '-'"},
      {"1.0-a_b", "invalid Debian version '1.0-a_b': invalid character '_' in revision"},
      {"1.0-\xc3\xa9",
       "invalid Debian version '1.0-\\xc3\\xa9': invalid character '\\xc3' in revision"},
  };
  for (const auto& row : rows) {
    INFO(row.text);
    auto v = debian::parse_version(row.text);
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().kind == ErrorKind::input);
    CHECK(v.error().message == row.message);
    // The scheme reports the same error from every entry point.
    CHECK(scheme().normalize(row.text).error().message == row.message);
    CHECK(scheme().compare(row.text, "1").error().message == row.message);
    CHECK(scheme().compare("1", row.text).error().message == row.message);
    CHECK(scheme().is_prerelease(row.text).error().message == row.message);
  }
}

TEST_CASE("debian: long versions are cut in messages", "[debian][version]") {
  std::string text(150, '1');
  text += "_";
  auto v = debian::parse_version(text);
  REQUIRE_FALSE(v.has_value());
  CHECK(v.error().message == "invalid Debian version '" + std::string(100, '1') +
                                 "...': invalid character '_' in upstream version");
}

TEST_CASE("debian: normalize keeps the version as written", "[debian][version]") {
  struct Row {
    std::string_view text, normalized;
  };
  const std::vector<Row> rows = {
      {"1.0", "1.0"},
      {"0:1.0", "0:1.0"},
      {"1.0-0", "1.0-0"},
      {" 9:1.18.37:4.3-22", "9:1.18.37:4.3-22"},
      {"\t2.0~rc1-1\n", "2.0~rc1-1"},
      {"007.0", "007.0"},
  };
  for (const auto& row : rows) {
    INFO(row.text);
    CHECK(scheme().normalize(row.text) == std::string(row.normalized));
  }
  CHECK(scheme().ecosystem() == "debian");
}

TEST_CASE("debian: pre-releases have '~' in the upstream part", "[debian][version]") {
  struct Row {
    std::string_view text;
    bool prerelease;
  };
  const std::vector<Row> rows = {
      {"2.0~rc1-1", true},      {"2.0~rc1", true},           {"1:0.5.0~git20240101-2", true},
      {"1.0-1~deb12u1", false}, {"1.0-1~bpo12+1", false},    {"1.0", false},
      {"1.0+dfsg-1", false},    {"3.0.11-1~deb12u2", false},
  };
  for (const auto& row : rows) {
    INFO(row.text);
    CHECK(scheme().is_prerelease(row.text) == row.prerelease);
  }
}

TEST_CASE("debian: ranges: satisfied and not", "[debian][range]") {
  struct Row {
    std::string_view range, version;
    bool expected;
  };
  const std::vector<Row> rows = {
      {"*", "1.0", true},
      {" * ", "0~~", true},
      {">= 1.2", "1.2", true},
      {">=1.2", "1.10", true},
      {">= 1.2", "1.1.9", false},
      {"<< 2.0", "2.0~rc1", true},
      {"<< 2.0", "2.0", false},
      {"<= 2.0", "2.0", true},
      {"<= 2.0", "2.0-1", false},
      {"<= 2.0", "2.0-0", true},
      {">> 2.0", "2.0", false},
      {">> 2.0", "2.0-1", true},
      {"= 1.0", "0:1.0-0", true},
      {"=1.0-1", "1.0-1", true},
      {"= 1.0-1", "1.0-1+b1", false},
      {">=1.2, << 2.0", "1.9.9-3", true},
      {">=1.2, << 2.0", "2.0", false},
      {">=1.2, << 2.0", "1.1", false},
      {" >= 1:1.0 ,<<1:2.0 ", "1:1.5", true},
      {">= 1:1.0", "9.9", false},
      {">= 3.0.11-1", "3.0.11-1~deb12u2", false},
      {">= 3.0.11-1~", "3.0.11-1~deb12u2", true},
  };
  for (const auto& row : rows) {
    INFO(fmt::format("'{}' satisfies '{}'", row.version, row.range));
    CHECK(scheme().validate_range(row.range).has_value());
    CHECK(scheme().satisfies(row.range, row.version, Prereleases::exclude) == row.expected);
    CHECK(scheme().satisfies(row.range, row.version, Prereleases::include) == row.expected);
  }
}

TEST_CASE("debian: ranges ignore the pre-release policy", "[debian][range]") {
  // apt has no notion of pre-releases: a '~' version inside the range is in it.
  CHECK(scheme().satisfies(">= 1.0", "2.0~rc1-1", Prereleases::exclude) == true);
  CHECK(scheme().satisfies("*", "2.0~rc1-1", Prereleases::exclude) == true);
}

TEST_CASE("debian: parse_range gives typed relations", "[debian][range]") {
  auto any = debian::parse_range("*");
  REQUIRE(any.has_value());
  CHECK(any->empty());
  auto two = debian::parse_range(">= 1:1.2-3, << 2.0");
  REQUIRE(two.has_value());
  REQUIRE(two->size() == 2);
  CHECK((*two)[0].op == debian::Op::greater_equal);
  CHECK((*two)[0].version.epoch == 1);
  CHECK((*two)[0].version.upstream == "1.2");
  CHECK((*two)[0].version.revision == "3");
  CHECK((*two)[1].op == debian::Op::less);
  CHECK((*two)[1].version.upstream == "2.0");
}

TEST_CASE("debian: range errors", "[debian][range]") {
  struct Row {
    std::string_view range, message;
  };
  const std::vector<Row> rows = {
      {"", "invalid Debian range '': empty range (use '*' for any version)"},
      {"  ", "invalid Debian range '  ': empty range (use '*' for any version)"},
      {"< 2.0",
       "invalid Debian range '< 2.0': '<' is deprecated in dpkg; use '<<' (earlier) or '<=' "
       "(earlier or equal)"},
      {">2.0",
       "invalid Debian range '>2.0': '>' is deprecated in dpkg; use '>>' (later) or '>=' "
       "(later or equal)"},
      {"1.0",
       "invalid Debian range '1.0': '1.0' has no operator (expected <<, <=, =, >= or >>, e.g. "
       "'= 1.0')"},
      {"== 1.0", "invalid Debian range '== 1.0': '==' is not a dpkg operator; use '='"},
      {"!= 1.0",
       "invalid Debian range '!= 1.0': '!=' is not a dpkg operator (expected <<, <=, =, >= or "
       ">>)"},
      {">=", "invalid Debian range '>=': missing version after the operator"},
      {">= 1.0,", "invalid Debian range '>= 1.0,': empty relation"},
      {",>= 1.0", "invalid Debian range ',>= 1.0': empty relation"},
      {">= 1.0,, << 2", "invalid Debian range '>= 1.0,, << 2': empty relation"},
      {"*, >= 1.0",
       "invalid Debian range '*, >= 1.0': '*' cannot be combined with other relations"},
      {">= 1.0, *",
       "invalid Debian range '>= 1.0, *': '*' cannot be combined with other relations"},
      {">= 1:", "invalid Debian range '>= 1:': version '1:': nothing after the epoch's ':'"},
      {">= 1.0 2.0", "invalid Debian range '>= 1.0 2.0': version '1.0 2.0': embedded whitespace"},
      {"(>= 1.0)",
       "invalid Debian range '(>= 1.0)': '(>= 1.0)' has no operator (expected <<, <=, =, >= or "
       ">>, e.g. '= (>= 1.0)')"},
  };
  for (const auto& row : rows) {
    INFO(row.range);
    auto checked = scheme().validate_range(row.range);
    REQUIRE_FALSE(checked.has_value());
    CHECK(checked.error().kind == ErrorKind::input);
    CHECK(checked.error().message == row.message);
    CHECK(scheme().satisfies(row.range, "1.0", Prereleases::include).error().message ==
          row.message);
  }
  // A bad version is reported even when the range is fine.
  CHECK(scheme().satisfies("*", "1.0-", Prereleases::include).error().message ==
        "invalid Debian version '1.0-': empty revision after '-'");
}
