// `driftlock check` and `driftlock bisect` input errors: clear messages, exit 2,
// nothing built or written.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "cli/main.hpp"
#include "exec/temp_dir.hpp"
#include "store/state_dir.hpp"

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

TEST_CASE("check waits with --wait for another run's lock, then says who holds it", "[cli][lock]") {
  TempDir dir;
  const auto manifest = dir.path() / "driftlock.toml";
  std::ofstream(manifest) << "image = \"demo\"\nsnapshot = \"demo.lock.json\"\n[commands]\n"
                             "build = \"touch built\"\n[dependencies.npm]\na = \"*\"\n";
  std::ofstream(dir.path() / "demo.lock.json")
      << R"({"format": "driftlock-snapshot", "version": 1, "image": "demo", "dependencies": [)"
      << R"({"ecosystem": "npm", "name": "a", "version": "1.0.0"}], "held": []})";
  const auto folder = dir.path() / ".driftlock";
  auto held = store::StateDir::open(folder);  // a run in progress
  REQUIRE(held);
  std::ifstream lock(folder / "lock");
  std::string pid, started;
  lock >> pid >> started;
  const std::string holder = fmt::format("pid {}, started {}", pid, started);

  Outcome at_once = run_cli({"check", "-m", manifest.string()});
  CHECK(at_once.code == 3);
  CHECK(at_once.err ==
        fmt::format("driftlock: error: another driftlock run ({}) holds the lock on '{}'; --wait "
                    "SECONDS waits for it\n",
                    holder, folder.string()));
  Outcome waited = run_cli({"check", "-m", manifest.string(), "--wait", "1"});
  CHECK(waited.code == 3);
  CHECK(waited.err ==
        fmt::format("driftlock: waiting for another driftlock run ({}) to release the state "
                    "folder\ndriftlock: error: another driftlock run ({}) still holds the lock on "
                    "'{}' after waiting 1s\n",
                    holder, holder, folder.string()));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "built"));
  Outcome bad = run_cli({"check", "-m", manifest.string(), "--wait", "0"});
  CHECK(bad.code == 2);
}
