#include "core/exporter.hpp"

#include <catch2/catch.hpp>

#include "support/fake_ecosystems.hpp"

using namespace driftlock;
using driftlock::testing::fake_ecosystems;

namespace {

Dependency dep(std::string eco, std::string name, std::string version) {
  return Dependency{std::move(eco), std::move(name), std::move(version), std::nullopt,
                    std::nullopt};
}

// Lists "name version" lines; its variables are DRIFTLOCK_FAKE_<NAME>.
class ListExporter final : public Exporter {
 public:
  explicit ListExporter(std::string_view file) : m_file(file) {}
  std::string_view file_name() const override { return m_file; }
  std::span<const std::string_view> also_written_as() const override {
    static constexpr std::string_view copies[] = {"copy.txt"};
    return m_file == "npm.txt" ? std::span<const std::string_view>(copies)
                               : std::span<const std::string_view>();
  }
  Result<std::string> render(std::span<const Dependency> deps,
                             const ExportOptions&) const override {
    std::string out;
    for (const Dependency& d : deps) out += d.name + " " + d.version + "\n";
    return out;
  }
  Result<std::vector<ExportVariable>> variables(std::span<const Dependency> deps,
                                                const ExportOptions&) const override {
    return package_variables("fake", m_file == "npm.txt" ? "NPM" : "PIP", deps);
  }

 private:
  std::string_view m_file;
};

const ListExporter kNpm("npm.txt"), kPypi("pypi.txt");

EcosystemTable exporting_ecosystems() {
  // debian and oci have no exporter: export_all skips them.
  static const std::array<Ecosystem, 4> table = [] {
    std::array<Ecosystem, 4> t;
    std::copy(fake_ecosystems().begin(), fake_ecosystems().end(), t.begin());
    t[1].exporter = &kNpm;
    t[3].exporter = &kPypi;
    return t;
  }();
  return table;
}

}  // namespace

TEST_CASE("variable names for packages", "[core][export]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"tox", "DRIFTLOCK_PIP_TOX"},
      {"zope.interface", "DRIFTLOCK_PIP_ZOPE_INTERFACE"},
      {"@babel/core", "DRIFTLOCK_PIP_BABEL_CORE"},
      {"a--b__c", "DRIFTLOCK_PIP_A_B_C"},
      {"g++", "DRIFTLOCK_PIP_G"},
      {"7zip", "DRIFTLOCK_PIP_7ZIP"},
  };
  for (const auto& [name, variable] : cases) CHECK(variable_for("PIP", name) == variable);
}

TEST_CASE("check_exportable: characters, names and versions", "[core][export]") {
  const Ecosystem& npm = fake_ecosystems()[1];
  const std::string allowed = " (only letters, digits and . _ - + : ~ @ / ! are exported)";
  struct Case {
    Dependency dep;
    std::string message;  // empty: accepted
  };
  const std::vector<Case> cases = {
      {dep("npm", "a-b.c", "1.2.3"), ""},
      {dep("npm", "a b", "1"),
       "cannot export npm dependency 'a b': the name contains ' '" + allowed},
      {dep("npm", "a\tb", "1"),
       "cannot export npm dependency 'a\\x09b': the name contains \\x09" + allowed},
      {dep("npm", "caf\xc3\xa9", "1"),
       "cannot export npm dependency 'caf\\xc3\\xa9': the name contains \\xc3" + allowed},
      {dep("npm", "a", "1`x`"),
       "cannot export npm dependency 'a': version '1`x`' contains '`'" + allowed},
      {dep("npm", "a", "1=2"),
       "cannot export npm dependency 'a': version '1=2' contains '='" + allowed},
      {dep("npm", "a", "1\\2"),
       "cannot export npm dependency 'a': version '1\\2' contains '\\'" + allowed},
      {dep("npm", "A", "1"), "cannot export npm dependency 'A': invalid fake name 'A'"},
      {dep("npm", "a", "1.x"), "cannot export npm dependency 'a': invalid fake version '1.x'"},
      {dep("pypi", "a", "1"), "cannot export pypi dependency 'a': it is not a npm dependency"},
  };
  for (const Case& c : cases) {
    INFO(c.dep.name << " " << c.dep.version);
    auto r = check_exportable(npm, c.dep);
    if (c.message.empty()) {
      CHECK(r);
    } else {
      REQUIRE(!r);
      CHECK(r.error().kind == ErrorKind::input);
      CHECK(r.error().message == c.message);
    }
  }
}

TEST_CASE("export_all: every exporter's files, aliases and variables", "[core][export]") {
  const std::vector<Dependency> deps = {dep("pypi", "tox", "4.0"), dep("npm", "b", "2"),
                                        dep("npm", "a", "1"), dep("debian", "x", "1")};
  auto set = export_all(deps, exporting_ecosystems(), {});
  REQUIRE(set);
  CHECK(set->files == std::map<std::string, std::string>{{"copy.txt", "a 1\nb 2\n"},
                                                         {"npm.txt", "a 1\nb 2\n"},
                                                         {"pypi.txt", "tox 4.0\n"}});
  CHECK(set->variables == std::vector<ExportVariable>{{"DRIFTLOCK_NPM_A", "1"},
                                                      {"DRIFTLOCK_NPM_B", "2"},
                                                      {"DRIFTLOCK_PIP_TOX", "4.0"}});
  CHECK(render_env_lines(set->variables) ==
        "DRIFTLOCK_NPM_A=1\nDRIFTLOCK_NPM_B=2\nDRIFTLOCK_PIP_TOX=4.0\n");

  auto empty = export_all({}, exporting_ecosystems(), {});
  REQUIRE(empty);
  CHECK(empty->files ==
        std::map<std::string, std::string>{{"copy.txt", ""}, {"npm.txt", ""}, {"pypi.txt", ""}});
  CHECK(empty->variables.empty());
}

TEST_CASE("export_all refuses unknown ecosystems and duplicates", "[core][export]") {
  struct Case {
    std::vector<Dependency> deps;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{dep("cargo", "serde", "1.0")},
       "cannot export dependency 'serde': unknown ecosystem 'cargo'"},
      {{dep("npm", "a", "1"), dep("npm", "a", "2")},
       "cannot export npm dependency 'a': it is listed twice"},
      {{dep("npm", "a.b", "1"), dep("npm", "a-b", "2")},
       "fake dependencies 'a-b' and 'a.b' both map to the variable DRIFTLOCK_NPM_A_B"},
  };
  for (const Case& c : cases) {
    auto set = export_all(c.deps, exporting_ecosystems(), {});
    REQUIRE(!set);
    CHECK(set.error().message == c.message);
  }
}
