// PEP 508 dependency specifiers as requires_dist writes them.
#include <catch2/catch.hpp>

#include "ecosystems/pypi/requirement.hpp"

using namespace driftlock;
using namespace driftlock::ecosystems::pypi;

TEST_CASE("PyPI requirements: name, extras, specifiers and markers", "[pypi][requirement]") {
  struct Row {
    std::string text;
    std::string name, extras, specifier, marker;
    bool direct_url;
  };
  const std::vector<Row> rows{
      {"requests", "requests", "", "", "", false},
      {"requests>=2.8.1,<3", "requests", "", ">=2.8.1,<3", "", false},
      {"requests (>=2.8.1, <3)", "requests", "", ">=2.8.1,<3", "", false},
      {"requests[socks] >= 2.8.1 ; python_version >= '3.8'", "requests", "[socks]", ">=2.8.1",
       "python_version >= '3.8'", false},
      {"PySocks!=1.5.7,>=1.5.6; extra == \"socks\"", "PySocks", "", "!=1.5.7,>=1.5.6",
       "extra == \"socks\"", false},
      {"pip @ https://example.invalid/pip.whl", "pip", "", "", "", true},
      {"  zope.interface  ", "zope.interface", "", "", "", false},
  };
  for (const Row& row : rows) {
    INFO(row.text);
    auto parsed = parse_requirement(row.text);
    REQUIRE(parsed);
    CHECK(parsed->name == row.name);
    CHECK(parsed->extras == row.extras);
    CHECK(parsed->specifier == row.specifier);
    CHECK(parsed->marker == row.marker);
    CHECK(parsed->direct_url == row.direct_url);
  }
  for (std::string bad : {"", ">=1.0", "-name", "name (>=1.0", "name >=1 (2)"}) {
    INFO(bad);
    CHECK_FALSE(parse_requirement(bad));
  }
}

TEST_CASE("PyPI requirements a resolver relies on carry no marker and no URL",
          "[pypi][requirement]") {
  CHECK(unconditional_requirement("idna (<4,>=2.5)") == Requirement{"idna", "<4,>=2.5"});
  CHECK(unconditional_requirement("certifi") == Requirement{"certifi", ""});
  CHECK_FALSE(unconditional_requirement("chardet<6,>=3.0.2; extra == 'use-chardet'"));
  CHECK_FALSE(unconditional_requirement("tomli; python_version < '3.11'"));
  CHECK_FALSE(unconditional_requirement("pip @ https://example.invalid/pip.whl"));
}
