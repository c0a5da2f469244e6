#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "cli/main.hpp"
#include "exec/temp_dir.hpp"

using namespace driftlock;
using driftlock::testing::TempDir;

namespace {

constexpr std::string_view kManifest = R"(# the CI image
image = "example"

[dependencies.npm]                 # follow the majors we tested
"@babel/core" = "*"
chalk  = "^4"                      # 5 is ESM-only
lodash = { range = "^4", hold = "4.17.20" }

[dependencies.oci]
"127.0.0.1:5000/base" = "stable"
)";

void write(const std::filesystem::path& path, std::string_view text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct Outcome {
  int code;
  std::string out, err;
};

Outcome run(std::vector<std::string> args) {
  std::ostringstream out, err;
  FixedClock clock(Timestamp{});
  int code = cli::run(args, out, err, clock);
  return {code, out.str(), err.str()};
}

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

struct Project {
  TempDir dir;
  std::filesystem::path path = dir / "driftlock.toml";
  std::string manifest = path.string();
  Project() { write(path, kManifest); }
};

}  // namespace

TEST_CASE("pin holds a dependency and keeps the file's layout", "[cli][pin]") {
  Project project;
  auto r = run({"pin", "npm:chalk=4.1.2", "-m", project.manifest});
  CHECK(r.err == "");
  CHECK(r.code == 0);
  CHECK(r.out == "pinned npm chalk at 4.1.2 in " + project.manifest + "\n");
  CHECK(slurp(project.path) == replaced(std::string(kManifest), "chalk  = \"^4\"  ",
                                        "chalk  = { range = \"^4\", hold = \"4.1.2\" }  "));
  CHECK(run({"validate", "-m", project.manifest}).code == 0);
}

TEST_CASE("pin replaces a hold, with the version normalised", "[cli][pin]") {
  Project project;
  auto r = run({"pin", "npm:lodash=v4.17.21", "-m", project.manifest});
  CHECK(r.err == "");
  CHECK(r.code == 0);
  CHECK(r.out == "pinned npm lodash at 4.17.21 in " + project.manifest + "\n");
  CHECK(slurp(project.path) == replaced(std::string(kManifest), "\"4.17.20\"", "\"4.17.21\""));
}

TEST_CASE("pin and unpin take quoted names and image references", "[cli][pin]") {
  Project project;
  auto babel = run({"pin", "npm:@babel/core=7.24.0", "-m", project.manifest});
  CHECK(babel.err == "");
  CHECK(babel.out == "pinned npm @babel/core at 7.24.0 in " + project.manifest + "\n");
  auto base = run({"pin", "oci:127.0.0.1:5000/base=stable", "-m", project.manifest});
  CHECK(base.err == "");
  CHECK(base.out == "pinned oci 127.0.0.1:5000/base at stable in " + project.manifest + "\n");
  std::string expected = replaced(std::string(kManifest), "\"@babel/core\" = \"*\"",
                                  "\"@babel/core\" = { range = \"*\", hold = \"7.24.0\" }");
  expected = replaced(expected, "\"127.0.0.1:5000/base\" = \"stable\"",
                      "\"127.0.0.1:5000/base\" = { range = \"stable\", hold = \"stable\" }");
  CHECK(slurp(project.path) == expected);

  CHECK(run({"unpin", "npm:@babel/core", "-m", project.manifest}).code == 0);
  auto unbase = run({"unpin", "oci:127.0.0.1:5000/base", "-m", project.manifest});
  CHECK(unbase.out == "unpinned oci 127.0.0.1:5000/base in " + project.manifest + "\n");
  CHECK(slurp(project.path) == kManifest);
}

TEST_CASE("unpin removes the hold; without one it changes nothing", "[cli][pin]") {
  Project project;
  auto r = run({"unpin", "npm:lodash", "-m", project.manifest});
  CHECK(r.err == "");
  CHECK(r.code == 0);
  CHECK(r.out == "unpinned npm lodash in " + project.manifest + "\n");
  const std::string unpinned =
      replaced(std::string(kManifest), "{ range = \"^4\", hold = \"4.17.20\" }", "\"^4\"");
  CHECK(slurp(project.path) == unpinned);

  auto again = run({"unpin", "npm:lodash", "-m", project.manifest});
  CHECK(again.err == "");
  CHECK(again.code == 0);
  CHECK(again.out == "npm lodash has no hold in " + project.manifest + "\n");
  CHECK(slurp(project.path) == unpinned);
}

TEST_CASE("pin writes through a symlinked manifest", "[cli][pin]") {
  Project project;
  const auto link = project.dir / "link.toml";
  std::filesystem::create_symlink(project.path, link);
  auto r = run({"pin", "npm:chalk=4.1.2", "-m", link.string()});
  CHECK(r.err == "");
  CHECK(r.code == 0);
  CHECK(std::filesystem::is_symlink(link));
  CHECK(slurp(project.path).find("hold = \"4.1.2\" }  ") != std::string::npos);
}

TEST_CASE("pin and unpin errors leave the manifest alone", "[cli][pin]") {
  Project project;
  TempDir empty;
  write(empty / "dotted.toml", "image = \"x\"\n[dependencies.npm]\nchalk.range = \"^4\"\n");
  const std::string m = project.manifest;
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string err;
  };
  const std::vector<Case> cases = {
      {{"pin", "npm:chalk", "-m", m},
       2,
       "driftlock: error: pin: expected ECO:NAME=VERSION (e.g. npm:chalk=4.1.2), not "
       "'npm:chalk'\n"},
      {{"pin", "npm:chalkk=4.1.2", "-m", m},
       2,
       "driftlock: error: " + m + " has no npm dependency 'chalkk' (did you mean 'chalk'?)\n"},
      {{"pin", "nmp:chalk=4.1.2", "-m", m},
       2,
       "driftlock: error: unknown ecosystem 'nmp' (did you mean 'npm'?)\n"},
      {{"pin", "npm:chalk=5.3.0", "-m", m},
       2,
       "driftlock: error: cannot pin npm chalk at 5.3.0: outside its range '^4' (widen the range "
       "first)\n"},
      {{"unpin", "npm:chalk=4.1.2", "-m", m},
       2,
       "driftlock: error: unpin: expected ECO:NAME without a version, not 'npm:chalk=4.1.2'\n"},
      {{"unpin", "pypi:chalk", "-m", m},
       2,
       "driftlock: error: " + m +
           " has no pypi dependency 'chalk' (add it to [dependencies.pypi] first)\n"},
      {{"pin", "npm:chalk=4.1.2", "-m", (empty / "missing.toml").string()},
       2,
       "driftlock: error: cannot read manifest '" + (empty / "missing.toml").string() +
           "': No such file or directory\n"},
      {{"pin", "npm:chalk=4.1.2", "-m", (empty / "dotted.toml").string()},
       2,
       "driftlock: error: " + (empty / "dotted.toml").string() +
           ":3:1: cannot edit [dependencies.npm] chalk: it is written with dotted keys "
           "(chalk.range = ...); write it as chalk = { range = ... } to pin or unpin it\n"
           "  chalk.range = \"^4\"\n"
           "  ^\n"},
  };
  for (const Case& c : cases) {
    INFO(c.args[0] << " " << c.args[1]);
    auto r = run(c.args);
    CHECK(r.code == c.code);
    CHECK(r.out == "");
    CHECK(r.err == c.err);
  }
  CHECK(slurp(project.path) == kManifest);
  CHECK(slurp(empty / "dotted.toml") ==
        "image = \"x\"\n[dependencies.npm]\nchalk.range = \"^4\"\n");
  auto missing = run({"pin", "-m", m});
  CHECK(missing.code == 2);
  CHECK(missing.err.starts_with("driftlock: error: pin: dependency is required"));
}

TEST_CASE("pin --help shows the argument's form", "[cli][pin]") {
  auto pin = run({"pin", "--help"});
  CHECK(pin.code == 0);
  CHECK(pin.out.find("oci:127.0.0.1:5000/base=stable") != std::string::npos);
  auto unpin = run({"unpin", "--help"});
  CHECK(unpin.code == 0);
  CHECK(unpin.out.find("A dependency without a hold is left alone (exit 0).") != std::string::npos);
}
