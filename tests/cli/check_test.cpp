// `driftlock check` and `driftlock bisect` input errors: clear messages, exit 2,
// nothing built or written.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "cli/main.hpp"
#include "exec/temp_dir.hpp"

using namespace driftlock;
using driftlock::testing::TempDir;

namespace {

struct Outcome {
  int code;
  std::string out, err;
};

Outcome run_cli(std::vector<std::string> args) {
  std::ostringstream out, err;
  FixedClock clock(*parse_timestamp("2026-11-25T03:00:00Z"));
  int code = cli::run(args, out, err, clock);
  return {code, out.str(), err.str()};
}

}  // namespace

TEST_CASE("check without a snapshot says how the first one is made and builds nothing") {
  TempDir dir;
  const auto manifest = dir.path() / "driftlock.toml";
  std::ofstream(manifest) << "image = \"demo\"\nsnapshot = \"demo.lock.json\"\n[commands]\n"
                             "build = \"touch built\"\n[dependencies.npm]\na = \"*\"\n";
  Outcome result = run_cli({"check", "-m", manifest.string()});
  CHECK(result.code == 2);
  CHECK(result.err == "driftlock: error: " + (dir.path() / "demo.lock.json").string() +
                          ": no snapshot yet: 'driftlock run' writes the first one\n");
  CHECK_FALSE(std::filesystem::exists(dir.path() / "built"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / ".driftlock"));
}

TEST_CASE("bisect needs both locks and names a missing one") {
  TempDir dir;
  const auto manifest = dir.path() / "driftlock.toml";
  std::ofstream(manifest) << "image = \"demo\"\nsnapshot = \"demo.lock.json\"\n";
  Outcome missing_flag = run_cli({"bisect", "-m", manifest.string(), "--from", "a.lock.json"});
  CHECK(missing_flag.code == 2);
  CHECK(missing_flag.err.find("--to") != std::string::npos);

  const std::string absent = (dir.path() / "absent.lock.json").string();
  Outcome missing_file =
      run_cli({"bisect", "-m", manifest.string(), "--from", absent, "--to", absent});
  CHECK(missing_file.code == 2);
  CHECK(missing_file.err.find(absent) != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.path() / ".driftlock"));
}

TEST_CASE("the flaky-tests option takes auto, expect or trust on run, check and bisect") {
  TempDir dir;
  const auto manifest = dir.path() / "driftlock.toml";
  std::ofstream(manifest) << "image = \"demo\"\nsnapshot = \"demo.lock.json\"\n[commands]\n"
                             "build = \"touch built\"\n[dependencies.npm]\na = \"*\"\n";
  struct Case {
    std::vector<std::string> args;
  };
  const Case cases[] = {
      {{"run", "-m", manifest.string(), "--flaky-tests", "expected"}},
      {{"check", "-m", manifest.string(), "--flaky-tests", "expected"}},
      {{"bisect", "-m", manifest.string(), "--from", "a", "--to", "b", "--flaky-tests",
        "expected"}},
  };
  for (const Case& c : cases) {
    Outcome result = run_cli(c.args);
    CHECK(result.code == 2);
    CHECK(result.err ==
          "driftlock: error: unknown --flaky-tests mode 'expected' (expected auto, expect or "
          "trust) (did you mean 'expect'?)\n");
  }
  CHECK_FALSE(std::filesystem::exists(dir.path() / "built"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / ".driftlock"));
}
