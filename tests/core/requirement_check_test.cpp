// Which subsets of the changes the registry's requirements rule out.
#include <catch2/catch.hpp>

#include "core/requirement_check.hpp"
#include "ecosystems/registry.hpp"

using namespace driftlock;

namespace {

Dependency pin(std::string eco, std::string name, std::string version) {
  return Dependency{std::move(eco), std::move(name), std::move(version), {}, {}, false};
}

Change change(std::string eco, std::string name, std::optional<std::string> from,
              std::optional<std::string> to) {
  Change out{ChangeKind::upgraded, eco, name, {}, {}, false};
  if (from) out.before = pin(eco, name, *from);
  if (to) out.after = pin(eco, name, *to);
  if (!from) out.kind = ChangeKind::added;
  if (!to) out.kind = ChangeKind::removed;
  return out;
}

struct Known {
  std::string ecosystem, name, version;
  Requirements requirements;
};

RequirementCheck make_check(const std::vector<Dependency>& baseline,
                            const std::vector<Change>& changes, const std::vector<Known>& known) {
  RequirementIndex index(ecosystems::all());
  for (const Known& k : known) index.add(k.ecosystem, k.name, k.version, k.requirements);
  return RequirementCheck(ecosystems::all(), baseline, changes, std::move(index));
}

}  // namespace

TEST_CASE("requirement check: a subset never pairs a package with a version it does not accept",
          "[requirements]") {
  // p 1.0.0 -> 2.0.0 needs q ^2; p 1.0.0 accepts only q ^1; q 1.0.0 -> 2.0.0.
  const std::vector<Dependency> baseline{pin("npm", "p", "1.0.0"), pin("npm", "q", "1.0.0")};
  const std::vector<Change> changes{change("npm", "p", "1.0.0", "2.0.0"),
                                    change("npm", "q", "1.0.0", "2.0.0")};
  const auto check = make_check(
      baseline, changes,
      {{"npm", "p", "1.0.0", {{"q", "^1.0.0"}}}, {"npm", "p", "2.0.0", {{"q", "^2.0.0"}}}});
  struct Row {
    std::vector<std::size_t> subset;
    std::optional<std::string> conflict;
  };
  const std::vector<Row> rows{
      {{}, std::nullopt},
      {{0, 1}, std::nullopt},
      {{0}, "npm p 2.0.0 requires q ^2.0.0, which would stay at 1.0.0"},
      {{1}, "npm p 1.0.0 requires q ^1.0.0, which would be 2.0.0"},
  };
  for (const Row& row : rows) {
    INFO(row.subset.size());
    CHECK(check.conflict(row.subset) == row.conflict);
  }
}

TEST_CASE(
    "requirement check: what the full candidate or the baseline pairs is left to the installer",
    "[requirements]") {
  SECTION("an unchanged package's range the full candidate breaks too") {
    const auto check = make_check({pin("npm", "p", "1.0.0"), pin("npm", "q", "1.0.0")},
                                  {change("npm", "q", "1.0.0", "2.0.0")},
                                  {{"npm", "p", "1.0.0", {{"q", "^1.0.0"}}}});
    CHECK(check.conflict({0}) == std::nullopt);
  }
  SECTION("a range the scheme cannot read says nothing") {
    const auto check =
        make_check({pin("npm", "p", "1.0.0"), pin("npm", "q", "1.0.0")},
                   {change("npm", "p", "1.0.0", "2.0.0"), change("npm", "q", "1.0.0", "2.0.0")},
                   {{"npm", "p", "2.0.0", {{"q", "github:someone/q#v2"}}}});
    CHECK(check.conflict({0}) == std::nullopt);
  }
  SECTION("unknown requirements rule nothing out") {
    const auto check = make_check(
        {pin("npm", "p", "1.0.0"), pin("npm", "q", "1.0.0")},
        {change("npm", "p", "1.0.0", "2.0.0"), change("npm", "q", "1.0.0", "2.0.0")}, {});
    CHECK(check.conflict({0}) == std::nullopt);
    CHECK(check.conflict({1}) == std::nullopt);
  }
  SECTION("a package outside the snapshot is not ours to judge") {
    const auto check =
        make_check({pin("npm", "p", "1.0.0")}, {change("npm", "p", "1.0.0", "2.0.0")},
                   {{"npm", "p", "2.0.0", {{"elsewhere", "^9.0.0"}}}});
    CHECK(check.conflict({0}) == std::nullopt);
  }
}

TEST_CASE("requirement check: added packages, any-version requirements and PyPI names",
          "[requirements]") {
  SECTION("a package that needs an added one") {
    const auto check = make_check(
        {pin("npm", "p", "1.0.0")},
        {change("npm", "p", "1.0.0", "2.0.0"), change("npm", "r", std::nullopt, "1.0.0")},
        {{"npm", "p", "2.0.0", {{"r", ""}}}});
    CHECK(check.conflict({0}) == "npm p 2.0.0 requires r, which would not be installed");
    CHECK(check.conflict({0, 1}) == std::nullopt);
    CHECK(check.conflict({1}) == std::nullopt);
  }
  SECTION("PyPI names match in their PEP 503 form") {
    const auto check = make_check(
        {pin("pypi", "dl-greet", "1.0.0"), pin("pypi", "dl_sub", "1.0.0")},
        {change("pypi", "dl-greet", "1.0.0", "1.1.0"), change("pypi", "dl_sub", "1.0.0", "2.0.0")},
        {{"pypi", "dl-greet", "1.1.0", {{"DL.Sub", ">=2"}}}});
    CHECK(check.conflict({0}) ==
          "pypi dl-greet 1.1.0 requires dl_sub >=2, which would stay at 1.0.0");
    CHECK(check.conflict({1}) == std::nullopt);
  }
}
