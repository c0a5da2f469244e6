#include <catch2/catch.hpp>

#include "net/netrc.hpp"

#include <string>

using namespace driftlock::net;

TEST_CASE("netrc entries are found by host", "[net][netrc][secrets]") {
  const std::string text =
      "# pip's index\n"
      "machine pypi.example login alice password s3cret\n"
      "macdef init\n"
      "cd /pub\n"
      "machine inside.macro login x password y\n"
      "\n"
      "machine Other.Example\n"
      "  login bob\n"
      "  password \"with space\"\n"
      "  account ignored\n"
      "default login anon password everyone\n";
  auto pypi = netrc_entry(text, "pypi.example");
  REQUIRE(pypi);
  CHECK(pypi->login == "alice");
  CHECK(pypi->password == "s3cret");
  auto other = netrc_entry(text, "other.example");
  REQUIRE(other);
  CHECK(other->login == "bob");
  CHECK(other->password == "with space");
  // A macro's body is not an entry; `default` never hands out a password.
  CHECK_FALSE(netrc_entry(text, "inside.macro"));
  CHECK_FALSE(netrc_entry(text, "elsewhere.example"));
  CHECK_FALSE(netrc_entry("", "pypi.example"));
}
