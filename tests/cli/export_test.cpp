#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "cli/main.hpp"
#include "exec/temp_dir.hpp"

using namespace driftlock;
using driftlock::testing::TempDir;

namespace {

const std::string kDigest = "sha256:" + std::string(64, 'e');

constexpr std::string_view kManifest = R"(image = "example"
snapshot = "snapshots/example.lock.json"

[commands]
build = "true"

[dependencies.npm]
"@babel/core" = "*"
chalk = "*"

[dependencies.pypi]
tox = "~=4.0"

[dependencies.debian]
libssl-dev = "*"

[dependencies.oci]
"127.0.0.1:5000/base" = { range = "stable", key = "BASE_IMAGE" }
)";

std::string snapshot(const std::string& oci_digest_field) {
  return R"({
  "format": "driftlock-snapshot",
  "version": 1,
  "image": "example",
  "created": "2026-11-25T03:00:00Z",
  "dependencies": [
    {"ecosystem": "debian", "name": "libssl-dev", "version": "3.0.11-1~deb12u2"},
    {"ecosystem": "npm", "name": "@babel/core", "version": "7.24.0"},
    {"ecosystem": "npm", "name": "chalk", "version": "4.1.2", "digest": "sha512-AAAA"},
    {"ecosystem": "oci", "name": "127.0.0.1:5000/base", "version": "stable")" +
         oci_digest_field + R"(},
    {"ecosystem": "pypi", "name": "tox", "version": "4.11.3"}
  ],
  "held": []
}
)";
}

void write(const std::filesystem::path& path, std::string_view text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
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

struct Project {
  TempDir dir;
  std::string manifest = (dir / "driftlock.toml").string();
  Project(const std::string& digest_field = ", \"digest\": \"" + kDigest + "\"") {
    write(dir / "driftlock.toml", kManifest);
    write(dir / "snapshots" / "example.lock.json", snapshot(digest_field));
  }
};

}  // namespace

TEST_CASE("export prints each format", "[cli][export]") {
  Project project;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"pip", "tox==4.11.3\n"},
      {"npm", "{\n  \"@babel/core\": \"7.24.0\",\n  \"chalk\": \"4.1.2\"\n}\n"},
      {"apt", "libssl-dev=3.0.11-1~deb12u2\n"},
      {"oci", "BASE_IMAGE=127.0.0.1:5000/base@" + kDigest + "\n"},
      {"env",
       "DRIFTLOCK_APT_LIBSSL_DEV=3.0.11-1~deb12u2\n"
       "DRIFTLOCK_NPM_BABEL_CORE=7.24.0\n"
       "DRIFTLOCK_NPM_CHALK=4.1.2\n"
       "DRIFTLOCK_OCI_BASE_IMAGE=127.0.0.1:5000/base@" +
           kDigest +
           "\n"
           "DRIFTLOCK_PIP_TOX=4.11.3\n"},
  };
  for (const auto& [format, text] : cases) {
    INFO(format);
    auto r = run({"export", "--format", format, "-m", project.manifest});
    CHECK(r.err == "");
    CHECK(r.code == 0);
    CHECK(r.out == text);
  }
}

TEST_CASE("export -o writes the file and prints nothing", "[cli][export]") {
  Project project;
  auto target = project.dir / "pins" / "constraints.txt";
  std::filesystem::create_directories(target.parent_path());
  auto r = run({"export", "--format=pip", "-m", project.manifest, "-o", target.string()});
  CHECK(r.code == 0);
  CHECK(r.out == "");
  CHECK(slurp(target) == "tox==4.11.3\n");
}

TEST_CASE("export --snapshot reads another lock file, with or without a manifest",
          "[cli][export]") {
  Project project;
  TempDir elsewhere;
  write(elsewhere / "lock.json", snapshot(", \"digest\": \"" + kDigest + "\""));
  // With the manifest: its key; without one: the key derived from the name.
  auto with = run({"export", "--format", "oci", "-m", project.manifest, "--snapshot",
                   (elsewhere / "lock.json").string()});
  CHECK(with.code == 0);
  CHECK(with.out == "BASE_IMAGE=127.0.0.1:5000/base@" + kDigest + "\n");
  auto without =
      run({"export", "--format", "oci", "--snapshot", (elsewhere / "lock.json").string()});
  CHECK(without.err == "");
  CHECK(without.code == 0);
  CHECK(without.out == "BASE=127.0.0.1:5000/base@" + kDigest + "\n");
}

TEST_CASE("export errors", "[cli][export]") {
  Project project;
  Project no_digest("");
  TempDir empty;
  write(empty / "driftlock.toml", kManifest);
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string err;
  };
  const std::vector<Case> cases = {
      {{"export", "--format", "pipp", "-m", project.manifest},
       2,
       "driftlock: error: unknown export format 'pipp' (expected pip, npm, npm-overrides, apt, oci "
       "or "
       "env) "
       "(did you mean 'pip'?)\n"},
      {{"export", "--format", "oci", "-m", no_digest.manifest},
       2,
       "driftlock: error: cannot export oci dependency '127.0.0.1:5000/base': no digest (an image "
       "is exported as name@sha256:digest)\n"},
      {{"export", "--format", "pip", "-m", (empty / "driftlock.toml").string()},
       2,
       "driftlock: error: no snapshot at '" + (empty / "snapshots" / "example.lock.json").string() +
           "' yet: the first green 'driftlock run' writes it\n"},
      {{"export", "--format", "pip", "-m", project.manifest, "-o",
        (project.dir / "missing" / "x.txt").string()},
       3,
       "driftlock: error: cannot write '" + (project.dir / "missing" / "x.txt").string() +
           "': open failed: No such file or directory\n"},
  };
  for (const Case& c : cases) {
    INFO(c.args[2]);
    auto r = run(c.args);
    CHECK(r.code == c.code);
    CHECK(r.out == "");
    CHECK(r.err == c.err);
  }
  auto missing = run({"export", "-m", project.manifest});
  CHECK(missing.code == 2);
  CHECK(missing.err.starts_with("driftlock: error: export: --format is required"));
}

TEST_CASE("export --help explains the formats", "[cli][export]") {
  auto r = run({"export", "--help"});
  CHECK(r.code == 0);
  CHECK(r.out.find("DRIFTLOCK_PIP_<NAME>=version") != std::string::npos);
  CHECK(r.out.find("--snapshot") != std::string::npos);
  auto overview = run({"help"});
  CHECK(overview.out.find("  export      print the snapshot's pins as installers read them\n") !=
        std::string::npos);
}
