// Capturing a passing candidate's closure: the [closure] commands' listings
// replace the transitive pins of their ecosystems; named dependencies and
// other ecosystems keep the candidate's pins.
#include "pipeline/closure.hpp"

#include <catch2/catch.hpp>

#include "ecosystems/registry.hpp"
#include "exec/process_runner.hpp"
#include "exec/temp_dir.hpp"
#include "publish/run_render.hpp"

using namespace driftlock;
using driftlock::testing::TempDir;

namespace {

Manifest manifest_with(const TempDir& dir, const std::string& closure) {
  const std::string text = "image = \"demo\"\n\n[closure]\n" + closure +
                           "\n\n[dependencies.pypi]\ndl-greet = \"*\"\n\n"
                           "[dependencies.oci]\n\"registry.example/base\" = \"stable\"\n";
  auto manifest = parse_manifest(text, dir / "driftlock.toml", ecosystems::all());
  REQUIRE(manifest);
  return *manifest;
}

Dependency pin(std::string ecosystem, std::string name, std::string version, bool transitive,
               std::optional<std::string> digest = std::nullopt) {
  Dependency d;
  d.ecosystem = std::move(ecosystem);
  d.name = std::move(name);
  d.version = std::move(version);
  d.digest = std::move(digest);
  d.transitive = transitive;
  return d;
}

}  // namespace

TEST_CASE("closure: the listing replaces the ecosystem's transitive pins", "[closure]") {
  TempDir dir;
  const Manifest manifest = manifest_with(
      dir, R"(pypi = "printf 'dl-greet==1.1.0\ndl-sub==1.0.0\ndl-extra==3.1\n'; echo noise >&2")");
  const std::vector<Dependency> pins = {
      pin("oci", "registry.example/base", "stable", false, "sha256:aa"),
      pin("pypi", "dl-extra", "3.1", true, "sha256:kept"),
      pin("pypi", "dl-gone", "1.0", true),
      pin("pypi", "dl-greet", "1.1.0", false, "sha256:greet"),
      pin("pypi", "dl-sub", "0.9", true, "sha256:old"),
  };
  exec::ProcessRunner runner;
  auto captured = pipeline::capture_closure(manifest, pins, {}, runner,
                                            dir / "logs" / "closure.log", ecosystems::all());
  REQUIRE(captured);
  const std::vector<Dependency> expected = {
      pin("oci", "registry.example/base", "stable", false, "sha256:aa"),
      pin("pypi", "dl-extra", "3.1", true, "sha256:kept"),  // same version: the pin's digest
      pin("pypi", "dl-greet", "1.1.0", false, "sha256:greet"),
      pin("pypi", "dl-sub", "1.0.0", true),  // what the image has, not the stale pin
  };
  CHECK(captured->dependencies == expected);
  CHECK(captured->warnings.empty());
}

TEST_CASE("closure: a failing command or a malformed listing captures nothing", "[closure]") {
  TempDir dir;
  exec::ProcessRunner runner;
  struct Case {
    std::string closure;
    std::string error;
  };
  const Case cases[] = {
      {R"(pypi = "exit 4")", "[closure] pypi command 'exit 4' exited with 4 (log: " +
                                 (dir / "logs" / "closure.log").string() +
                                 "); nothing was captured"},
      {R"(pypi = "printf 'dl-sub==1.0\nnot a pin\n'")",
       "[closure] pypi command 'printf \\x27dl-sub==1.0\\x0anot a pin\\x0a\\x27' printed a "
       "malformed listing: line 2: expected 'name==version', not 'not a pin'"},
  };
  for (const Case& c : cases) {
    INFO(c.closure);
    const Manifest manifest = manifest_with(dir, c.closure);
    auto captured = pipeline::capture_closure(manifest, {}, {}, runner,
                                              dir / "logs" / "closure.log", ecosystems::all());
    REQUIRE(!captured);
    INFO(captured.error().message);
    CHECK(captured.error().message.starts_with(c.error));
  }
}

TEST_CASE("closure: the manifest's [closure] table", "[closure]") {
  TempDir dir;
  struct Case {
    std::string table;
    std::string error;  // "" when it parses
  };
  const Case cases[] = {
      {"npm = \"npm ls --all --json\"\npypi = \"pip freeze\"", ""},
      {"oci = \"x\"", "unknown key 'oci' in [closure]"},
      {"pypi = \"  \"", "'pypi' in [closure] must not be empty"},
      {"pypi = 3", "[closure] pypi"},
  };
  for (const Case& c : cases) {
    INFO(c.table);
    auto manifest = parse_manifest("image = \"demo\"\n[closure]\n" + c.table + "\n",
                                   dir / "driftlock.toml", ecosystems::all());
    if (c.error.empty()) {
      REQUIRE(manifest);
      REQUIRE(manifest->closure.size() == 2);
      CHECK(manifest->closure[0].ecosystem == "npm");
      CHECK(manifest->closure[1].command == "pip freeze");
    } else {
      REQUIRE(!manifest);
      CHECK(manifest.error().message.find(c.error) != std::string::npos);
    }
  }
}

TEST_CASE("closure: a transitive change is labelled and marked as such", "[closure]") {
  Change change{ChangeKind::upgraded,
                "pypi",
                "dl-sub",
                pin("pypi", "dl-sub", "1.0.0", true),
                pin("pypi", "dl-sub", "2.0.0", true),
                true};
  CHECK(publish::change_label(change) == "pypi dl-sub 1.0.0 -> 2.0.0 (transitive)");
  CHECK(publish::is_transitive(change));
  change.before->transitive = change.after->transitive = false;
  CHECK(publish::change_label(change) == "pypi dl-sub 1.0.0 -> 2.0.0");
  CHECK(!publish::is_transitive(change));
}
