#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "cli/main.hpp"
#include "core/manifest.hpp"
#include "ecosystems/registry.hpp"
#include "exec/temp_dir.hpp"

using namespace driftlock;
using driftlock::testing::TempDir;

namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = fs::path(DRIFTLOCK_TEST_DATA) / "dockerfiles";

void write(const fs::path& path, std::string_view text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string slurp(const fs::path& path) {
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

// A copy of a fixture folder (the build context) in a fresh folder.
struct Project {
  TempDir dir;
  fs::path context;
  fs::path manifest;
  explicit Project(std::string_view fixture) : context(dir / std::string(fixture)) {
    fs::copy(kFixtures / fixture, context, fs::copy_options::recursive);
    manifest = context / "driftlock.toml";
  }
};

// "range" or "range hold=H" per ECO:NAME of the written manifest.
std::map<std::string, std::string> dependencies_of(const fs::path& manifest) {
  auto loaded = load_manifest(manifest, ecosystems::all());
  if (!loaded) FAIL(render(loaded.error()));
  std::map<std::string, std::string> out;
  for (const DependencySpec& d : loaded->dependencies) {
    out[d.ecosystem + ":" + d.name] = d.range + (d.hold ? " hold=" + *d.hold : "");
  }
  return out;
}

// The written line of a dependency (for its comment).
std::string line_of(const std::string& text, std::string_view start) {
  const std::size_t at = text.find("\n" + std::string(start));
  if (at == std::string::npos) return "";
  return text.substr(at + 1, text.find('\n', at + 1) - at - 1);
}

void check_validates(const fs::path& manifest) {
  auto validated = run({"validate", "-m", manifest.string()});
  CHECK(validated.err == "");
  CHECK(validated.code == 0);
}

}  // namespace

TEST_CASE("init reads a pip + apt Dockerfile like the reference image", "[init][cli]") {
  Project project("pip-apt");
  const std::string dockerfile = (project.context / "Dockerfile").string();
  auto r = run({"init", dockerfile, "-o", project.manifest.string()});
  CHECK(r.err == "");
  CHECK(r.code == 0);
  CHECK(r.out == "could not read: " + dockerfile +
                     ":34: curl -fsSL https://tools.invalid/install.sh | sh: a downloaded script "
                     "runs; what it installs is unknown\n"
                     "wrote " +
                     project.manifest.string() +
                     ": 1 oci, 14 debian, 37 pypi dependencies; could not read 1 line (listed as "
                     "comments)\n");
  check_validates(project.manifest);

  const std::map<std::string, std::string> expected = {
      {"oci:debian", "12"},
      // apt, across continuation lines, with ARG PY substituted
      {"debian:git", "*"},
      {"debian:wget", "*"},
      {"debian:lsb-release", "*"},
      {"debian:sudo", "*"},
      {"debian:build-essential", "*"},
      {"debian:python-is-python3", "*"},
      {"debian:python3.11", "*"},
      {"debian:python3.11-dev", "*"},
      {"debian:libffi-dev", "*"},
      {"debian:libssl-dev", "*"},
      {"debian:libyaml-dev", "*"},
      {"debian:virtualenv", "*"},
      {"debian:apt-transport-https", "*"},
      {"debian:tor", "* hold=0.4.8.12-1~d12.bookworm+1"},
      // the virtualenv
      {"pypi:certifi", "*"},
      {"pypi:setuptools", "*"},
      {"pypi:tox", "~=4.0"},
      // requirements.txt (pip and wheel are also installed unpinned: the pin wins)
      {"pypi:pip", "==23.3.1"},
      {"pypi:wheel", "==0.41.3"},
      {"pypi:zfec", ">=1.1.0"},
      {"pypi:Twisted", ">=22.8.0"},
      {"pypi:cryptography", ">=2.6"},
      {"pypi:pyOpenSSL", ">=23.2.0"},
      {"pypi:foolscap", ">=21.7.0"},
      {"pypi:eliot", ">=1.14.0"},
      {"pypi:attrs", ">=20.1.0"},
      {"pypi:autobahn", ">=22.4.3"},
      {"pypi:klein", ">=23.5.0"},
      {"pypi:click", ">=8.1.1"},
      {"pypi:werkzeug", "!=2.2.0"},
      {"pypi:cbor2", "!=5.6.0"},
      {"pypi:PyYAML", "*"},
      {"pypi:six", "*"},
      {"pypi:psutil", "*"},
      {"pypi:filelock", "*"},
      {"pypi:treq", "*"},
      {"pypi:mock", "*"},
      {"pypi:pytest", "*"},
      {"pypi:pytest-twisted", "*"},
      {"pypi:hypothesis", ">=3.6.1"},
      {"pypi:towncrier", "*"},
      {"pypi:testtools", "*"},
      {"pypi:fixtures", "*"},
      {"pypi:beautifulsoup4", "*"},
      {"pypi:html5lib", "*"},
      {"pypi:pytest-timeout", "*"},
      {"pypi:paramiko", "<2.9"},
      {"pypi:prometheus-client", "==0.11.0"},
      {"pypi:python-subunit", "==1.4.2"},
      {"pypi:junitxml", "==0.7"},
      {"pypi:coverage", "==7.2.5"},
  };
  CHECK(dependencies_of(project.manifest) == expected);

  const std::string text = slurp(project.manifest);
  CHECK(line_of(text, "image ") == "image    = \"pip-apt\"");
  CHECK(line_of(text, "snapshot ") == "snapshot = \"snapshots/pip-apt.lock.json\"");
  CHECK(line_of(text, "tox ").ends_with("# Dockerfile:29"));
  CHECK(line_of(text, "git ").ends_with("# Dockerfile:15"));
  CHECK(line_of(text, "zfec ").ends_with("# requirements.txt:2 via Dockerfile:32"));
  CHECK(line_of(text, "pip ")
            .ends_with("# Dockerfile:28, requirements.txt:33 via Dockerfile:32; Dockerfile:28 asks "
                       "any version"));
  CHECK(line_of(text, "\"debian\" ").ends_with("# Dockerfile:6"));
  CHECK(text.find("#   Dockerfile:34: curl -fsSL https://tools.invalid/install.sh | sh: a "
                  "downloaded script runs; what it installs is unknown\n") != std::string::npos);
  CHECK(text.find("\n# build = \"buildah bud -t \\\"$DRIFTLOCK_IMAGE_TAG\\\" -f Dockerfile "
                  "--build-arg DEBIAN=\\\"$DRIFTLOCK_OCI_DEBIAN\\\" -v "
                  "\\\"$DRIFTLOCK_CANDIDATE_DIR:/pins:ro\\\" .\"\n") != std::string::npos);
}

TEST_CASE("init reads npm ci's package.json and npm install -g", "[init][cli]") {
  Project project("npm");
  const std::string dockerfile = (project.context / "Dockerfile").string();
  auto r = run({"init", dockerfile, "-o", project.manifest.string(), "--image", "web"});
  CHECK(r.err == "");
  CHECK(r.code == 0);
  CHECK(r.out == "could not read: " + (project.context / "package.json").string() +
                     ":10: local-lib: \"file:../lib\" is a path, URL, alias or git repository, "
                     "not a version range\n"
                     "wrote " +
                     project.manifest.string() +
                     ": 1 oci, 9 npm dependencies; could not read 1 line (listed as comments)\n");
  check_validates(project.manifest);
  const std::map<std::string, std::string> expected = {
      {"oci:node", "20-bookworm-slim"}, {"npm:@babel/core", "^7.24.0"}, {"npm:chalk", "4.1.2"},
      {"npm:express", "^4.18.2"},       {"npm:lodash", "~4.17.21"},     {"npm:eslint", ">=8 <9"},
      {"npm:jest", "^29.7.0"},          {"npm:typescript", "5.4.x"},    {"npm:some-cli", "^2"},
      {"npm:@scope/tool", "1.2.3"},
  };
  CHECK(dependencies_of(project.manifest) == expected);
  const std::string text = slurp(project.manifest);
  CHECK(line_of(text, "image ") == "image    = \"web\"");
  CHECK(line_of(text, "jest ").ends_with("# package.json:14 via Dockerfile:4; devDependencies"));
  CHECK(line_of(text, "some-cli ").ends_with("# Dockerfile:5"));
}

TEST_CASE("init reads a multi-stage Containerfile", "[init][cli]") {
  Project project("multi-stage");
  const std::string containerfile = (project.context / "Containerfile").string();
  auto r = run({"init", containerfile, "-o", project.manifest.string()});
  CHECK(r.err == "");
  CHECK(r.code == 0);
  CHECK(r.out == "could not read: " + containerfile +
                     ":18: apk add --no-cache bash: apk is not one of the package managers "
                     "driftlock reads (apt, pip, npm)\n"
                     "wrote " +
                     project.manifest.string() +
                     ": 2 oci, 5 debian dependencies; could not read 1 line (listed as "
                     "comments)\n");
  check_validates(project.manifest);
  const std::map<std::string, std::string> expected = {
      {"oci:golang", "1.22-bookworm"},
      {"oci:debian", "12-slim"},
      {"debian:protobuf-compiler", "* hold=3.21.12-3"},
      {"debian:libsqlite3-dev", "*"},
      {"debian:ca-certificates", "*"},
      {"debian:tzdata", "*"},
      {"debian:curl", "*"},
  };
  CHECK(dependencies_of(project.manifest) == expected);
  const std::string text = slurp(project.manifest);
  CHECK(line_of(text, "curl ").ends_with("# Containerfile:17; from suite bookworm-backports"));
  CHECK(line_of(text, "libsqlite3-dev ").ends_with("# Containerfile:8"));
}

TEST_CASE("init never overwrites a manifest without --force", "[init][cli]") {
  Project project("multi-stage");
  const std::string containerfile = (project.context / "Containerfile").string();
  write(project.manifest, "image = \"mine\"\n");
  auto r = run({"init", containerfile, "-o", project.manifest.string()});
  CHECK(r.code == 2);
  CHECK(r.out == "");
  CHECK(r.err == "driftlock: error: " + project.manifest.string() +
                     " already exists (--force overwrites it)\n");
  CHECK(slurp(project.manifest) == "image = \"mine\"\n");

  r = run({"init", containerfile, "-o", project.manifest.string(), "--force"});
  CHECK(r.code == 0);
  CHECK(dependencies_of(project.manifest).size() == 7);
}

TEST_CASE("init finds ./Containerfile, else ./Dockerfile, and names the image after the folder",
          "[init][cli]") {
  TempDir dir;
  const fs::path folder = dir / "ci-image";
  write(folder / "Dockerfile", "FROM debian:12\nRUN apt-get install -y git\n");
  const fs::path cwd = fs::current_path();
  fs::current_path(folder);
  auto r = run({"init"});
  auto deps = dependencies_of("driftlock.toml");
  const std::string text = slurp("driftlock.toml");
  write(folder / "Containerfile", "FROM alpine:3\n");
  auto again = run({"init", "--force", "-m", "ignored.toml"});
  auto deps_again = dependencies_of("driftlock.toml");
  fs::remove(folder / "Containerfile");
  fs::remove(folder / "Dockerfile");
  auto none = run({"init", "--force"});
  fs::current_path(cwd);

  CHECK(r.err == "");
  CHECK(r.out == "wrote driftlock.toml: 1 oci, 1 debian dependencies\n");
  CHECK(line_of(text, "image ") == "image    = \"ci-image\"");
  CHECK(line_of(text, "git ") == "git = \"*\"  # Dockerfile:2");
  CHECK(deps == std::map<std::string, std::string>{{"debian:git", "*"}, {"oci:debian", "12"}});
  CHECK(again.out == "wrote driftlock.toml: 1 oci dependency\n");
  CHECK(deps_again == std::map<std::string, std::string>{{"oci:alpine", "3"}});
  CHECK(none.code == 2);
  CHECK(none.err ==
        "driftlock: error: no Containerfile or Dockerfile in the current folder (name one: "
        "driftlock init PATH)\n");
}

TEST_CASE("init errors", "[init][cli]") {
  TempDir dir;
  const fs::path dockerfile = dir / "Dockerfile";
  const std::string out = (dir / "driftlock.toml").string();
  write(dockerfile, "FROM debian:12\nRUNN apt-get install -y git\n");
  auto r = run({"init", dockerfile.string(), "-o", out});
  CHECK(r.code == 2);
  CHECK(r.out == "");
  CHECK(r.err == "driftlock: error: " + dockerfile.string() +
                     ":2:1: unknown instruction 'RUNN' (did you mean 'RUN'?)\n"
                     "  RUNN apt-get install -y git\n  ^\n");
  CHECK_FALSE(fs::exists(out));

  write(dockerfile, "FROM debian:12\n");
  r = run({"init", dockerfile.string(), "-o", out, "--image", "no spaces"});
  CHECK(r.code == 2);
  CHECK(r.err ==
        "driftlock: error: --image: 'no spaces' is not an image name (letters, digits, '.', '_' "
        "and '-', starting with a letter or digit, at most 128 characters)\n");

  r = run({"init", dockerfile.string(), "-o", dockerfile.string(), "--force"});
  CHECK(r.code == 2);
  CHECK(r.err == "driftlock: error: " + dockerfile.string() +
                     " is the Dockerfile itself; write the manifest elsewhere\n");
  CHECK(slurp(dockerfile) == "FROM debian:12\n");

  r = run({"init", (dir / "missing").string(), "-o", out});
  CHECK(r.code == 2);
  CHECK(r.err.starts_with("driftlock: error: cannot read Dockerfile '" +
                          (dir / "missing").string() + "'"));
  CHECK_FALSE(fs::exists(out));

  // Nothing found is still a manifest validate accepts.
  write(dockerfile, "FROM scratch\nCOPY app /app\n");
  r = run({"init", dockerfile.string(), "-o", out});
  CHECK(r.code == 0);
  CHECK(r.out == "wrote " + out + ": no dependencies found\n");
  check_validates(out);
}

TEST_CASE("init --capture refuses what it cannot capture before resolving or building",
          "[init][cli]") {
  TempDir dir;
  const fs::path dockerfile = dir / "Dockerfile";
  write(dockerfile, "FROM debian:12\nRUN apt-get install -y git\n");
  // A manifest as init writes it: [commands] only as comments.
  const fs::path fresh = dir / "fresh" / "driftlock.toml";
  fs::create_directories(fresh.parent_path());
  REQUIRE(run({"init", dockerfile.string(), "-o", fresh.string()}).code == 0);
  // It suggests a [closure] listing per installer found, commented out.
  CHECK(line_of(slurp(fresh), "# debian") ==
        "# debian = \"./ci/closure-debian.sh\"  # prints `dpkg-query -W` run in "
        "$DRIFTLOCK_IMAGE_TAG");
  CHECK(line_of(slurp(fresh), "# pypi") == "");
  // A filled-in manifest whose snapshot exists already.
  const fs::path done = dir / "done" / "driftlock.toml";
  write(done,
        "image = \"done\"\n[commands]\nbuild = \"touch built\"\ntest = \"true\"\n"
        "[dependencies.debian]\ngit = \"*\"\n");
  write(dir / "done" / "snapshots" / "done.lock.json", "{}");
  const fs::path missing = dir / "missing" / "driftlock.toml";
  const fs::path broken = dir / "broken" / "driftlock.toml";
  write(broken, "image = \"broken\"\n[comands]\n");

  struct Case {
    std::vector<std::string> args;
    std::string err;
  };
  const Case cases[] = {
      {{"init", "--capture", dockerfile.string()},
       "--capture builds the manifest -m names and reads no Dockerfile: drop DOCKERFILE"},
      {{"init", "--capture", "-o", "x.toml", "--image", "x", "--force"},
       "--capture builds the manifest -m names and reads no Dockerfile: drop --output, --image, "
       "--force"},
      {{"init", "--capture", "-m", missing.string()},
       missing.string() +
           " does not exist: 'driftlock init' writes it from a Dockerfile; fill in its "
           "[commands], then 'driftlock init --capture'"},
      {{"init", "--capture", "-m", fresh.string()},
       fresh.string() +
           ": [commands] needs build and test to capture a first snapshot (driftlock init writes "
           "them as comments: fill them in)"},
      {{"init", "--capture", "-m", done.string()},
       (dir / "done" / "snapshots" / "done.lock.json").string() +
           " already exists: --capture writes only a first snapshot ('driftlock run' builds from "
           "this one, and captures its closure once [closure] is new)"},
      {{"init", "--capture", "-m", broken.string()},
       broken.string() + ":2:2: unknown table 'comands' (did you mean 'commands'?)\n"
                         "  [comands]\n   ^"},
      {{"init", dockerfile.string(), "-o", (dir / "other.toml").string(), "--state-dir", "s"},
       "--state-dir is for --capture (init writes no state)"},
  };
  for (const Case& c : cases) {
    INFO(c.args[2]);
    auto r = run(c.args);
    CHECK(r.code == 2);
    CHECK(r.out == "");
    CHECK(r.err == "driftlock: error: " + c.err + "\n");
  }
  // Nothing was built, resolved or written.
  CHECK_FALSE(fs::exists(dir / "done" / "built"));
  for (const char* folder : {"fresh", "done", "broken"}) {
    CHECK_FALSE(fs::exists(dir / folder / ".driftlock"));
  }
  CHECK_FALSE(fs::exists(dir / "fresh" / "snapshots"));
  CHECK_FALSE(fs::exists(dir / "other.toml"));
  CHECK(slurp(dir / "done" / "snapshots" / "done.lock.json") == "{}");
}
