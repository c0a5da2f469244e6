#include <catch2/catch.hpp>

#include "ecosystems/debian/name.hpp"

#include <string_view>
#include <vector>

using namespace driftlock;
namespace debian = driftlock::ecosystems::debian;

TEST_CASE("debian: valid Debian package names", "[debian][name]") {
  for (std::string_view name :
       {"libssl-dev", "g++", "python3.11", "0ad", "xz-utils", "libstdc++6", "ca-certificates"}) {
    INFO(name);
    CHECK(debian::validate_name(name).has_value());
  }
}

TEST_CASE("debian: invalid Debian package names", "[debian][name]") {
  struct Row {
    std::string_view name, message;
  };
  const std::vector<Row> rows = {
      {"", "invalid Debian package name '': empty name"},
      {"a", "invalid Debian package name 'a': names have at least two characters"},
      {"-foo", "invalid Debian package name '-foo': names start with a lowercase letter or digit"},
      {".foo", "invalid Debian package name '.foo': names start with a lowercase letter or digit"},
      {"LibSSL", "invalid Debian package name 'LibSSL': names are lowercase"},
      {"libssl-dev:amd64",
       "invalid Debian package name 'libssl-dev:amd64': architecture qualifiers (name:arch) are "
       "not supported; set the architecture in [registries] debian"},
      {"curl=7.88.1-10",
       "invalid Debian package name 'curl=7.88.1-10': put the version range in the value, not in "
       "the name"},
      {"foo bar",
       "invalid Debian package name 'foo bar': invalid character ' ' (allowed: a-z, 0-9, '+', "
       "'-', '.')"},
      {"foo_bar",
       "invalid Debian package name 'foo_bar': invalid character '_' (allowed: a-z, 0-9, '+', "
       "'-', '.')"},
      {"foo;rm",
       "invalid Debian package name 'foo;rm': invalid character ';' (allowed: a-z, 0-9, '+', "
       "'-', '.')"},
      {"foo\n",
       "invalid Debian package name 'foo\\x0a': invalid character '\\x0a' (allowed: a-z, 0-9, "
       "'+', '-', '.')"},
  };
  for (const auto& row : rows) {
    INFO(row.name);
    auto checked = debian::validate_name(row.name);
    REQUIRE_FALSE(checked.has_value());
    CHECK(checked.error().kind == ErrorKind::input);
    CHECK(checked.error().message == row.message);
  }
}
