#include "core/diff.hpp"

#include <catch2/catch.hpp>

#include "support/fake_ecosystems.hpp"

using namespace driftlock;
using driftlock::testing::fake_ecosystems;

namespace {

Dependency dep(std::string eco, std::string name, std::string version,
               std::optional<std::string> digest = std::nullopt) {
  return Dependency{std::move(eco), std::move(name), std::move(version), std::move(digest),
                    std::nullopt};
}

}  // namespace

TEST_CASE("diff classifies every kind of change", "[core][diff]") {
  std::vector<Dependency> before = {
      dep("npm", "chalk", "4.1.2"),        dep("npm", "gone", "1.0"),
      dep("pypi", "tox", "4.9"),           dep("pypi", "attrs", "24.1.0"),
      dep("oci", "base", "1", "sha256:a"), dep("debian", "same", "1.0", "sha256:x"),
  };
  std::vector<Dependency> after = {
      dep("npm", "chalk", "5.3.0"),        dep("npm", "new", "0.1"),
      dep("pypi", "tox", "4.10"),          dep("pypi", "attrs", "23.2.0"),
      dep("oci", "base", "1", "sha256:b"), dep("debian", "same", "1.0", "sha256:x"),
  };
  auto diff = diff_dependencies(before, after, fake_ecosystems());
  REQUIRE(diff);
  struct Expected {
    ChangeKind kind;
    std::string ecosystem, name;
    bool major;
  };
  const Expected expected[] = {
      {ChangeKind::upgraded, "npm", "chalk", true},
      {ChangeKind::removed, "npm", "gone", false},
      {ChangeKind::added, "npm", "new", false},
      {ChangeKind::redigested, "oci", "base", false},
      {ChangeKind::downgraded, "pypi", "attrs", true},
      {ChangeKind::upgraded, "pypi", "tox", false},  // 4.9 -> 4.10 orders numerically
  };
  REQUIRE(diff->changes.size() == std::size(expected));
  for (std::size_t i = 0; i < diff->changes.size(); ++i) {
    INFO(i);
    CHECK(diff->changes[i].kind == expected[i].kind);
    CHECK(diff->changes[i].ecosystem == expected[i].ecosystem);
    CHECK(diff->changes[i].name == expected[i].name);
    CHECK(diff->changes[i].major == expected[i].major);
  }
  CHECK(diff->count(ChangeKind::upgraded) == 2);
}

TEST_CASE("diff: 0.x minor bumps are major, equal versions with missing digests are not changes",
          "[core][diff]") {
  auto diff =
      diff_dependencies({dep("npm", "a", "0.2.0"), dep("npm", "b", "1.0", "sha512-x")},
                        {dep("npm", "a", "0.3.0"), dep("npm", "b", "1.0")}, fake_ecosystems());
  REQUIRE(diff);
  REQUIRE(diff->changes.size() == 1);
  CHECK(diff->changes[0].major);
}

TEST_CASE("diff of snapshots reports held entries", "[core][diff]") {
  Snapshot a, b;
  a.held = {{"npm", "chalk", "5.0.0", "old", std::nullopt},
            {"npm", "kept", "2.0", "still bad", std::nullopt}};
  b.held = {{"npm", "kept", "2.0", "still bad", std::nullopt},
            {"pypi", "tox", "4.0", "new", std::nullopt}};
  auto diff = diff_snapshots(a, b, fake_ecosystems());
  REQUIRE(diff);
  REQUIRE(diff->held.size() == 3);
  CHECK(diff->held[0].status == HeldStatus::released);
  CHECK(diff->held[1].status == HeldStatus::kept);
  CHECK(diff->held[2].status == HeldStatus::added);
  CHECK(diff->empty());
}

TEST_CASE("diff reports an invalid version as an input error", "[core][diff]") {
  auto diff = diff_dependencies({dep("npm", "a", "1")}, {dep("npm", "a", "x")}, fake_ecosystems());
  REQUIRE_FALSE(diff);
  CHECK(diff.error().message == "invalid fake version 'x'");
}
