#include "ecosystems/pypi/export.hpp"

#include <catch2/catch.hpp>

#include "ecosystems/pypi/version.hpp"

using namespace driftlock;
using driftlock::ecosystems::pypi::exporter;

namespace {

Dependency pypi(std::string name, std::string version) {
  return Dependency{"pypi", std::move(name), std::move(version), std::nullopt, std::nullopt};
}

}  // namespace

TEST_CASE("pip export: name==version lines sorted by name", "[pypi][export]") {
  const std::vector<Dependency> deps = {pypi("tox", "4.11.3"), pypi("Attrs", "24.1.0"),
                                        pypi("zope.interface", "1!6.0+local.1")};
  CHECK(exporter().file_name() == "constraints.txt");
  CHECK(exporter().also_written_as().empty());
  auto text = exporter().render(deps, {});
  REQUIRE(text);
  CHECK(*text == "Attrs==24.1.0\ntox==4.11.3\nzope.interface==1!6.0+local.1\n");
  auto empty = exporter().render({}, {});
  REQUIRE(empty);
  CHECK(*empty == "");

  auto variables = exporter().variables(deps, {});
  REQUIRE(variables);
  CHECK(*variables ==
        std::vector<ExportVariable>{{"DRIFTLOCK_PIP_ATTRS", "24.1.0"},
                                    {"DRIFTLOCK_PIP_TOX", "4.11.3"},
                                    {"DRIFTLOCK_PIP_ZOPE_INTERFACE", "1!6.0+local.1"}});
}

TEST_CASE("pip export refuses what could break a line", "[pypi][export]") {
  const std::string allowed = " (only letters, digits and . _ - + : ~ @ / ! are exported)";
  auto scheme_error = [](std::string_view v) -> std::string {
    auto r = ecosystems::pypi::version_scheme().normalize(v);
    return r ? "(accepted)" : r.error().message;
  };
  struct Case {
    Dependency dep;
    std::string message;
  };
  const std::vector<Case> cases = {
      {pypi("tox", "4.0 --index-url=x"),
       "cannot export pypi dependency 'tox': version '4.0 --index-url=x' contains ' '" + allowed},
      {pypi("tox", "4.0\n-e ."),
       "cannot export pypi dependency 'tox': version '4.0\\x0a-e .' contains \\x0a" + allowed},
      {pypi("tox;x", "4.0"),
       "cannot export pypi dependency 'tox;x': the name contains ';'" + allowed},
      {pypi("tox", "4.0#"),
       "cannot export pypi dependency 'tox': version '4.0#' contains '#'" + allowed},
      {pypi("tox", "four"), "cannot export pypi dependency 'tox': " + scheme_error("four")},
      {pypi("tox", ""), "cannot export pypi dependency 'tox': the version is empty"},
      {pypi("", "1.0"), "cannot export pypi dependency '': the name is empty"},
      {Dependency{"npm", "chalk", "4.1.2", std::nullopt, std::nullopt},
       "cannot export npm dependency 'chalk': it is not a pypi dependency"},
  };
  for (const Case& c : cases) {
    INFO(c.message);
    std::vector<Dependency> deps = {pypi("attrs", "24.1.0"), c.dep};
    auto text = exporter().render(deps, {});
    REQUIRE(!text);
    CHECK(text.error().kind == ErrorKind::input);
    CHECK(text.error().message == c.message);
    auto variables = exporter().variables(deps, {});
    REQUIRE(!variables);
    CHECK(variables.error().message == c.message);
  }
}
