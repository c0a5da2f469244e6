#include "ecosystems/debian/export.hpp"

#include <catch2/catch.hpp>

#include "ecosystems/debian/version.hpp"

using namespace driftlock;
using driftlock::ecosystems::debian::exporter;

namespace {

Dependency deb(std::string name, std::string version) {
  return Dependency{"debian", std::move(name), std::move(version), std::nullopt, std::nullopt};
}

// The scheme's own message, or a marker that fails the test if it accepts the version.
std::string scheme_error(std::string_view version) {
  auto r = ecosystems::debian::version_scheme().normalize(version);
  return r ? "(accepted)" : r.error().message;
}

}  // namespace

TEST_CASE("apt export: name=version lines sorted by name", "[debian][export]") {
  const std::vector<Dependency> deps = {deb("libssl-dev", "3.0.11-1~deb12u2"),
                                        deb("g++", "4:12.2.0-3"),
                                        deb("ca-certificates", "20230311")};
  CHECK(exporter().file_name() == "apt-pins.txt");
  auto text = exporter().render(deps, {});
  REQUIRE(text);
  CHECK(*text == "ca-certificates=20230311\ng++=4:12.2.0-3\nlibssl-dev=3.0.11-1~deb12u2\n");
  auto empty = exporter().render({}, {});
  REQUIRE(empty);
  CHECK(*empty == "");

  auto variables = exporter().variables(deps, {});
  REQUIRE(variables);
  CHECK(*variables ==
        std::vector<ExportVariable>{{"DRIFTLOCK_APT_CA_CERTIFICATES", "20230311"},
                                    {"DRIFTLOCK_APT_G", "4:12.2.0-3"},
                                    {"DRIFTLOCK_APT_LIBSSL_DEV", "3.0.11-1~deb12u2"}});
}

TEST_CASE("apt export refuses what could break a line", "[debian][export]") {
  const std::string allowed = " (only letters, digits and . _ - + : ~ @ / ! are exported)";
  struct Case {
    Dependency dep;
    std::string message;
  };
  const std::vector<Case> cases = {
      {deb("libc6", "2.36-9 libevil=1"),
       "cannot export debian dependency 'libc6': version '2.36-9 libevil=1' contains ' '" +
           allowed},
      {deb("libc6=2.36", "2.36-9"),
       "cannot export debian dependency 'libc6=2.36': the name contains '='" + allowed},
      {deb("libc6", "a:b:c"), "cannot export debian dependency 'libc6': " + scheme_error("a:b:c")},
  };
  for (const Case& c : cases) {
    INFO(c.message);
    auto text = exporter().render(std::vector<Dependency>{c.dep}, {});
    REQUIRE(!text);
    CHECK(text.error().message == c.message);
  }
}
