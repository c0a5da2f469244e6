#include "ecosystems/npm/version.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace npm = driftlock::ecosystems::npm;
using driftlock::Prereleases;
using npm::Parsing;

namespace {

// Vectors from npm/node-semver's test/fixtures (comparisons, equality,
// invalid-versions, range-include, range-exclude); attribution, commit and
// licence are in tests/data/conformance/README.md.
const nlohmann::json& conformance() {
  static const nlohmann::json data = [] {
    std::ifstream in(std::string(DRIFTLOCK_TEST_DATA) + "/conformance/semver.json");
    REQUIRE(in.good());
    return nlohmann::json::parse(in);
  }();
  return data;
}

// Rows carry node-semver's effective options: {}, {"loose":true} or
// {"includePrerelease":true}.
Parsing parsing_of(const nlohmann::json& options) {
  return options.value("loose", false) ? Parsing::loose : Parsing::strict;
}

Prereleases prereleases_of(const nlohmann::json& options) {
  return options.value("includePrerelease", false) ? Prereleases::include : Prereleases::exclude;
}

npm::Version version(std::string_view text, Parsing parsing = Parsing::strict) {
  auto parsed = npm::parse_version(text, parsing);
  INFO(text);
  REQUIRE(parsed.has_value());
  return *parsed;
}

// node-semver's satisfies(): an invalid range or version satisfies nothing.
bool node_satisfies(std::string_view range, std::string_view text, const nlohmann::json& options) {
  const auto r = npm::parse_range(range, parsing_of(options));
  const auto v = npm::parse_version(text, parsing_of(options));
  return r && v && npm::satisfies(*r, *v, prereleases_of(options));
}

std::string error_of(std::string_view text, Parsing parsing) {
  auto parsed = npm::parse_version(text, parsing);
  REQUIRE_FALSE(parsed.has_value());
  return parsed.error().message;
}

std::string range_error_of(std::string_view text, Parsing parsing) {
  auto parsed = npm::parse_range(text, parsing);
  REQUIRE_FALSE(parsed.has_value());
  return parsed.error().message;
}

}  // namespace

TEST_CASE("node-semver comparison vectors", "[npm][version][conformance]") {
  const auto& rows = conformance().at("comparisons");
  REQUIRE(rows.size() == 31);
  for (const auto& row : rows) {
    const std::string a = row[0], b = row[1];
    const Parsing parsing = parsing_of(row[2]);
    CAPTURE(a, b, row[2].dump());
    const npm::Version va = version(a, parsing), vb = version(b, parsing);
    CHECK(npm::compare(va, vb) == 1);
    CHECK(npm::compare(vb, va) == -1);
    CHECK(npm::compare(va, va) == 0);
    CHECK(npm::compare(vb, vb) == 0);
  }
}

TEST_CASE("node-semver equality vectors", "[npm][version][conformance]") {
  const auto& rows = conformance().at("equality");
  REQUIRE(rows.size() == 37);
  for (const auto& row : rows) {
    const std::string a = row[0], b = row[1];
    const Parsing parsing = parsing_of(row[2]);
    CAPTURE(a, b, row[2].dump());
    CHECK(npm::compare(version(a, parsing), version(b, parsing)) == 0);
    CHECK(npm::compare(version(b, parsing), version(a, parsing)) == 0);
  }
}

TEST_CASE("node-semver invalid version vectors", "[npm][version][conformance]") {
  const auto& rows = conformance().at("invalid");
  REQUIRE(rows.size() == 7);
  for (const auto& row : rows) {
    const std::string text = row[0];
    CAPTURE(text, row[1].dump());
    CHECK_FALSE(npm::parse_version(text, parsing_of(row[1])).has_value());
  }
}

TEST_CASE("node-semver range-include vectors", "[npm][range][conformance]") {
  const auto& rows = conformance().at("range_include");
  REQUIRE(rows.size() == 126);
  for (const auto& row : rows) {
    const std::string range = row[0], text = row[1];
    CAPTURE(range, text, row[2].dump());
    CHECK(npm::parse_range(range, parsing_of(row[2])).has_value());
    CHECK(node_satisfies(range, text, row[2]));
  }
}

TEST_CASE("node-semver range-exclude vectors", "[npm][range][conformance]") {
  const auto& rows = conformance().at("range_exclude");
  REQUIRE(rows.size() == 97);
  for (const auto& row : rows) {
    const std::string range = row[0], text = row[1];
    CAPTURE(range, text, row[2].dump());
    CHECK_FALSE(node_satisfies(range, text, row[2]));
  }
}

TEST_CASE("npm versions parse to node-semver's canonical form", "[npm][version]") {
  struct Case {
    std::string_view text;
    Parsing parsing;
    std::string_view canonical;
  };
  const std::vector<Case> cases = {
      {"1.2.3", Parsing::strict, "1.2.3"},
      {"v1.2.3", Parsing::strict, "1.2.3"},
      {"  1.2.3\t", Parsing::strict, "1.2.3"},
      {"1.2.3-alpha.1+build.5", Parsing::strict, "1.2.3-alpha.1+build.5"},
      {"1.2.3-0a.-", Parsing::strict, "1.2.3-0a.-"},
      {"1.2.3+001", Parsing::strict, "1.2.3+001"},
      {"0.0.0", Parsing::strict, "0.0.0"},
      {"9007199254740991.0.0", Parsing::strict, "9007199254740991.0.0"},
      {"=1.2.3", Parsing::loose, "1.2.3"},
      {" = v 1.2.3", Parsing::loose, "1.2.3"},
      {"vv==1.2.3", Parsing::loose, "1.2.3"},
      {"01.02.03", Parsing::loose, "1.2.3"},
      {"1.2.3-01.02", Parsing::loose, "1.2.3-1.2"},
      {"1.2.3beta", Parsing::loose, "1.2.3-beta"},
      {"1.2.3beta.1+b", Parsing::loose, "1.2.3-beta.1+b"},
      // A loose patch gives digits to a hyphen-less pre-release when it must.
      {"1.2.34.5", Parsing::loose, "1.2.3-4.5"},
      {"1.2.3-", Parsing::loose, "1.2.3--"},
      {"1.2.3--beta", Parsing::loose, "1.2.3--beta"},
      // JavaScript whitespace: U+00A0 and U+3000 around and inside (loose).
      {"\xc2\xa0"
       "1.2.3\xe3\x80\x80",
       Parsing::strict, "1.2.3"},
      {"v\xe3\x80\x80"
       "1.2.3",
       Parsing::loose, "1.2.3"},
      // Identifiers from MAX_SAFE_INTEGER on stay text, leading zeros and all.
      {"1.2.3-9007199254740990", Parsing::strict, "1.2.3-9007199254740990"},
      {"1.2.3-09007199254740991", Parsing::loose, "1.2.3-09007199254740991"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text, c.parsing == Parsing::loose);
    CHECK(npm::to_string(version(c.text, c.parsing)) == c.canonical);
  }
}

TEST_CASE("npm version strings node-semver rejects", "[npm][version]") {
  const std::vector<std::pair<std::string_view, Parsing>> cases = {
      {"1.2", Parsing::loose},
      {"1.2.3.4", Parsing::loose},
      {"01.2.3", Parsing::strict},
      {"1.02.3", Parsing::strict},
      {"1.2.03", Parsing::strict},
      {"1.2.3-01", Parsing::strict},
      {"=1.2.3", Parsing::strict},
      {"V1.2.3", Parsing::loose},
      {"vv1.2.3", Parsing::strict},
      {"1.2.3beta", Parsing::strict},
      {"1.2.3-", Parsing::strict},
      {"1.2.3-a..b", Parsing::loose},
      {"1.2.3+", Parsing::loose},
      {"1.2.3+a+b", Parsing::loose},
      {"1.2.3-a_b", Parsing::loose},
      {"1.2.3 4", Parsing::loose},
      {"x.2.3", Parsing::loose},
      {"", Parsing::loose},
      {"   ", Parsing::loose},
      {"1.2.3\xe2\x80\x8b", Parsing::loose},  // U+200B is no space
      {"\xd9\xa1.2.3", Parsing::loose},       // Arabic-Indic digit one
  };
  for (const auto& [text, parsing] : cases) {
    CAPTURE(text, parsing == Parsing::loose);
    CHECK_FALSE(npm::parse_version(text, parsing).has_value());
  }
}

TEST_CASE("npm version error messages", "[npm][version][errors]") {
  CHECK(error_of("1.2", Parsing::strict) == "invalid npm version '1.2'");
  CHECK(error_of("", Parsing::loose) == "invalid npm version '': empty string");
  CHECK(error_of("9007199254740992.0.0", Parsing::strict) ==
        "invalid npm version '9007199254740992.0.0': number too large");
  CHECK(error_of("1.99999999999999999999.0", Parsing::loose) ==
        "invalid npm version '1.99999999999999999999.0': number too large");
  CHECK(error_of("1.2.3\t\x01\xff'\\", Parsing::loose) ==
        "invalid npm version '1.2.3\\x09\\x01\\xff\\'\\\\'");
  const std::string long_text = std::string(255, '1') + ".0.0";
  CHECK(error_of(long_text, Parsing::strict) ==
        "invalid npm version '" + std::string(100, '1') + "...': longer than 256 characters");
  // JavaScript counts UTF-16 units: 250 U+3000 spaces are 250, not 750.
  std::string spaced;
  for (int i = 0; i < 250; ++i) spaced += "\xe3\x80\x80";
  CHECK(npm::parse_version(spaced + "1.2.3", Parsing::strict).has_value());
  CHECK(error_of(spaced + "1.2.3.4", Parsing::strict).ends_with("': longer than 256 characters"));
  CHECK(npm::parse_version(std::string(251, ' ') + "1.2.3", Parsing::strict).has_value());
  CHECK(error_of("\xc3\xa9", Parsing::loose) == "invalid npm version '\\xc3\\xa9'");
}

TEST_CASE("npm versions order like node-semver", "[npm][version]") {
  // Strictly ascending.
  const std::vector<std::string_view> ordered = {
      "0.0.0-0",     "0.0.0-0.0",
      "0.0.0-1",     "0.0.0-9",
      "0.0.0-10",    "0.0.0--",
      "0.0.0-A",     "0.0.0-B",
      "0.0.0-a",     "0.0.0-a.0",
      "0.0.0-a.1",   "0.0.0-a.b",
      "0.0.0-alpha", "0.0.0",
      "0.0.1",       "0.1.0",
      "1.0.0-rc.1",  "1.0.0",
      "1.0.1",       "1.10.0",
      "2.0.0",       "9007199254740991.0.0",
  };
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    for (std::size_t j = 0; j < ordered.size(); ++j) {
      CAPTURE(ordered[i], ordered[j]);
      const int expected = i < j ? -1 : (i > j ? 1 : 0);
      CHECK(npm::compare(version(ordered[i]), version(ordered[j])) == expected);
    }
  }
  // Build metadata never orders.
  CHECK(npm::compare(version("1.2.3+a"), version("1.2.3+b")) == 0);
  // Past 2^53 identifiers compare as JavaScript doubles, so these tie.
  CHECK(npm::compare(version("1.0.0-9007199254740993"), version("1.0.0-9007199254740992")) == 0);
  CHECK(npm::compare(version("1.0.0-9007199254740994"), version("1.0.0-9007199254740992")) == 1);
}

TEST_CASE("npm ranges desugar like node-semver", "[npm][range]") {
  // Expected strings are node-semver 7.8.5's Range#range without and with
  // includePrerelease.
  struct Case {
    std::string_view range;
    std::string_view excluding;
    std::string_view including;
  };
  const std::vector<Case> cases = {
      {"1.2.3 - 2.3.4", ">=1.2.3 <=2.3.4", ">=1.2.3-0 <2.3.5-0"},
      {"1.2 - 2.3.4", ">=1.2.0 <=2.3.4", ">=1.2.0-0 <2.3.5-0"},
      {"1.2.3 - 2.3", ">=1.2.3 <2.4.0-0", ">=1.2.3-0 <2.4.0-0"},
      {"1.2.3 - 2", ">=1.2.3 <3.0.0-0", ">=1.2.3-0 <3.0.0-0"},
      {"1.2.3 - *", ">=1.2.3", ">=1.2.3-0"},
      {"1.x", ">=1.0.0 <2.0.0-0", ">=1.0.0-0 <2.0.0-0"},
      {"1.2.*", ">=1.2.0 <1.3.0-0", ">=1.2.0-0 <1.3.0-0"},
      {"*", "", ""},
      {"", "", ""},
      {"x", "", ""},
      {"~1.2.3", ">=1.2.3 <1.3.0-0", ">=1.2.3 <1.3.0-0"},
      {"~1.2", ">=1.2.0 <1.3.0-0", ">=1.2.0-0 <1.3.0-0"},
      {"~1", ">=1.0.0 <2.0.0-0", ">=1.0.0-0 <2.0.0-0"},
      {"~>1.2.3", ">=1.2.3 <1.3.0-0", ">=1.2.3 <1.3.0-0"},
      {"~ 1.2", ">=1.2.0 <1.3.0-0", ">=1.2.0-0 <1.3.0-0"},
      {"~1.2.3-beta.2", ">=1.2.3-beta.2 <1.3.0-0", ">=1.2.3-beta.2 <1.3.0-0"},
      {"^1.2.3", ">=1.2.3 <2.0.0-0", ">=1.2.3 <2.0.0-0"},
      {"^0.2.3", ">=0.2.3 <0.3.0-0", ">=0.2.3 <0.3.0-0"},
      {"^0.0.3", ">=0.0.3 <0.0.4-0", ">=0.0.3 <0.0.4-0"},
      {"^1.x", ">=1.0.0 <2.0.0-0", ">=1.0.0-0 <2.0.0-0"},
      {"^0.x", "<1.0.0-0", "<1.0.0-0"},
      {"^0.0.x", "<0.1.0-0", "<0.1.0-0"},
      {"^1.2.3-beta.2", ">=1.2.3-beta.2 <2.0.0-0", ">=1.2.3-beta.2 <2.0.0-0"},
      {"^0.0.3-beta", ">=0.0.3-beta <0.0.4-0", ">=0.0.3-beta <0.0.4-0"},
      {">=1.2.3 <2.0.0", ">=1.2.3 <2.0.0", ">=1.2.3 <2.0.0"},
      {"> 1.2", ">=1.3.0", ">=1.3.0-0"},
      {"<= 1.2", "<1.3.0-0", "<1.3.0-0"},
      {">1", ">=2.0.0", ">=2.0.0-0"},
      {"<1.2", "<1.2.0-0", "<1.2.0-0"},
      {">=1.2.x", ">=1.2.0", ">=1.2.0-0"},
      {"=1.2.x", ">=1.2.0 <1.3.0-0", ">=1.2.0-0 <1.3.0-0"},
      {"1.2.3 || >=2.0.0 <3", "1.2.3||>=2.0.0 <3.0.0-0", "1.2.3||>=2.0.0 <3.0.0-0"},
      {">=0.0.0", "", ">=0.0.0"},
      {">=0.0.0-0", ">=0.0.0-0", ""},
      {">x", "<0.0.0-0", "<0.0.0-0"},
      {"<0.0.0-0 || 1.2.3", "1.2.3", "1.2.3"},
      {"1.2.3+build", "1.2.3", "1.2.3"},
      {"v1.2.3", "1.2.3", "1.2.3"},
      {"=1.2.3", "1.2.3", "1.2.3"},
      {">=1.2.3 >=1.2.3", ">=1.2.3", ">=1.2.3"},
      {"* 1.2.3", "1.2.3", "1.2.3"},
      {"1.2.3 || *", "", ""},
      {"\t>=\xc2\xa0"
       "1.2.3\n",
       ">=1.2.3", ">=1.2.3"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.range);
    auto range = npm::parse_range(c.range, Parsing::strict);
    REQUIRE(range.has_value());
    CHECK(npm::to_string(*range, Prereleases::exclude) == c.excluding);
    CHECK(npm::to_string(*range, Prereleases::include) == c.including);
  }
}

TEST_CASE("loose npm ranges", "[npm][range]") {
  struct Case {
    std::string_view range;
    std::string_view desugared;
  };
  const std::vector<Case> cases = {
      {"1.2.3pre - 2", ">=1.2.3-pre <3.0.0-0"},
      {"01.2.3", "1.2.3"},
      {"~ 1.0.3alpha", ">=1.0.3-alpha <1.1.0-0"},
      // Loose mode drops what is no comparator instead of failing.
      {"== 1.0.0 || foo", "1.0.0"},
      {">=1.0.0 garbage", ">=1.0.0"},
      {"> = 1.2.3", "1.2.3"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.range);
    CHECK_FALSE(npm::parse_range(c.range, Parsing::strict).has_value());
    auto range = npm::parse_range(c.range, Parsing::loose);
    REQUIRE(range.has_value());
    CHECK(npm::to_string(*range, Prereleases::exclude) == c.desugared);
  }
}

TEST_CASE("npm range pre-release rule", "[npm][range]") {
  struct Case {
    std::string_view range;
    std::string_view version;
    bool excluding;
    bool including;
  };
  const std::vector<Case> cases = {
      {"^1.2.3-beta.1", "1.2.3-beta.2", true, true},
      {"^1.2.3-beta.1", "1.2.4-beta.1", false, true},
      {"^1.2.3", "1.2.4-beta.1", false, true},
      {">=1.0.0-0 <1.0.1", "1.0.0-x", true, true},
      {">1.0.0-0 || >=1.0.1", "1.0.0-x", true, true},
      {">=1.0.0-rc.1 || 2.x", "2.1.0-rc.1", false, true},
      {"*", "1.0.0-rc.1", false, true},
      {"1.x", "1.0.0-rc.1", false, true},
      {"1.x", "2.0.0-0", false, false},
      {"<2.0.0", "2.0.0-rc.1", false, true},
      {"<2.0.0-0", "2.0.0-rc.1", false, false},
      {"<0.0.0-0", "0.0.0-0", false, false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.range, c.version);
    auto range = npm::parse_range(c.range, Parsing::strict);
    REQUIRE(range.has_value());
    CHECK(npm::satisfies(*range, version(c.version), Prereleases::exclude) == c.excluding);
    CHECK(npm::satisfies(*range, version(c.version), Prereleases::include) == c.including);
  }
}

TEST_CASE("npm range error messages", "[npm][range][errors]") {
  CHECK(range_error_of(">=1.2.3 <", Parsing::strict) == "invalid npm range '>=1.2.3 <'");
  CHECK(range_error_of("1.2.3.4", Parsing::strict) == "invalid npm range '1.2.3.4'");
  CHECK(range_error_of("x.1", Parsing::strict) == "invalid npm range 'x.1'");
  CHECK(range_error_of("foo", Parsing::loose) == "invalid npm range 'foo'");
  CHECK(range_error_of("||foo", Parsing::strict) == "invalid npm range '||foo'");
  CHECK(range_error_of("^9007199254740992", Parsing::loose) ==
        "invalid npm range '^9007199254740992': number too large");
  CHECK(range_error_of("^9007199254740991", Parsing::strict) ==
        "invalid npm range '^9007199254740991': number too large");  // its upper bound overflows
  CHECK(range_error_of(">=1.2.3-" + std::string(251, 'a'), Parsing::strict) ==
        "invalid npm range '>=1.2.3-" + std::string(92, 'a') +
            "...': a version is longer than 256 characters");
  CHECK(range_error_of(">=1.2.3\x01", Parsing::strict) == "invalid npm range '>=1.2.3\\x01'");
}

TEST_CASE("npm version scheme for manifests and snapshots", "[npm][version][scheme]") {
  const driftlock::VersionScheme& scheme = npm::version_scheme();
  CHECK(scheme.ecosystem() == "npm");

  CHECK(scheme.normalize("v1.2.3").value() == "1.2.3");
  CHECK(scheme.normalize(" = 1.2.3-pre.01+Build.5").value() == "1.2.3-pre.1+Build.5");
  CHECK(scheme.normalize("1.2.3beta").value() == "1.2.3-beta");
  CHECK(scheme.normalize("1.2").error().message == "invalid npm version '1.2'");
  CHECK(scheme.normalize("1.2").error().kind == driftlock::ErrorKind::input);

  CHECK(scheme.compare("1.2.3", "v1.2.4").value() == -1);
  CHECK(scheme.compare("1.2.3+a", "1.2.3+b").value() == 0);
  CHECK(scheme.compare("2.0.0", "2.0.0-rc.1").value() == 1);
  CHECK(scheme.compare("1.2.3", "nope").error().message == "invalid npm version 'nope'");

  CHECK(scheme.is_prerelease("1.0.0-rc.1").value());
  CHECK_FALSE(scheme.is_prerelease("1.0.0+rc.1").value());
  CHECK(scheme.is_prerelease("1.0.0rc1").value());

  CHECK(scheme.validate_range("^4 || ~5.1").has_value());
  CHECK(scheme.validate_range("== 1.0.0 || foo").has_value());  // npm parses specs loose
  CHECK(scheme.validate_range(">=1.2.3 <").has_value());        // loose drops the lone "<"
  CHECK(scheme.validate_range("!!").error().message == "invalid npm range '!!'");

  CHECK(scheme.satisfies("^4", "4.17.21", Prereleases::exclude).value());
  CHECK_FALSE(scheme.satisfies("^4", "5.0.0", Prereleases::exclude).value());
  CHECK_FALSE(scheme.satisfies("^4", "4.18.0-rc.1", Prereleases::exclude).value());
  CHECK(scheme.satisfies("^4", "4.18.0-rc.1", Prereleases::include).value());
  CHECK(scheme.satisfies("*", "v4.0.0", Prereleases::exclude).value());
  // Unlike node-semver's satisfies(), a bad version is an error, not "no".
  CHECK(scheme.satisfies("*", "glorp", Prereleases::exclude).error().message ==
        "invalid npm version 'glorp'");
  CHECK(scheme.satisfies("!!", "1.0.0", Prereleases::exclude).error().message ==
        "invalid npm range '!!'");
}
