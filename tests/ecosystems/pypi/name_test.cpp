#include <catch2/catch.hpp>

#include <string>

#include "ecosystems/pypi/name.hpp"

using namespace driftlock;
using namespace driftlock::ecosystems::pypi;

TEST_CASE("valid pypi names", "[pypi][name]") {
  const std::string_view names[] = {
      "a",
      "Z",
      "7",
      "requests",
      "Django",
      "zope.interface",
      "typing_extensions",
      "ruamel.yaml",
      "python-dateutil",
      "A1",
      "backports.zoneinfo",
      "a--b",
      "a._-b",
      "0x",
  };
  for (std::string_view name : names) {
    INFO(name);
    CHECK(validate_name(name).has_value());
  }
  CHECK(validate_name(std::string(kMaxNameLength, 'a')).has_value());
}

TEST_CASE("invalid pypi names", "[pypi][name][errors]") {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"", "invalid pypi package name '': empty"},
      {"Twisted[tls]",
       "invalid pypi package name 'Twisted[tls]': extras such as '[tls]' are not part of the name "
       "(use 'Twisted')"},
      {"requests[security,socks]",
       "invalid pypi package name 'requests[security,socks]': extras such as '[security,socks]' "
       "are not part of the name (use 'requests')"},
      {"requests==2.0",
       "invalid pypi package name 'requests==2.0': a version range belongs in the value, not in "
       "the name"},
      {"tox>=4",
       "invalid pypi package name 'tox>=4': a version range belongs in the value, not in "
       "the name"},
      {"foo bar",
       "invalid pypi package name 'foo bar': ' ' is not allowed (only letters, digits, '.', '_' "
       "and '-')"},
      {"foo/bar",
       "invalid pypi package name 'foo/bar': '/' is not allowed (only letters, digits, '.', '_' "
       "and '-')"},
      {"na\u00efve",
       "invalid pypi package name 'na\\u00efve': '\\u00ef' is not allowed (only letters, digits, "
       "'.', '_' and '-')"},
      {"x\xff",
       "invalid pypi package name 'x\\xff': '\\xff' is not allowed (only letters, digits, '.', '_' "
       "and '-')"},
      {"a;rm -rf",
       "invalid pypi package name 'a;rm -rf': ';' is not allowed (only letters, digits, '.', '_' "
       "and '-')"},
      {"$(id)",
       "invalid pypi package name '$(id)': '$' is not allowed (only letters, digits, '.', '_' and "
       "'-')"},
      {"-foo", "invalid pypi package name '-foo': must start and end with a letter or digit"},
      {"foo.", "invalid pypi package name 'foo.': must start and end with a letter or digit"},
      {"_", "invalid pypi package name '_': must start and end with a letter or digit"},
  };
  for (const auto& [name, message] : cases) {
    INFO(name);
    Result<void> result = validate_name(name);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().kind == ErrorKind::input);
    CHECK(result.error().message == message);
  }
  const std::string too_long(kMaxNameLength + 1, 'a');
  CHECK(validate_name(too_long).error().message ==
        "invalid pypi package name '" + too_long + "': longer than 200 characters");
}

TEST_CASE("PEP 503 name normalization", "[pypi][name]") {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"Django", "django"},
      {"zope.interface", "zope-interface"},
      {"typing_extensions", "typing-extensions"},
      {"Foo.-_Bar", "foo-bar"},
      {"a--b__c..d", "a-b-c-d"},
      {"ruamel.YAML", "ruamel-yaml"},
      {"already-normal", "already-normal"},
  };
  for (const auto& [name, expected] : cases) {
    INFO(name);
    CHECK(normalize_name(name) == expected);
  }
}
