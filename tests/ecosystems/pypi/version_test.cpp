// PEP 440 versions. The conformance vectors in tests/data/conformance/pep440.json
// are taken from pypa/packaging's tests/test_version.py (see the README there
// for the commit and licence).
#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ecosystems/pypi/version.hpp"

using namespace driftlock;
using namespace driftlock::ecosystems::pypi;

namespace {

const nlohmann::json& pep440_vectors() {
  static const nlohmann::json data = [] {
    std::ifstream in(DRIFTLOCK_TEST_DATA "/conformance/pep440.json");
    REQUIRE(in.good());
    return nlohmann::json::parse(in);
  }();
  return data;
}

Version parse(std::string_view text) {
  Result<Version> v = parse_version(text);
  INFO(text);
  REQUIRE(v.has_value());
  return *v;
}

std::string normalized(std::string_view text) {
  return to_string(parse(text));
}

std::string error_of(std::string_view text) {
  Result<Version> v = parse_version(text);
  INFO(text);
  REQUIRE_FALSE(v.has_value());
  CHECK(v.error().kind == ErrorKind::input);
  return v.error().message;
}

}  // namespace

TEST_CASE("pep440 conformance: ordered versions", "[pypi][version][conformance]") {
  std::vector<Version> versions;
  std::vector<std::string> texts;
  for (const auto& item : pep440_vectors().at("ordered")) {
    texts.push_back(item.get<std::string>());
    versions.push_back(parse(texts.back()));
  }
  REQUIRE(versions.size() == 92);
  std::size_t pairs = 0;
  for (std::size_t i = 0; i < versions.size(); ++i) {
    CHECK(compare(versions[i], versions[i]) == 0);
    for (std::size_t j = i + 1; j < versions.size(); ++j) {
      INFO(texts[i] << " < " << texts[j]);
      const int ab = compare(versions[i], versions[j]);
      const int ba = compare(versions[j], versions[i]);
      // The six operators, both ways round, as upstream checks them.
      CHECK(ab < 0);
      CHECK(ab <= 0);
      CHECK_FALSE(ab == 0);
      CHECK(ab != 0);
      CHECK_FALSE(ab >= 0);
      CHECK_FALSE(ab > 0);
      CHECK(ba > 0);
      CHECK(ba >= 0);
      CHECK_FALSE(ba == 0);
      CHECK(ba != 0);
      CHECK_FALSE(ba <= 0);
      CHECK_FALSE(ba < 0);
      ++pairs;
    }
  }
  CHECK(pairs == 92 * 91 / 2);
}

TEST_CASE("pep440 conformance: the scheme interface orders the same way",
          "[pypi][version][conformance]") {
  const VersionScheme& scheme = version_scheme();
  const auto& ordered = pep440_vectors().at("ordered");
  for (std::size_t i = 0; i + 1 < ordered.size(); ++i) {
    const std::string a = ordered[i].get<std::string>();
    const std::string b = ordered[i + 1].get<std::string>();
    INFO(a << " < " << b);
    CHECK(scheme.compare(a, b) == -1);
    CHECK(scheme.compare(b, a) == 1);
    CHECK(scheme.compare(a, a) == 0);
  }
}

TEST_CASE("pep440 conformance: invalid versions", "[pypi][version][conformance]") {
  const auto& invalid = pep440_vectors().at("invalid");
  REQUIRE(invalid.size() == 20);
  for (const auto& item : invalid) {
    const std::string text = item.get<std::string>();
    INFO(text);
    CHECK_FALSE(parse_version(text).has_value());
    CHECK_FALSE(version_scheme().normalize(text).has_value());
  }
}

TEST_CASE("pep440 conformance: normalization", "[pypi][version][conformance]") {
  const auto& pairs = pep440_vectors().at("normalize");
  REQUIRE(pairs.size() == 149);
  for (const auto& pair : pairs) {
    const std::string input = pair.at(0).get<std::string>();
    const std::string expected = pair.at(1).get<std::string>();
    INFO(input);
    CHECK(normalized(input) == expected);
    CHECK(version_scheme().normalize(input) == expected);
    // Canonical forms are fixed points and equal to what they came from.
    CHECK(normalized(expected) == expected);
    CHECK(compare(parse(input), parse(expected)) == 0);
  }
}

TEST_CASE("invalid version messages", "[pypi][version][errors]") {
  struct Case {
    std::string_view text;
    std::string_view message;
  };
  // Every invalid conformance vector, plus the other kinds of failure.
  const Case cases[] = {
      {"french toast",
       "invalid PEP 440 version 'french toast': does not start with a release number such as 1.2"},
      {"1.0+a+", "invalid PEP 440 version '1.0+a+': unexpected '+'"},
      {"1.0++", "invalid PEP 440 version '1.0++': unexpected '++'"},
      {"1.0+_foobar", "invalid PEP 440 version '1.0+_foobar': unexpected '+_foobar'"},
      {"1.0+foo&asd", "invalid PEP 440 version '1.0+foo&asd': unexpected '&asd'"},
      {"1.0+1+1", "invalid PEP 440 version '1.0+1+1': unexpected '+1'"},
      {"1. 0", "invalid PEP 440 version '1. 0': unexpected '. 0'"},
      {"1 .0", "invalid PEP 440 version '1 .0': unexpected ' .0'"},
      {"1. 0a1", "invalid PEP 440 version '1. 0a1': unexpected '. 0a1'"},
      {"1 .0a1", "invalid PEP 440 version '1 .0a1': unexpected ' .0a1'"},
      {"1.0 a1", "invalid PEP 440 version '1.0 a1': unexpected ' a1'"},
      {"1.0a 1", "invalid PEP 440 version '1.0a 1': unexpected ' 1'"},
      {"\u0660\u0661\u0662.\u0663\u0664\u0665.\u0666\u0667\u0668\u0669",
       "invalid PEP 440 version "
       "'\\u0660\\u0661\\u0662.\\u0663\\u0664\\u0665.\\u0666\\u0667\\u0668\\u0669': "
       "non-ASCII character '\\u0660'"},
      {".", "invalid PEP 440 version '.': does not start with a release number such as 1.2"},
      {"..", "invalid PEP 440 version '..': does not start with a release number such as 1.2"},
      {"1..0", "invalid PEP 440 version '1..0': unexpected '..0'"},
      {"1.0.", "invalid PEP 440 version '1.0.': unexpected '.'"},
      {".1.0", "invalid PEP 440 version '.1.0': does not start with a release number such as 1.2"},
      {"1..2.3", "invalid PEP 440 version '1..2.3': unexpected '..2.3'"},
      {"1.0+\u0130", "invalid PEP 440 version '1.0+\\u0130': non-ASCII character '\\u0130'"},
      {"", "invalid PEP 440 version '': empty"},
      {" \t ", "invalid PEP 440 version ' \\t ': empty"},
      {"v", "invalid PEP 440 version 'v': does not start with a release number such as 1.2"},
      {"1!", "invalid PEP 440 version '1!': unexpected '!'"},
      {"1.0-", "invalid PEP 440 version '1.0-': unexpected '-'"},
      {"1.0+", "invalid PEP 440 version '1.0+': unexpected '+'"},
      {"1.0.*", "invalid PEP 440 version '1.0.*': unexpected '.*'"},
      {"1.0\xff", "invalid PEP 440 version '1.0\\xff': non-ASCII character '\\xff'"},
      {"1\t2", "invalid PEP 440 version '1\\t2': unexpected '\\t2'"},
      {"1.0_rc_1__dev", "invalid PEP 440 version '1.0_rc_1__dev': unexpected '__dev'"},
      {"'1.0'",
       "invalid PEP 440 version '\\'1.0\\'': does not start with a release number such as 1.2"},
      {"1.0 \U0001F600",
       "invalid PEP 440 version '1.0 \\U0001f600': non-ASCII character "
       "'\\U0001f600'"},
  };
  for (const Case& c : cases) CHECK(error_of(c.text) == c.message);
}

TEST_CASE("the scheme reports invalid versions as input errors", "[pypi][version][errors]") {
  const VersionScheme& scheme = version_scheme();
  CHECK(scheme.ecosystem() == "pypi");
  CHECK(scheme.normalize("1..0").error().message ==
        "invalid PEP 440 version '1..0': unexpected '..0'");
  CHECK(scheme.compare("1.0", "x").error().message ==
        "invalid PEP 440 version 'x': does not start with a release number such as 1.2");
  CHECK(scheme.compare("x", "1.0").error().kind == ErrorKind::input);
  CHECK(scheme.is_prerelease("").error().message == "invalid PEP 440 version '': empty");
}

TEST_CASE("spellings the conformance vectors leave out", "[pypi][version]") {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"1.0pre1", "1.0rc1"},
      {"1.0preview2", "1.0rc2"},
      {"1.0-PREVIEW", "1.0rc0"},
      {"1.0_c_3", "1.0rc3"},
      {"1.0a-1", "1.0a1"},  // the separator after a label belongs to the pre-release
      {"1.0a.", "1.0a0"},
      {"1.0.post.", "1.0.post0"},
      {"1.0-r-5", "1.0.post5"},
      {"1.0_post_2", "1.0.post2"},
      {"1.0rc1-1", "1.0rc1.post1"},
      {"1.0-1.dev2", "1.0.post1.dev2"},
      {"1.0a..dev", "1.0a0.dev0"},
      {"V1.0", "1.0"},
      {"1.0+ubuntu-1", "1.0+ubuntu.1"},
      {"1.0+ubuntu_1.007", "1.0+ubuntu.1.7"},
      {"1.0+UBUNTU.Focal", "1.0+ubuntu.focal"},
      {"0!0", "0"},
      {"2!01.02.03", "2!1.2.3"},
      {"\u30001.0\u3000", "1.0"},
      {"\u00a0\u1680\u2000\u200a\u2028\u205f\x1c\x1d\x1e\x1f\x0b\x0c\u00851.0\r\n", "1.0"},
  };
  for (const auto& [input, expected] : cases) {
    INFO(input);
    CHECK(normalized(input) == expected);
  }
  // Not whitespace to Python: zero-width space, BOM.
  CHECK_FALSE(parse_version("\u200b1.0").has_value());
  CHECK_FALSE(parse_version("\ufeff1.0").has_value());
  // One leading v only, and never in the middle.
  CHECK_FALSE(parse_version("vv1.0").has_value());
  CHECK_FALSE(parse_version("1.v0").has_value());
  // The Kelvin sign and the dotless i lower-case to ASCII in Python; still not ASCII.
  CHECK_FALSE(parse_version("1.0+\u212a").has_value());
  CHECK_FALSE(parse_version("1.0+\u0131").has_value());
}

TEST_CASE("numbers of any size", "[pypi][version]") {
  CHECK(normalized("1.99999999999999999999") == "1.99999999999999999999");
  CHECK(normalized("000123456789012345678901234567890!1") == "123456789012345678901234567890!1");
  CHECK(normalized("1.0a0099999999999999999999.post00.dev018446744073709551616") ==
        "1.0a99999999999999999999.post0.dev18446744073709551616");
  // Digit strings compare by length first, then digit by digit.
  CHECK(compare(parse("1.99999999999999999999"), parse("1.100000000000000000000")) < 0);
  CHECK(compare(parse("1.18446744073709551616"), parse("1.18446744073709551615")) > 0);
  CHECK(compare(parse("1.18446744073709551616"), parse("1.018446744073709551616")) == 0);
  CHECK(compare(parse("99999999999999999999!0"), parse("99999999999999999998!9")) > 0);
  CHECK(compare(parse("1+00000000000000000000000001"), parse("1+1")) == 0);
}

TEST_CASE("ordering rules", "[pypi][version]") {
  struct Case {
    std::string_view a;
    std::string_view b;
    int expected;
  };
  const Case cases[] = {
      {"1.0", "1.0.0", 0},
      {"1.0.0.0", "1", 0},
      {"0", "0.0.0", 0},
      {"1.0.dev0", "1.0a0", -1},    // a dev release sorts before every pre-release
      {"1.0a1.dev0", "1.0a1", -1},  // ...and before its own pre-release
      {"1.0.post1.dev0", "1.0.post1", -1},
      {"1.0.post0.dev0", "1.0", 1},
      {"1.0rc1", "1.0c1", 0},
      {"1.0rc1", "1.0pre1", 0},
      {"1.0.post1", "1.0-1", 0},
      {"1.0.post1", "1.0.r1", 0},
      {"1!0.1", "2.0", 1},
      {"1.0+abc", "1.0+ABC", 0},
      {"1.0+1", "1.0+01", 0},
      {"1.0+a", "1.0+1", -1},      // alphanumeric before numeric
      {"1.0+a.1", "1.0+a", 1},     // shorter before longer
      {"1.0+1.a", "1.0+1.1", -1},  // segment by segment
      {"1.0+10", "1.0+9", 1},      // numeric segments numerically
      {"1.0+b", "1.0+abc", 1},     // alphanumeric segments lexicographically
      {"1.0+1a", "1.0+1", -1},     // "1a" is alphanumeric
      {"1.0", "1.0+0", -1},
      {"1.0+z", "1.0.post0", -1},
  };
  for (const Case& c : cases) {
    INFO(c.a << " vs " << c.b);
    CHECK(compare(parse(c.a), parse(c.b)) == c.expected);
    CHECK(compare(parse(c.b), parse(c.a)) == -c.expected);
  }
  CHECK(compare_public(parse("1.0+abc"), parse("1.0")) == 0);
  CHECK(compare_public(parse("1.0+abc"), parse("1.0.post0")) < 0);
}

TEST_CASE("is_prerelease is true for pre and dev releases", "[pypi][version]") {
  const std::pair<std::string_view, bool> cases[] = {
      {"1.0", false},        {"1.0.post1", false},     {"1.0+local", false},
      {"1.0a1", true},       {"1.0b1", true},          {"1.0rc1", true},
      {"1.0.dev1", true},    {"1.0.post1.dev1", true}, {"1.0a1.post1", true},
      {"1.0c1+local", true}, {"1!1.0.dev0+x", true},
  };
  for (const auto& [text, expected] : cases) {
    INFO(text);
    CHECK(parse(text).is_prerelease() == expected);
    CHECK(version_scheme().is_prerelease(text) == expected);
  }
  CHECK(parse("1.0.post1").is_postrelease());
  CHECK_FALSE(parse("1.0a1").is_postrelease());
}

TEST_CASE("parsed parts", "[pypi][version]") {
  const Version v = parse(" V2!1.02.3-RC.4-r5_dev006+Ubuntu-01 ");
  CHECK(v.epoch == "2");
  CHECK(v.release == std::vector<std::string>{"1", "2", "3"});
  REQUIRE(v.pre.has_value());
  CHECK(v.pre->label == PreLabel::rc);
  CHECK(v.pre->number == "4");
  CHECK(v.post == "5");
  CHECK(v.dev == "6");
  CHECK(v.local == std::vector<std::string>{"ubuntu", "1"});
  CHECK(to_string(v) == "2!1.2.3rc4.post5.dev6+ubuntu.1");
}
