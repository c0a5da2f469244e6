// Capturing a passing candidate's closure: the [closure] commands' listings
// replace the transitive pins of their ecosystems; named dependencies and
// other ecosystems keep the candidate's pins.
#include "pipeline/closure.hpp"

#include <catch2/catch.hpp>

#include <fstream>

#include "ecosystems/registry.hpp"
#include "exec/process_runner.hpp"
#include "exec/temp_dir.hpp"
#include "publish/run_render.hpp"
#include "store/schema.hpp"

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
  change.via = {"dl-greet", "dl-hello"};
  CHECK(publish::change_label(change) ==
        "pypi dl-sub 1.0.0 -> 2.0.0 (transitive, via dl-greet, dl-hello)");
  CHECK(publish::change_label(change, publish::Label::versions) == "pypi dl-sub 1.0.0 -> 2.0.0");
  change.via.clear();
  change.before->transitive = change.after->transitive = false;
  CHECK(publish::change_label(change) == "pypi dl-sub 1.0.0 -> 2.0.0");
  CHECK(!publish::is_transitive(change));
}

TEST_CASE("closure: via walks up to the named packages", "[closure][via]") {
  // Who requires whom: a <- b <- c (named, itself required by named x),
  // a <- d (named); e <- f <- e (a cycle) and f <- b; g <- h <- i (nothing
  // named above); loop <- loop-b <- loop; dl-sub <- "Dl_Greet" (PyPI spelling
  // of the named dl-greet).
  const std::map<std::string, std::vector<std::string>> parents = {
      {"a", {"b", "d"}},    {"b", {"c"}},
      {"c", {"x"}},         {"e", {"f"}},
      {"f", {"e", "b"}},    {"g", {"h"}},
      {"h", {"i"}},         {"loop", {"loop-b"}},
      {"loop-b", {"loop"}}, {"dl-sub", {"Dl_Greet"}},
  };
  const std::map<std::string, std::string> named = {
      {"c", "c"}, {"d", "d"}, {"dl-greet", "dl-greet"}, {"x", "x"}};
  struct Case {
    std::string ecosystem;
    std::string name;
    std::vector<std::string> expected;
  };
  const Case cases[] = {
      {"npm", "a", {"c", "d"}},          // through b to c; d directly; the walk stops at c
      {"npm", "b", {"c"}},               // an immediate named parent
      {"npm", "e", {"c"}},               // the cycle back to e is cut; on through b
      {"npm", "g", {"h"}},               // no named ancestor: the immediate parents
      {"npm", "loop", {"loop-b"}},       // a cycle with nothing named
      {"npm", "nowhere", {}},            // the listing said nothing
      {"pypi", "dl-sub", {"dl-greet"}},  // "Dl_Greet" is the named dl-greet
      {"pypi", "DL.Sub", {"dl-greet"}},  // looked up under normalisation
      {"npm", "dl-sub", {"Dl_Greet"}},   // npm names are exact: no named match
  };
  for (const Case& c : cases) {
    INFO(c.ecosystem << " " << c.name);
    CHECK(pipeline::named_via(c.ecosystem, c.name, parents, named) == c.expected);
  }
}

TEST_CASE("closure: a capture says through which named packages each package came",
          "[closure][via]") {
  TempDir dir;
  {
    // hx-lib comes through hx-alpha (via hx-mid) and hx-beta; hx-orphan
    // through hx-other, which package.json has but the manifest does not name.
    std::ofstream listing(dir / "ls.json");
    listing << R"({"name": "proj", "dependencies": {
  "hx-alpha": {"version": "1.0.0", "dependencies": {
    "hx-mid": {"version": "1.0.0", "dependencies": {"hx-lib": {"version": "1.1.0"}}}}},
  "hx-beta": {"version": "2.0.0", "dependencies": {"hx-lib": {"version": "1.1.0"}}},
  "hx-other": {"version": "1.0.0", "dependencies": {"hx-orphan": {"version": "0.1.0"}}}
}})";
  }
  const std::string text =
      "image = \"demo\"\n\n[closure]\nnpm = \"cat ls.json\"\n\n"
      "[dependencies.npm]\nhx-alpha = \"*\"\nhx-beta = \"*\"\n";
  auto manifest = parse_manifest(text, dir / "driftlock.toml", ecosystems::all());
  REQUIRE(manifest);
  exec::ProcessRunner runner;
  auto captured = pipeline::capture_closure(*manifest, {}, {}, runner, dir / "logs" / "closure.log",
                                            ecosystems::all());
  REQUIRE(captured);
  // hx-other is not named and has no parent in the listing: no entry.
  const ClosureVia want = {
      {{"npm", "hx-lib"}, {"hx-alpha", "hx-beta"}},
      {{"npm", "hx-mid"}, {"hx-alpha"}},
      {{"npm", "hx-orphan"}, {"hx-other"}},
  };
  CHECK(captured->via == want);
  CHECK(captured->listed == std::vector<std::string>{"npm"});

  // Recorded in the state database and read back for the image's changes.
  auto database = store::open_state_database(dir / "state.db");
  REQUIRE(database);
  REQUIRE(pipeline::record_closure_via(*database, "demo", *captured, Timestamp{}));
  const ClosureVia recorded = pipeline::read_closure_via(*database, "demo");
  CHECK(recorded == want);
  CHECK(pipeline::read_closure_via(*database, "another").empty());

  std::vector<Change> changes = {
      Change{ChangeKind::upgraded, "npm", "hx-alpha", pin("npm", "hx-alpha", "1.0.0", false),
             pin("npm", "hx-alpha", "1.1.0", false)},
      Change{ChangeKind::upgraded, "npm", "hx-lib", pin("npm", "hx-lib", "1.0.0", true),
             pin("npm", "hx-lib", "1.1.0", true)},
      Change{ChangeKind::removed, "npm", "hx-mid", pin("npm", "hx-mid", "1.0.0", true),
             std::nullopt},
      Change{ChangeKind::upgraded, "npm", "hx-new", pin("npm", "hx-new", "1.0.0", true),
             pin("npm", "hx-new", "2.0.0", true)},
  };
  pipeline::attach_via(changes, recorded);
  CHECK(changes[0].via.empty());  // direct: never a via
  CHECK(changes[1].via == std::vector<std::string>{"hx-alpha", "hx-beta"});
  CHECK(changes[2].via == std::vector<std::string>{"hx-alpha"});
  CHECK(changes[3].via.empty());  // not recorded
  CHECK(publish::change_label(changes[1]) ==
        "npm hx-lib 1.0.0 -> 1.1.0 (transitive, via hx-alpha, hx-beta)");
  CHECK(publish::change_label(changes[2]) ==
        "npm hx-mid (removed 1.0.0, transitive, via hx-alpha)");
}

TEST_CASE("closure: the recorded via is found under PyPI's normalisation", "[closure][via]") {
  const ClosureVia via = {{{"pypi", "Typing_Extensions"}, {"dl-greet"}},
                          {{"npm", "Upper"}, {"hx-alpha"}}};
  struct Case {
    std::string ecosystem;
    std::string name;
    std::vector<std::string> expected;
  };
  const Case cases[] = {
      {"pypi", "Typing_Extensions", {"dl-greet"}},
      {"pypi", "typing-extensions", {"dl-greet"}},
      {"pypi", "typing.extensions", {"dl-greet"}},
      {"pypi", "typing", {}},
      {"npm", "Upper", {"hx-alpha"}},
      {"npm", "upper", {}},  // npm names are exact
      {"debian", "Typing_Extensions", {}},
  };
  for (const Case& c : cases) {
    INFO(c.ecosystem << " " << c.name);
    CHECK(pipeline::via_of(via, c.ecosystem, c.name) == c.expected);
  }
}

TEST_CASE("closure: report entries of the closure are marked with their via", "[closure][via]") {
  TempDir dir;
  auto manifest = parse_manifest("image = \"demo\"\n\n[dependencies.pypi]\ndl-greet = \"*\"\n",
                                 dir / "driftlock.toml", ecosystems::all());
  REQUIRE(manifest);
  // What the session adds for the snapshot's closure.
  manifest->dependencies.push_back(DependencySpec{"pypi", "dl-sub", "*", {}, {}, {}, {}, true});
  manifest->dependencies.push_back(DependencySpec{"pypi", "dl-far", "*", {}, {}, {}, {}, true});
  Report report;
  for (const char* name : {"dl-far", "dl-greet", "dl-sub"}) {
    ReportEntry entry;
    entry.ecosystem = "pypi";
    entry.name = name;
    report.entries.push_back(entry);
  }
  pipeline::attach_via(report, *manifest, {{{"pypi", "dl-sub"}, {"dl-greet"}}});
  CHECK(report.entries[0].transitive);
  CHECK(report.entries[0].via.empty());  // transitive, via unknown
  CHECK_FALSE(report.entries[1].transitive);
  CHECK(report.entries[1].via.empty());
  CHECK(report.entries[2].transitive);
  CHECK(report.entries[2].via == std::vector<std::string>{"dl-greet"});
}
