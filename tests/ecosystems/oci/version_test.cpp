#include <catch2/catch.hpp>

#include "ecosystems/oci/version.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

using namespace driftlock;
namespace oci = driftlock::ecosystems::oci;

namespace {

const VersionScheme& scheme() {
  return oci::version_scheme();
}

}  // namespace

TEST_CASE("oci: valid tags normalize to themselves", "[oci][version]") {
  const std::string longest = "a" + std::string(127, 'b');
  for (std::string_view tag :
       {std::string_view("stable"), std::string_view("12"), std::string_view("3.11.4-slim"),
        std::string_view("_internal"), std::string_view("v1.2.3"), std::string_view("Latest"),
        std::string_view("1.0-rc.1"), std::string_view(longest)}) {
    INFO(tag);
    CHECK(scheme().normalize(tag) == std::string(tag));
  }
  CHECK(scheme().ecosystem() == "oci");
}

TEST_CASE("oci: invalid tags", "[oci][version]") {
  const std::string digest = "sha256:" + std::string(64, 'a');
  const std::string too_long = std::string(129, 'a');
  struct Row {
    std::string text, message;
  };
  const std::vector<Row> rows = {
      {"", "invalid OCI tag '': empty tag"},
      {digest, "invalid OCI tag '" + digest +
                   "': a digest is not a tag; give the tag to follow (the snapshot records its "
                   "digest)"},
      {"base@sha256:abc",
       "invalid OCI tag 'base@sha256:abc': a digest is not a tag; give the tag to follow (the "
       "snapshot records its digest)"},
      {"debian:12",
       "invalid OCI tag 'debian:12': invalid character ':'; the value is just the tag (the image "
       "goes in the key)"},
      {too_long, "invalid OCI tag '" + std::string(100, 'a') + "...': longer than 128 characters"},
      {"-slim", "invalid OCI tag '-slim': tags start with a letter, digit or '_'"},
      {".1", "invalid OCI tag '.1': tags start with a letter, digit or '_'"},
      {"a b",
       "invalid OCI tag 'a b': invalid character ' ' (allowed: A-Z, a-z, 0-9, '_', '.', '-')"},
      {"3.*",
       "invalid OCI tag '3.*': invalid character '*' (allowed: A-Z, a-z, 0-9, '_', '.', '-')"},
      {"t\xc3\xa9",
       "invalid OCI tag 't\\xc3\\xa9': invalid character '\\xc3' (allowed: A-Z, a-z, 0-9, '_', "
       "'.', '-')"},
      {"a/b",
       "invalid OCI tag 'a/b': invalid character '/' (allowed: A-Z, a-z, 0-9, '_', '.', '-')"},
  };
  for (const auto& row : rows) {
    INFO(row.text);
    auto checked = oci::validate_tag(row.text);
    REQUIRE_FALSE(checked.has_value());
    CHECK(checked.error().kind == ErrorKind::input);
    CHECK(checked.error().message == row.message);
    CHECK(scheme().normalize(row.text).error().message == row.message);
    CHECK(scheme().compare(row.text, "1").error().message == row.message);
    CHECK(scheme().compare("1", row.text).error().message == row.message);
    CHECK(scheme().is_prerelease(row.text).error().message == row.message);
  }
}

TEST_CASE("oci: tag order, pairwise", "[oci][version]") {
  struct Row {
    std::string_view a, b;
    int expected;
  };
  const std::vector<Row> rows = {
      // Same variant: numbers decide, component by component, as values.
      {"3.11.4-slim", "3.12.0-slim", -1},
      {"3.9-slim", "3.10-slim", -1},
      {"12", "12.5", -1},
      {"9", "10", -1},
      {"1.99999999999999999999999", "1.100000000000000000000000", -1},
      // Fewer components first when otherwise equal: only identical tags are equal.
      {"3.12", "3.12.0", -1},
      {"3.12-slim", "3.12.0-slim", -1},
      // Pre-releases before their release, dev < alpha < beta < pre < rc.
      {"3.13.0rc1", "3.13.0", -1},
      {"3.13.0b2-slim", "3.13.0-slim", -1},
      {"3.13.0a1", "3.13.0b1", -1},
      {"3.13.0b3", "3.13.0rc1", -1},
      {"3.13.0rc1", "3.13.0rc2", -1},
      {"3.13.0rc2", "3.13.0rc10", -1},
      {"1.0-dev", "1.0-alpha", -1},
      {"1.0-alpha", "1.0-beta", -1},
      {"1.0-beta", "1.0-preview", -1},
      {"1.0-preview", "1.0-rc.1", -1},
      {"1.0-rc.1", "1.0", -1},
      {"3.13.0rc1", "3.12.5", 1},  // numbers before pre-release
      // Same numbers, different spelling: by text.
      {"1.2.3", "v1.2.3", -1},
      {"01", "1", -1},
      {"3.13.0-rc1", "3.13.0rc1", -1},
      // Different variants are separate lines, ordered by variant text.
      {"3.12-slim", "3.11-alpine", 1},
      {"3.12", "3.11-slim", -1},
      {"12-bookworm", "12-bullseye", -1},
      // Names that are not versions go first, by text.
      {"latest", "1.0", -1},
      {"stable", "latest", 1},
      {"vnext", "v1", -1},
      {"stable", "stable", 0},
      {"3.12-slim", "3.12-slim", 0},
  };
  for (const auto& row : rows) {
    INFO(fmt::format("'{}' vs '{}'", row.a, row.b));
    CHECK(scheme().compare(row.a, row.b) == row.expected);
    CHECK(scheme().compare(row.b, row.a) == -row.expected);
  }
}

TEST_CASE("oci: tag order is a total order, equal only when identical", "[oci][version]") {
  const std::vector<std::string> tags = {
      "latest",      "stable",      "12",          "12.5",           "12-slim",       "12.5-slim",
      "3.11.4-slim", "3.12-slim",   "3.12.0-slim", "3.12",           "3.12.0",        "v3.12.0",
      "03.12.0",     "3.13.0rc1",   "3.13.0-rc1",  "3.13.0rc1-slim", "3.13.0b2-slim", "3.13.0",
      "1.0-alpha",   "1.0-alpha.2", "1.0-alpine",  "1.0-bookworm",   "1.0",           "1.0.",
      "1.0..1",      "1.0.0-dev",   "1.0rc",       "1.0RC1",         "1.0a1",         "1.0a",
      "V1.0",        "_x",          "20240101",    "2024.01.05",     "1-2-3",
  };
  for (const auto& a : tags) {
    for (const auto& b : tags) {
      int ab = oci::compare_tags(a, b);
      INFO(fmt::format("'{}' vs '{}'", a, b));
      CHECK(ab == -oci::compare_tags(b, a));
      CHECK((ab == 0) == (a == b));
      for (const auto& c : tags) {
        // Transitivity.
        if (ab < 0 && oci::compare_tags(b, c) < 0) CHECK(oci::compare_tags(a, c) < 0);
      }
    }
  }
  auto sorted = tags;
  std::sort(sorted.begin(), sorted.end(),
            [](const std::string& a, const std::string& b) { return oci::compare_tags(a, b) < 0; });
  CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
}

TEST_CASE("oci: pre-release tags", "[oci][version]") {
  struct Row {
    std::string_view tag;
    bool prerelease;
  };
  const std::vector<Row> rows = {
      {"3.13.0rc1", true},
      {"3.13.0b2-slim", true},
      {"1.0-alpha", true},
      {"3.13.0a1", true},
      {"1.0-beta.2", true},
      {"2.0.0-dev", true},
      {"1.0_rc2", true},
      {"v2.0-pre", true},
      {"1.0.0-preview.3", true},
      {"1.0RC1", true},
      {"stable", false},
      {"latest", false},
      {"rc", false},
      {"latest-dev", false},
      {"3.12-alpine", false},
      {"12-bookworm", false},
      {"12-bullseye", false},
      {"1.0-debian", false},
      {"1.0-devel", false},
      {"1.0a", false},
      {"1.0-a1", false},
      {"1.0-prerelease", false},
      {"3.12.4-slim", false},
      {"12", false},
  };
  for (const auto& row : rows) {
    INFO(row.tag);
    CHECK(scheme().is_prerelease(row.tag) == row.prerelease);
  }
}

TEST_CASE("oci: glob matching", "[oci][range]") {
  struct Row {
    std::string_view pattern, tag;
    bool expected;
  };
  const std::vector<Row> rows = {
      {"*", "anything", true},
      {"3.11.*-slim", "3.11.4-slim", true},
      {"3.11.*-slim", "3.11.4", false},
      {"3.11.*-slim", "3.11.-slim", true},
      {"3.11.*-slim", "3.1.4-slim", false},
      {"*-slim", "3.12-slim", true},
      {"*-slim", "slim", false},
      {"a*b*c", "aXbYbZc", true},
      {"a*b*c", "aXcYb", false},
      {"**", "", true},
      {"3.*.*", "3.12.1", true},
      {"3.*.*", "3.12", false},
      {"stable", "stable", true},
      {"stable", "stable2", false},
  };
  for (const auto& row : rows) {
    INFO(fmt::format("'{}' ~ '{}'", row.pattern, row.tag));
    CHECK(oci::glob_match(row.pattern, row.tag) == row.expected);
  }
}

TEST_CASE("oci: ranges: a tag or a glob over tags", "[oci][range]") {
  struct Row {
    std::string_view range, tag;
    Prereleases prereleases;
    bool expected;
  };
  const auto ex = Prereleases::exclude;
  const auto in = Prereleases::include;
  const std::vector<Row> rows = {
      {"stable", "stable", ex, true},
      {"stable", "stable-slim", ex, false},
      {"stable", "Stable", ex, false},
      {"3.13.0rc1", "3.13.0rc1", ex, true},  // a tag named exactly is followed as is
      {"3.11.*-slim", "3.11.9-slim", ex, true},
      {"3.11.*-slim", "3.12.0-slim", ex, false},
      {"*", "latest", ex, true},
      {"*", "3.13.0rc1", ex, false},
      {"*", "3.13.0rc1", in, true},
      {"3.13.*", "3.13.0b2", ex, false},
      {"3.13.*", "3.13.0b2", in, true},
      {"3.13.0rc*", "3.13.0rc2", ex, true},  // the glob names a pre-release itself
      {"3.13.*-rc*", "3.13.0-rc1", ex, true},
      {"*-rc*", "3.13.0-rc1", ex, true},
      {"3.11.*", "3.11.0b1", ex, false},
      {"12-*", "12-bookworm", ex, true},
  };
  for (const auto& row : rows) {
    INFO(fmt::format("'{}' in '{}'", row.tag, row.range));
    CHECK(scheme().validate_range(row.range).has_value());
    CHECK(scheme().satisfies(row.range, row.tag, row.prereleases) == row.expected);
  }
}

TEST_CASE("oci: range errors", "[oci][range]") {
  struct Row {
    std::string_view range, message;
  };
  const std::vector<Row> rows = {
      {"", "invalid OCI range '': empty tag"},
      {"3.11 *",
       "invalid OCI range '3.11 *': invalid character ' ' (allowed: A-Z, a-z, 0-9, '_', '.', "
       "'-', '*')"},
      {"-*", "invalid OCI range '-*': tags start with a letter, digit or '_'"},
      {">=3.11",
       "invalid OCI range '>=3.11': invalid character '>' (allowed: A-Z, a-z, 0-9, '_', '.', "
       "'-', '*')"},
      {"3.11?",
       "invalid OCI range '3.11?': invalid character '?' (allowed: A-Z, a-z, 0-9, '_', '.', "
       "'-', '*')"},
      {"sha256:0123",
       "invalid OCI range 'sha256:0123': a digest is not a tag; give the tag to follow (the "
       "snapshot records its digest)"},
      {"base:stable",
       "invalid OCI range 'base:stable': invalid character ':'; the value is just the tag (the "
       "image goes in the key)"},
  };
  for (const auto& row : rows) {
    INFO(row.range);
    auto checked = scheme().validate_range(row.range);
    REQUIRE_FALSE(checked.has_value());
    CHECK(checked.error().kind == ErrorKind::input);
    CHECK(checked.error().message == row.message);
    CHECK(scheme().satisfies(row.range, "1", Prereleases::include).error().message == row.message);
  }
  // Wildcards do not count toward the 128-character limit.
  CHECK(scheme().validate_range(std::string(128, 'a') + "*").has_value());
  CHECK(scheme().validate_range(std::string(129, 'a') + "*").error().message ==
        "invalid OCI range '" + std::string(100, 'a') + "...': longer than 128 characters");
  CHECK(scheme().satisfies("*", "-x", Prereleases::include).error().message ==
        "invalid OCI tag '-x': tags start with a letter, digit or '_'");
}
