// PEP 440 specifiers. Most cases below are facts taken from pypa/packaging's
// tests/test_specifiers.py (the range-based matching of packaging 26), typed in
// as tables; the pre-release policy and error messages are driftlock's own.
#include <catch2/catch.hpp>

#include <string>

#include "ecosystems/pypi/version.hpp"

using namespace driftlock;
using namespace driftlock::ecosystems::pypi;

namespace {

struct Case {
  std::string_view range;
  std::string_view version;
  bool expected;
};

bool satisfies(std::string_view range, std::string_view version, Prereleases prereleases) {
  Result<bool> result = version_scheme().satisfies(range, version, prereleases);
  INFO(range << " contains " << version);
  REQUIRE(result.has_value());
  return *result;
}

std::string range_error(std::string_view range) {
  Result<void> result = version_scheme().validate_range(range);
  INFO(range);
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().kind == ErrorKind::input);
  return result.error().message;
}

}  // namespace

// Range membership alone: with Prereleases::include nothing is filtered out.
TEST_CASE("specifier ranges", "[pypi][specifier]") {
  const Case cases[] = {
      // ==
      {"==2", "2.0", true},
      {"==2.0", "2.0", true},
      {"==2.0.0", "2.0", true},
      {"==2", "2.0+deadbeef", true},
      {"==2.0", "2.0+deadbeef", true},
      {"==2+deadbeef", "2.0+deadbeef", true},
      {"==2.0.0+deadbeef", "2.0+deadbeef", true},
      {"==2.0.0+deadbeef.00", "2.0+deadbeef.0", true},
      {"==2", "2.1", false},
      {"==2.0.0", "2.1", false},
      {"==2.0+deadbeef", "2.0", false},
      {"==2.0+deadbeef", "2.0+deadbeef.1", false},
      // == with a prefix
      {"==2.*", "2.dev1", true},
      {"==2.*", "2a1", true},
      {"==2.*", "2a1.post1", true},
      {"==2.*", "2b1.dev1", true},
      {"==2.*", "2c1.post1.dev1", true},
      {"==2.0.*", "2c1.post1.dev1", true},
      {"==2.0.*", "2rc1", true},
      {"==2.*", "2", true},
      {"==2.0.0.*", "2", true},
      {"==0!2.*", "2", true},
      {"==2.*", "0!2", true},
      {"==2.0.*", "2.0.0.0", true},
      {"==2.1.*", "2.1+local.version", true},
      {"==3.*", "2.0", false},
      {"==2.0.*", "2.1", false},
      {"==2.0.0.*", "3", false},
      {"==2.0.*", "2.1.0.0", false},
      {"==1.2.*", "1.20", false},
      {"==1.9.*", "1.10", false},
      // !=
      {"!=2", "2.1", true},
      {"!=2.0.0", "2.0.1", true},
      {"!=2.0+deadbeef", "2.0", true},
      {"!=2", "2.0", false},
      {"!=2.0", "2.0+deadbeef", false},
      {"!=2.0.0+deadbeef", "2.0+deadbeef", false},
      {"!=2.0.0+deadbeef.00", "2.0+deadbeef.0", false},
      {"!=1.1.*", "1.0", true},
      {"!=1.1.*", "1.1", false},
      {"!=1.1.*", "1.1.post1", false},
      {"!=1.1.*", "1.1rc1", false},
      {"!=1.1.*", "1.10", true},
      {"!=3.*", "2.0", true},
      {"!=2.0.*", "2.1.0.0", true},
      {"!=2.*", "2.dev1", false},
      {"!=2.0.0.*", "2", false},
      // >=
      {">=2", "2.0", true},
      {">=2", "2.0.post1", true},
      {">=2", "2.0.post1.dev1", true},
      {">=3.0.0a7", "3.0.0a8", true},
      {">=2", "2.0.dev1", false},
      {">=2", "2.0a1", false},
      {">=2", "2.0rc1", false},
      {">=2", "1", false},
      {">=1.0", "1.0+local", true},
      // <=
      {"<=2", "2.0", true},
      {"<=2", "2.0.dev1", true},
      {"<=2", "2.0b1.post1", true},
      {"<=3.0.0a8", "3.0.0a7", true},
      {"<=2", "2.0+local", true},
      {"<=2", "2.0.post1", false},
      {"<=2", "2.0.post1.dev1", false},
      {"<=2", "3", false},
      // >
      {">2", "3", true},
      {">2", "2.0.1", true},
      {">2", "2.1.post1", true},
      {">2", "2.1+local.version", true},
      {">3.0.0a7", "3.0.0a8", true},
      {">2", "2.0", false},
      {">2", "2.0a1.post1", false},
      {">2", "2.0rc1", false},
      {">2", "2.0.post1", false},  // not the post-releases of V...
      {">2", "2.0.post1.dev1", false},
      {">2", "2.0+local.version", false},  // ...nor its local versions
      {">1.0", "1.0.post1", false},
      {">1.0", "2.0.post0", true},
      {">1.0", "0.9.post0", false},
      {">1.0.post1", "1.0.post2", true},  // unless V is a post-release itself
      {">1.0.post1", "1.0.post2+local", true},
      {">1.0.post1", "1.0.post2.dev0", true},
      {">1.0.post1", "1.0.post1+local", false},
      {">1.0a1", "1.0a2+local", true},
      {">1.0a1", "1.0a1+local", false},
      {">1.0rc1", "1.0rc1+local", false},
      {">1.0.dev1", "1.0+local", true},
      {">1.0.dev1", "1.0.dev2+local", true},
      {">1.0.dev1", "1.0.dev1+local", false},
      {">4.1.0a2.dev1234", "4.1.0a2.dev1235+local", true},
      {">4.1.0a2.dev1234", "4.1.0a2.dev1234+local", false},
      {">1.0.post1.dev1", "1.0.post1.dev2+local", true},
      {">1.0.post1.dev1", "1.0.post1.dev1+local", false},
      {">1.0.dev1", "1.0.post0", true},  // a post of 1.0 is no post of 1.0.dev1
      {">1.0.dev1", "1.0.dev0", false},
      {">1.0a1", "1.0.post0", true},
      {">1.0a1", "1.0a1.post0", false},
      {">1.0rc1", "1.0rc1.post0", false},
      {">1.0a1", "1.0a2.post0", true},
      {">2.0dev", "2.0.5", true},
      // <
      {"<2", "1", true},
      {"<2.1", "2.0", true},
      {"<2.1", "2.0.dev0", true},
      {"<3.0.0a8", "3.0.0a7", true},
      {"<2", "2.0.dev1", false},  // not the pre-releases of V
      {"<2", "2.0a1", false},
      {"<2", "2.0rc1", false},
      {"<2", "2.0", false},
      {"<2", "2.post1", false},
      {"<2.0", "2.0a1", false},
      {"<2.0a2", "2.0a1", true},  // unless V is a pre-release
      {"<1.0.post1", "1.0.post1.dev0", false},
      {"<1.0.post1", "1.0a1", true},
      {"<1.0.post1", "1.0+local", true},
      {"<1.0.post1", "1.0.post0+local", true},
      {"<1.0.post10", "1.0.post9.dev0", true},
      {"<0", "0.dev0", false},
      {"<0.dev0", "0.dev0", false},
      // ~=
      {"~=1.0", "1", true},
      {"~=1.0", "1.0.1", true},
      {"~=1.0", "1.1", true},
      {"~=1.0", "1.9999999", true},
      {"~=1.0a1", "1.1", true},
      {"~=2022.01.01", "2022.01.01", true},
      {"~=2.2", "2.3", true},
      {"~=2.2", "2.2+local", true},
      {"~=2.2", "2.2.post3", true},
      {"~=2.2", "3.0", false},
      {"~=2.2", "3.0.dev0", false},
      {"~=2.2", "2.1", false},
      {"~=1.0", "2.0", false},
      {"~=1.0.0", "1.1.0", false},
      {"~=1.0.0", "1.1.post1", false},
      {"~=1.4.2", "1.4.3a1", true},
      {"~=1.4.2", "1.4.3.post1", true},
      {"~=1.4.2", "1.4.1.post1", false},
      {"~=1.4.2", "1.5.0.dev0", false},
      {"~=2.2.post3", "2.9", true},
      {"~=2.2.post3", "2.2", false},
      // Epochs
      {"~=2!1.0", "2!1.0", true},
      {"==2!1.*", "2!1.0", true},
      {"!=1.0", "2!1.0", true},
      {"==2!1.0.0.0.*", "2!1.0.0", true},
      {"<=2!0.1", "1.0", true},
      {">=2.0", "2!1.0", true},
      {"<2!0.1", "1.0", true},
      {">2.0", "2!1.0", true},
      {"~=2!1.0", "1.0", false},
      {"~=1.0", "2!1.0", false},
      {"==1.0", "2!1.0", false},
      {"==1.0.0.*", "2!1.0", false},
      {"==1.*", "2!1.0", false},
      {"==2!1.*", "1.0", false},
      {"!=2!1.0", "2!1.0", false},
      // Sets: every clause must match.
      {">=1.0,<2.0", "1.5", true},
      {">=1.0,<2.0", "2.0", false},
      {">=1.0, !=1.3.4.*, < 2.0", "1.3.4.post1", false},
      {">=1.0, !=1.3.4.*, < 2.0", "1.3.5", true},
      {"==1.*,>=1.0", "0.9", false},
      {"==1.*,>=1.0", "1.5", true},
      {">=1!0,!=1!1.*,!=1!2.*,<1!3", "1!0.5", true},
      {">=1!0,!=1!1.*,!=1!2.*,<1!3", "1!2.5", false},
      {">=1.0,!=1.0,!=1.1,<2.0", "1.0.post1", true},
      {">=1.0a1,!=1.*,!=2.*,<3.0", "3.0a1", false},
      {">=1.0,,<2", "1.5", true},
      // Any version
      {"*", "0", true},
      {" * ", "99!1.0.post1+local", true},
      {"", "1.0", true},
      {" , ", "1.0", true},
  };
  for (const Case& c : cases)
    CHECK(satisfies(c.range, c.version, Prereleases::include) == c.expected);
}

// Prereleases::exclude: pre-releases only when some clause names one.
TEST_CASE("pre-release rule", "[pypi][specifier]") {
  const Case cases[] = {
      {">=1.0", "2.0a1", false},
      {">=1.0", "2.0.dev1", false},
      {">=1.0", "2.0", true},
      {">=1.0a1", "2.0a1", true},
      {">=1.0a1", "2.0.dev1", true},
      {">=1.0.dev1", "2.0a1", true},
      {"==2.*", "2.0.0rc1", false},
      {"==2.*", "2.0.0", true},
      {"<2.0", "2.0a1", false},
      {"<2.0a2", "2.0a1", true},
      {"~=2.0a1", "2.0a1", true},
      {"~=2.0a1", "3.0a2", false},  // outside the range anyway
      {">2.0a1", "3.0a2", true},
      {"==2.0a1", "2.0a1", true},
      {"===2.0a1", "2.0a1", true},
      {"!=2.0a1", "1.0a2", false},  // != never opts in
      {"!=2.0a1", "1.0", true},
      {"==1.0.*", "1.0.dev1", false},  // nor does a wildcard
      {">=1.0,<=2.0", "1.5a1", false},
      {">=1.0,<=2.0dev", "1.5a1", true},  // one clause naming a pre-release is enough
      {"*", "1.0a1", false},
      {"", "1.0.dev0", false},
      {"*", "1.0.post1", true},  // post-releases are no pre-releases
      {">=1.0", "2.0+local", true},
      {">=1.0", "2.0a1+local", false},
      {"===lolwat", "lolwat", true},  // a non-PEP 440 string is never a pre-release
  };
  for (const Case& c : cases)
    CHECK(satisfies(c.range, c.version, Prereleases::exclude) == c.expected);
  CHECK(satisfies(">=1.0", "2.0a1", Prereleases::include));
  CHECK(satisfies("==2.*", "2.0.0rc1", Prereleases::include));
  CHECK(satisfies("*", "1.0a1", Prereleases::include));
}

TEST_CASE("=== compares strings", "[pypi][specifier]") {
  const Case cases[] = {
      {"===1.0", "1.0", true},
      {"===1.0", "1.0.0", false},
      {"===1.0", "1.0+downstream1", false},
      {"===1.0+downstream1", "1.0", false},
      {"===1.0A1", "1.0a1", true},
      {"===1.0+abc.def", "1.0+ABC.DEF", true},
      {"===1.01", "1.01", true},
      {"===1.01", "1.1", false},  // the raw string, not the normalized form
      {"===1.1", "1.01", false},
      {"===1.0-1", "1.0.post1", false},
      {"===0!1.0", "1.0", false},
      {"===foobar", "foobar", true},
      {"===LoLWaT", "lOlwAt", true},
      {"===foobar,===foobar", "foobar", true},
      {"===1.5,>=1.0", "1.5", true},
      {"===1.5,>=2.0", "1.5", false},
      {"===foobar,>=1.0", "foobar", false},  // standard operators never match a non-version
      {"===", "", true},
  };
  for (const Case& c : cases)
    CHECK(satisfies(c.range, c.version, Prereleases::include) == c.expected);

  // The typed API compares the canonical spelling of a parsed version.
  const SpecifierSet set = *parse_specifier_set("===1.1");
  CHECK(set.contains(*parse_version("1.01"), Prereleases::include));
  CHECK(set.contains_text("1.01", Prereleases::include) == false);
}

TEST_CASE("satisfies reports invalid versions unless === could match them",
          "[pypi][specifier][errors]") {
  const VersionScheme& scheme = version_scheme();
  CHECK(scheme.satisfies(">=1.0", "not a valid version", Prereleases::include).error().message ==
        "invalid PEP 440 version 'not a valid version': does not start with a release number "
        "such as 1.2");
  CHECK(scheme.satisfies("*", "1..0", Prereleases::exclude).error().message ==
        "invalid PEP 440 version '1..0': unexpected '..0'");
  CHECK(scheme.satisfies("===foobar", "foo", Prereleases::include) == false);
  CHECK(scheme.satisfies(">=1.0,~=1", "1.0", Prereleases::include).error().message ==
        "invalid PEP 440 specifier '~=1' in '>=1.0,~=1': ~= needs at least two release segments");
}

TEST_CASE("valid specifier spellings", "[pypi][specifier]") {
  const std::string_view ranges[] = {
      "~=2.0",
      "==2.1.*",
      "==2.1.0.3",
      "!=2.2.*",
      "!=2.2.0.5",
      "<=5",
      ">=7.9a1",
      "<1.0.dev1",
      ">2.0.post1",
      "===lolwat",
      "< 2",
      ">= v1.0",
      "==1.0+AbC",
      "!=1.0+ubuntu-1",
      "~=1.0-5",
      "== 1.0.*",
      "==v1.*",
      "==2!1.*",
      ">=1.0\u202f,\u3000<2",
      " >=1.0 , <2 ",
      "~=1.0.DEV1",
      "==1.0RC1",
      "=====",
      ">=1.0,",
      "\t*\n",
  };
  for (std::string_view range : ranges) {
    INFO(range);
    CHECK(version_scheme().validate_range(range).has_value());
  }
  // Every spelling of the normalization vectors works after every operator.
  for (std::string_view op : {"~=", "==", "!=", "<=", ">=", "<", ">"}) {
    for (std::string_view v : {"1.0dev", "1.0-ALPHA1", "1.0.c", "1.0-5", "1.01", "0100!0.0", "v1.0",
                               "1.0rc09", "1.1.dev09000"}) {
      const std::string range = std::string(op) + std::string(v);
      INFO(range);
      CHECK(version_scheme().validate_range(range).has_value());
    }
  }
}

TEST_CASE("invalid specifier messages", "[pypi][specifier][errors]") {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"2.0", "invalid PEP 440 specifier '2.0': missing operator (did you mean '==2.0'?)"},
      {"=>2.0",
       "invalid PEP 440 specifier '=>2.0': unknown operator '=>' (use ==, !=, <=, >=, <, >, ~= or "
       "===)"},
      {"=1.0",
       "invalid PEP 440 specifier '=1.0': unknown operator '=' (use ==, !=, <=, >=, <, >, ~= or "
       "===)"},
      {"^1.2",
       "invalid PEP 440 specifier '^1.2': unknown operator '^' (use ==, !=, <=, >=, <, >, ~= or "
       "===)"},
      {"latest",
       "invalid PEP 440 specifier 'latest': expected an operator (==, !=, <=, >=, <, >, ~= or ===) "
       "and a version"},
      {"==", "invalid PEP 440 specifier '==': missing version after '=='"},
      {" >= ", "invalid PEP 440 specifier '>=': missing version after '>='"},
      {"~=1.0+5",
       "invalid PEP 440 specifier '~=1.0+5': a local version ('+5') is only allowed with == and "
       "!="},
      {">=1.0+deadbeef",
       "invalid PEP 440 specifier '>=1.0+deadbeef': a local version ('+deadbeef') is only allowed "
       "with == and !="},
      {"<1.0+1.0",
       "invalid PEP 440 specifier '<1.0+1.0': a local version ('+1.0') is only allowed with == and "
       "!="},
      {"~=1.0.*",
       "invalid PEP 440 specifier '~=1.0.*': wildcards are only allowed with == and != (as in "
       "==1.2.*)"},
      {">1.0.*",
       "invalid PEP 440 specifier '>1.0.*': wildcards are only allowed with == and != (as in "
       "==1.2.*)"},
      {"==1.0.*+5",
       "invalid PEP 440 specifier '==1.0.*+5': a wildcard must be a trailing '.*' (as in ==1.2.*)"},
      {"==1.0.*.5",
       "invalid PEP 440 specifier '==1.0.*.5': a wildcard must be a trailing '.*' (as in ==1.2.*)"},
      {"==*",
       "invalid PEP 440 specifier '==*': a wildcard must be a trailing '.*' (as in ==1.2.*)"},
      {"==2.0a1.*",
       "invalid PEP 440 specifier '==2.0a1.*': '.*' can only follow a release number such as 1.2"},
      {"!=2.0.post1.*",
       "invalid PEP 440 specifier '!=2.0.post1.*': '.*' can only follow a release number such as "
       "1.2"},
      {"==1.0.dev1.*",
       "invalid PEP 440 specifier '==1.0.dev1.*': '.*' can only follow a release number such as "
       "1.2"},
      {"!=1.0+deadbeef.*",
       "invalid PEP 440 specifier '!=1.0+deadbeef.*': '.*' can only follow a release number such "
       "as 1.2"},
      {"~=1", "invalid PEP 440 specifier '~=1': ~= needs at least two release segments"},
      {"~=1a1", "invalid PEP 440 specifier '~=1a1': ~= needs at least two release segments"},
      {"==1.2+\u0130",
       "invalid PEP 440 specifier '==1.2+\\u0130': invalid version '1.2+\\u0130' (non-ASCII "
       "character '\\u0130')"},
      {">=1..0", "invalid PEP 440 specifier '>=1..0': invalid version '1..0' (unexpected '..0')"},
      {"<>1",
       "invalid PEP 440 specifier '<>1': invalid version '>1' (does not start with a release "
       "number such as 1.2)"},
      {"== 1.0 .*",
       "invalid PEP 440 specifier '== 1.0 .*': invalid version '1.0 ' (unexpected ' ')"},
      {"=== foo bar",
       "invalid PEP 440 specifier '=== foo bar': === takes one word without spaces, ';' or ')'"},
      {"===a;b",
       "invalid PEP 440 specifier '===a;b': === takes one word without spaces, ';' or ')'"},
      {"===a)", "invalid PEP 440 specifier '===a)': === takes one word without spaces, ';' or ')'"},
      {">=1.0,*",
       "invalid PEP 440 specifier '*' in '>=1.0,*': '*' (any version) must be the whole range"},
      {">=1.0, <2, lolwat",
       "invalid PEP 440 specifier 'lolwat' in '>=1.0, <2, lolwat': expected an operator (==, !=, "
       "<=, >=, <, >, ~= or ===) and a version"},
      {">=1.0,~=1",
       "invalid PEP 440 specifier '~=1' in '>=1.0,~=1': ~= needs at least two release segments"},
      {"  >=1.0 ; python_version<'3'  ",
       "invalid PEP 440 specifier '>=1.0 ; python_version<\\'3\\'': invalid version '1.0 ; "
       "python_version<\\'3\\'' (unexpected ' ; python_version<\\'3\\'')"},
  };
  for (const auto& [range, message] : cases) CHECK(range_error(range) == message);
}

TEST_CASE("the typed specifier API", "[pypi][specifier]") {
  Result<SpecifierSet> set = parse_specifier_set(" >=1.0, !=1.3.*, <2.0a1 ");
  REQUIRE(set.has_value());
  REQUIRE(set->specifiers().size() == 3);
  CHECK(set->specifiers()[0].op() == Operator::greater_equal);
  CHECK(set->specifiers()[1].op() == Operator::not_equal);
  CHECK(set->specifiers()[1].is_wildcard());
  CHECK(set->specifiers()[1].version_text() == "1.3");
  CHECK(to_string(set->specifiers()[2].op()) == "<");
  CHECK(set->specifiers()[2].names_prerelease());
  CHECK(set->names_prerelease());
  CHECK(set->contains(*parse_version("1.5"), Prereleases::exclude));
  CHECK_FALSE(set->contains(*parse_version("1.3.1"), Prereleases::exclude));
  CHECK(set->contains(*parse_version("1.9b1"), Prereleases::exclude));

  CHECK(parse_specifier_set("*")->empty());
  CHECK_FALSE(parse_specifier_set(">=1.0")->names_prerelease());

  Result<Specifier> one = parse_specifier("  ~= 1.4.2 ");
  REQUIRE(one.has_value());
  CHECK(one->op() == Operator::compatible);
  CHECK(one->matches(*parse_version("1.4.9")));
  CHECK_FALSE(one->matches(*parse_version("1.5")));
  CHECK(parse_specifier("~=1").error().message ==
        "invalid PEP 440 specifier '~=1': ~= needs at least two release segments");

  // Which clauses name a pre-release (packaging's Specifier.prereleases).
  const std::pair<std::string_view, bool> names[] = {
      {"==1.0", false},      {">=1.0", false},   {"<1.0.dev1", true},  {">1.0.dev1", true},
      {"!=1.0.dev1", false}, {"==1.0.*", false}, {"==1.0.dev1", true}, {"~=1.0.dev1", true},
      {"<=1.0.dev1", true},  {"===1.0a1", true}, {"===lolwat", false},
  };
  for (const auto& [text, expected] : names) {
    INFO(text);
    CHECK(parse_specifier(text)->names_prerelease() == expected);
  }
}
