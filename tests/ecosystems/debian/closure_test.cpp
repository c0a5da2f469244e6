#include "ecosystems/debian/closure.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "ecosystems/debian/name.hpp"
#include "ecosystems/debian/version.hpp"
#include "ecosystems/registry.hpp"
#include "support/text_files.hpp"

using namespace driftlock;
using driftlock::testing::read_text;
namespace debian = driftlock::ecosystems::debian;

TEST_CASE("debian closure: a real dpkg-query -W listing", "[debian][closure]") {
  const std::string text =
      read_text(std::filesystem::path(DRIFTLOCK_TEST_DATA) / "closure" / "dpkg_query.txt");
  REQUIRE_FALSE(text.empty());
  auto listing = debian::parse_closure(text);
  REQUIRE(listing);
  CHECK(listing->packages.size() == 869);
  CHECK(listing->skipped.empty());
  auto find = [&](std::string_view name) -> const ClosurePackage* {
    for (const ClosurePackage& p : listing->packages) {
      if (p.name == name) return &p;
    }
    return nullptr;
  };
  REQUIRE(find("bsdutils"));
  CHECK(find("bsdutils")->version == "1:2.38.1-5+deb12u3");
  REQUIRE(find("binutils-common"));  // binutils-common:amd64
  CHECK(find("binutils-common")->version == "2.40-2");
  CHECK_FALSE(find("binutils-common:amd64"));
}

TEST_CASE("debian closure: small listings", "[debian][closure]") {
  struct Case {
    std::string listing;
    std::vector<ClosurePackage> expected;
  };
  const std::vector<Case> cases = {
      {"", {}},
      {"\n\n", {}},
      {"zlib1g:amd64\t1:1.2.13.dfsg-1\r\nadduser\t3.134\r\n",
       {{"adduser", "3.134", {}}, {"zlib1g", "1:1.2.13.dfsg-1", {}}}},
      // Removed with its configuration files kept: not installed.
      {"old-package\t\nadduser\t3.134", {{"adduser", "3.134", {}}}},
      // Multi-Arch: same, installed for two architectures.
      {"libc6:amd64\t2.36-9\nlibc6:i386\t2.36-9\n", {{"libc6", "2.36-9", {}}}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.listing);
    auto listing = debian::parse_closure(c.listing);
    REQUIRE(listing);
    CHECK(listing->packages == c.expected);
    CHECK(listing->skipped.empty());
  }
}

TEST_CASE("debian closure errors name the line", "[debian][closure][errors]") {
  struct Case {
    std::string listing;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"adduser 3.134", "line 1: expected 'name<TAB>version', not 'adduser 3.134'"},
      {"ab\t1\nbc\t1\textra\n", "line 2: expected 'name<TAB>version', not 'bc\\x091\\x09extra'"},
      {"libc6:\t2.36-9", "line 1: expected 'name<TAB>version', not 'libc6:\\x092.36-9'"},
      {"libc6:AMD64\t2.36-9", "line 1: expected 'name<TAB>version', not 'libc6:AMD64\\x092.36-9'"},
      {"\nAdduser\t3.134", "line 2: " + debian::validate_name("Adduser").error().message},
      {"adduser\tnot a version",
       "line 1: adduser: " + debian::version_scheme().normalize("not a version").error().message},
      {"libc6:amd64\t2.36-9\nlibc6:i386\t2.37-1\n",
       "line 2: libc6 2.37-1 conflicts with libc6 2.36-9 at line 1"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.listing);
    auto listing = debian::parse_closure(c.listing);
    REQUIRE_FALSE(listing);
    CHECK(listing.error().kind == ErrorKind::input);
    CHECK(listing.error().message == c.message);
  }
}

TEST_CASE("the ecosystem table's closure parsers", "[debian][closure]") {
  const Ecosystem* entry = find_ecosystem(ecosystems::all(), "debian");
  REQUIRE(entry);
  CHECK(entry->parse_closure == &debian::parse_closure);
  const Ecosystem* oci = find_ecosystem(ecosystems::all(), "oci");
  REQUIRE(oci);
  CHECK(oci->parse_closure == nullptr);  // an image is not a package listing
}
