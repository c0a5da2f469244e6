// The resolution policy, rule by rule, with the npm and Debian schemes.
#include "core/policy.hpp"

#include <catch2/catch.hpp>

#include "ecosystems/debian/version.hpp"
#include "ecosystems/npm/version.hpp"

using namespace driftlock;
using namespace std::chrono_literals;

namespace {

const Timestamp kNow = *parse_timestamp("2026-11-25T12:00:00Z");

Release release(std::string version, std::string published = "2026-01-01T00:00:00Z") {
  Release r;
  r.version = std::move(version);
  if (!published.empty()) r.published = *parse_timestamp(published);
  r.digest = "sha512-" + r.version;
  return r;
}

PackageReleases package(std::vector<Release> releases, bool times = true) {
  return PackageReleases{"pkg", std::move(releases), times};
}

DependencySpec spec(std::string range) {
  DependencySpec s;
  s.ecosystem = "npm";
  s.name = "pkg";
  s.range = std::move(range);
  s.location = SourceLocation{"driftlock.toml", 7, 1, "pkg = \"x\""};
  return s;
}

struct Fixture {
  PolicySettings policy;
  std::vector<HeldBack> held;

  Result<Selection> select(const DependencySpec& s, const PackageReleases& p,
                           const VersionScheme& scheme = ecosystems::npm::version_scheme()) {
    PolicyContext context{scheme, policy, kNow, held};
    return select_release(s, p, context);
  }
  std::string chosen(const DependencySpec& s, const PackageReleases& p) {
    auto selection = select(s, p);
    INFO((selection ? std::string() : selection.error().message));
    REQUIRE(selection);
    return selection->chosen_release().version;
  }
  std::string error(const DependencySpec& s, const PackageReleases& p) {
    auto selection = select(s, p);
    REQUIRE_FALSE(selection);
    return selection.error().message;
  }
};

const PackageReleases kSeries = package({release("1.0.0"), release("1.2.0"), release("1.10.0"),
                                         release("2.0.0"), release("3.0.0-beta.1")});

}  // namespace

TEST_CASE("policy: the newest release in range, ordered by the scheme") {
  Fixture f;
  struct Row {
    std::string range, expected;
  };
  for (const Row& row : std::vector<Row>{{"*", "2.0.0"},
                                         {"^1", "1.10.0"},
                                         {"~1.2.0", "1.2.0"},
                                         {"<2", "1.10.0"},
                                         {">=3.0.0-beta.0", "3.0.0-beta.1"}}) {
    INFO(row.range);
    CHECK(f.chosen(spec(row.range), kSeries) == row.expected);
  }
}

TEST_CASE("policy: pre-releases only when the policy or the dependency allows them") {
  Fixture f;
  CHECK(f.chosen(spec("*"), kSeries) == "2.0.0");
  f.policy.prereleases = Prereleases::include;
  CHECK(f.chosen(spec("*"), kSeries) == "3.0.0-beta.1");
  f.policy.prereleases = Prereleases::exclude;
  DependencySpec allowed = spec("*");
  allowed.prereleases = Prereleases::include;
  CHECK(f.chosen(allowed, kSeries) == "3.0.0-beta.1");
  f.policy.prereleases = Prereleases::include;
  DependencySpec refused = spec("*");
  refused.prereleases = Prereleases::exclude;
  CHECK(f.chosen(refused, kSeries) == "2.0.0");
}

TEST_CASE("policy: yanked releases are never chosen") {
  Fixture f;
  auto p = kSeries;
  p.releases[3].yanked = true;
  auto selection = f.select(spec("*"), p);
  REQUIRE(selection);
  CHECK(selection->chosen_release().version == "1.10.0");
  CHECK(selection->releases[3].release.version == "2.0.0");
  CHECK(selection->releases[3].exclusion == Exclusion::yanked);
}

TEST_CASE("policy: deprecated releases only when nothing else is allowed") {
  Fixture f;
  auto p = kSeries;
  p.releases[3].deprecated = "use 3";
  CHECK(f.chosen(spec("*"), p) == "1.10.0");
  CHECK(f.chosen(spec("^2"), p) == "2.0.0");
}

TEST_CASE("policy: min-age keeps young releases out, measured from now or as-of") {
  Fixture f;
  f.policy.min_age = std::chrono::hours(48);
  auto p =
      package({release("1.0.0", "2026-11-01T00:00:00Z"), release("1.1.0", "2026-11-23T11:00:00Z"),
               release("1.2.0", "2026-11-24T00:00:00Z")});
  CHECK(f.chosen(spec("*"), p) == "1.1.0");
  f.policy.as_of = *parse_timestamp("2026-11-20T00:00:00Z");
  CHECK(f.chosen(spec("*"), p) == "1.0.0");
}

TEST_CASE("policy: as-of ignores releases published later") {
  Fixture f;
  f.policy.as_of = *parse_timestamp("2026-06-01T00:00:00Z");
  auto p =
      package({release("1.0.0", "2026-01-01T00:00:00Z"), release("1.1.0", "2026-06-01T00:00:00Z"),
               release("1.2.0", "2026-06-01T00:00:01Z"), release("1.3.0", "")});
  auto selection = f.select(spec("*"), p);
  REQUIRE(selection);
  CHECK(selection->chosen_release().version == "1.1.0");
  CHECK(selection->releases[2].exclusion == Exclusion::after_as_of);
  CHECK(selection->releases[3].exclusion == Exclusion::no_publish_time);
}

TEST_CASE("policy: as-of on a registry without publish times is an error unless held") {
  Fixture f;
  f.policy.as_of = *parse_timestamp("2026-06-01T00:00:00Z");
  auto p = package({release("3.0.11-1", ""), release("3.0.13-1", "")}, false);
  DependencySpec s = spec("*");
  s.ecosystem = "debian";
  s.name = "libssl-dev";
  auto selection = f.select(s, p, ecosystems::debian::version_scheme());
  REQUIRE_FALSE(selection);
  CHECK(selection.error().message ==
        "debian libssl-dev: as-of needs publish times, and this registry does not give them; "
        "hold the dependency at a version to resolve it as of 2026-06-01T00:00:00Z");
  CHECK(selection.error().location->line == 7);
  s.hold = "3.0.11-1";
  selection = f.select(s, p, ecosystems::debian::version_scheme());
  REQUIRE(selection);
  CHECK(selection->chosen_release().version == "3.0.11-1");
  CHECK(selection->pinned);
}

TEST_CASE("policy: min-age passes releases of registries without publish times") {
  Fixture f;
  f.policy.min_age = std::chrono::hours(48);
  auto p = package({release("3.0.11-1", ""), release("3.0.13-1", "")}, false);
  auto selection = f.select(spec("*"), p, ecosystems::debian::version_scheme());
  REQUIRE(selection);
  CHECK(selection->chosen_release().version == "3.0.13-1");
}

TEST_CASE("policy: a manifest hold pins the version whatever the rules say") {
  Fixture f;
  DependencySpec s = spec("*");
  s.hold = "1.2.0";
  auto p = kSeries;
  p.releases[1].yanked = true;
  auto selection = f.select(s, p);
  REQUIRE(selection);
  CHECK(selection->chosen_release().version == "1.2.0");
  CHECK(selection->pinned);
  REQUIRE(selection->newest);
  CHECK(selection->releases[*selection->newest].release.version == "2.0.0");

  s.hold = "1.3.0";
  CHECK(f.error(s, p) == "npm pkg: the held version 1.3.0 is not in the registry");
}

TEST_CASE("policy: a snapshot culprit keeps exactly its version out") {
  Fixture f;
  f.held.push_back(HeldBack{"npm", "pkg", "1.10.0", "fails test", std::nullopt});
  f.held.push_back(HeldBack{"npm", "pkg", "1.2.0", "fails test", std::nullopt});
  auto p = package({release("1.0.0"), release("1.2.0"), release("1.3.0"), release("1.10.0")});
  auto selection = f.select(spec("*"), p);
  REQUIRE(selection);
  CHECK(selection->chosen_release().version == "1.3.0");
  CHECK(selection->releases[1].exclusion == Exclusion::held_back);
  CHECK(selection->releases[3].exclusion == Exclusion::held_back);
  // A release after the held one is tried again.
  p.releases.push_back(release("1.11.0"));
  CHECK(f.chosen(spec("*"), p) == "1.11.0");
}

TEST_CASE("policy: versions the scheme cannot read are skipped") {
  Fixture f;
  auto p = package({release("1.0.0"), release("not-a-version"), release("0.9.0")});
  auto selection = f.select(spec("*"), p);
  REQUIRE(selection);
  CHECK(selection->releases.size() == 2);
  CHECK(selection->chosen_release().version == "1.0.0");
}

TEST_CASE("policy: versions longer than 256 bytes are skipped in every scheme") {
  Fixture f;
  // Valid in both schemes, and the newest, but registry abuse.
  const std::string huge = "9" + std::string(100'000, '9') + ".0.0";
  auto npm = f.select(spec("*"), package({release("1.0.0"), release(huge)}));
  REQUIRE(npm);
  CHECK(npm->releases.size() == 1);
  CHECK(npm->chosen_release().version == "1.0.0");
  auto debian = f.select(spec("*"), package({release("1.0"), release(std::string(100'000, '9'))}),
                         ecosystems::debian::version_scheme());
  REQUIRE(debian);
  CHECK(debian->chosen_release().version == "1.0");
}

TEST_CASE("policy: errors say what kept the releases out") {
  Fixture f;
  CHECK(f.error(spec("^9"), kSeries) ==
        "npm pkg: no release satisfies '^9' (newest release: "
        "3.0.0-beta.1)");
  CHECK(f.error(spec("*"), package({})) == "npm pkg: the registry lists no release");
  f.policy.min_age = std::chrono::hours(24 * 30);
  auto p =
      package({release("1.0.0", "2026-11-20T00:00:00Z"), release("1.1.0", "2026-11-21T00:00:00Z")});
  p.releases[0].yanked = true;
  CHECK(f.error(spec("^1"), p) ==
        "npm pkg: no release in '^1' is allowed: 1.1.0 is younger than min-age 30d, "
        "1.0.0 is yanked");
}

TEST_CASE("policy: to_dependency carries version, digest and publish time") {
  Release r = release("1.2.0", "2026-01-02T03:04:05Z");
  Dependency d = to_dependency(spec("*"), r);
  CHECK(d == Dependency{"npm", "pkg", "1.2.0", "sha512-1.2.0", "2026-01-02T03:04:05Z"});
}
