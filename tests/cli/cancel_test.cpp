// A SIGTERM to `driftlock run` mid-probe (a CI cancel): the real binary stops
// the probe's whole process group, writes nothing, records the run as
// interrupted, and the next run recalls the build that had finished.
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "exec/temp_dir.hpp"
#include "support/loopback_server.hpp"
#include "support/spawn_driftlock.hpp"
#include "support/text_files.hpp"

using namespace driftlock;
using driftlock::testing::LoopbackServer;
using driftlock::testing::make_reply;
using driftlock::testing::read_text;
using driftlock::testing::spawn_driftlock;
using driftlock::testing::TempDir;
using driftlock::testing::wait_exit_code;
using driftlock::testing::write_text;
using namespace std::chrono_literals;

namespace {

// Processes of `group` that are still alive (zombies count as gone: a
// container's init may not reap them).
std::vector<pid_t> alive_in_group(pid_t group) {
  std::vector<pid_t> alive;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string stat = read_text(entry.path() / "stat");
    const auto close = stat.rfind(')');
    if (close == std::string::npos || close + 2 >= stat.size()) continue;
    // After ") ": state, ppid, pgrp.
    char state = stat[close + 2];
    long ppid = 0, pgrp = 0;
    if (std::sscanf(stat.c_str() + close + 3, "%ld %ld", &ppid, &pgrp) != 2) continue;
    if (pgrp == group && state != 'Z') alive.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return alive;
}

std::string packument(const std::string& name) {
  return R"({"name":")" + name + R"(","versions":{"1.0.0":{},"1.1.0":{}},)" +
         R"("time":{"1.0.0":"2026-01-01T00:00:00.000Z","1.1.0":"2026-02-01T00:00:00.000Z"}})";
}

}  // namespace

TEST_CASE("cli: SIGTERM mid-probe stops the probe's processes and writes nothing",
          "[cli][cancel]") {
  LoopbackServer registry;
  for (const std::string name : {"a", "b"}) {
    registry.route("/" + name, make_reply(200, packument(name), "application/json"));
  }
  TempDir dir;
  write_text(dir / "driftlock.toml",
             "image = \"demo\"\nsnapshot = \"demo.lock.json\"\n[registries]\nnpm = \"" +
                 registry.url("") +
                 "\"\n[commands]\nbuild = \"sh ./build.sh\"\ntest = \"true\"\n"
                 "[dependencies.npm]\na = \"*\"\nb = \"*\"\n");
  const std::string snapshot =
      "{\n  \"format\": \"driftlock-snapshot\",\n  \"version\": 1,\n  \"image\": \"demo\",\n"
      "  \"dependencies\": [\n"
      "    {\"ecosystem\": \"npm\", \"name\": \"a\", \"version\": \"1.0.0\"},\n"
      "    {\"ecosystem\": \"npm\", \"name\": \"b\", \"version\": \"1.0.0\"}\n"
      "  ],\n  \"held\": []\n}\n";
  write_text(dir / "demo.lock.json", snapshot);
  // Logs each build's pins; while `block` exists, the full candidate's build
  // records its process group and waits, with a child in the background.
  write_text(dir / "build.sh",
             "pins=$(tr -d ' \\n' < \"$DRIFTLOCK_CANDIDATE_DIR/npm-pins.json\")\n"
             "echo \"$pins\" >> builds.log\n"
             "case \"$pins\" in *'\"a\":\"1.1.0\"'*)\n"
             "  if [ -f block ]; then\n"
             "    sleep 1000 &\n"
             "    cut -d' ' -f5 /proc/$$/stat > probe.pgid\n"
             "    sleep 1000\n"
             "  fi;;\n"
             "esac\n");
  // A git work tree: builds are remembered across runs only for a builder
  // revision git can name.
  const std::string git_init =
      "cd '" + dir.path().string() +
      "' && git init -q && git add driftlock.toml build.sh demo.lock.json && git -c "
      "user.name=test -c user.email=test@example.invalid commit -qm builder";
  REQUIRE(std::system(git_init.c_str()) == 0);
  write_text(dir / "block", "");
  const std::vector<std::string> args{"run", "-q", "-m", (dir / "driftlock.toml").string()};

  const pid_t first = spawn_driftlock(args, dir / "out1", dir / "err1");
  pid_t group = -1;
  for (int i = 0; i < 6000 && group <= 0; ++i) {
    std::this_thread::sleep_for(10ms);
    const std::string text = read_text(dir / "probe.pgid");
    if (!text.empty() && text.back() == '\n') group = static_cast<pid_t>(std::stol(text));
  }
  REQUIRE(group > 0);
  REQUIRE_FALSE(alive_in_group(group).empty());
  REQUIRE(kill(first, SIGTERM) == 0);
  CHECK(wait_exit_code(first) == 3);
  CHECK_THAT(read_text(dir / "err1"),
             Catch::Contains("driftlock: interrupted (SIGTERM): the running builds were stopped "
                             "and nothing was written; the next run recalls every build that "
                             "finished"));
  CHECK(alive_in_group(group).empty());
  CHECK(read_text(dir / "demo.lock.json") == snapshot);

  const pid_t history = spawn_driftlock({"history", "-m", (dir / "driftlock.toml").string()},
                                        dir / "history", dir / "err-history");
  CHECK(wait_exit_code(history) == 0);
  CHECK_THAT(read_text(dir / "history"), Catch::Contains("interrupted"));

  // The next run builds only what had not finished: the baseline is recalled.
  std::filesystem::remove(dir / "block");
  const pid_t second = spawn_driftlock(args, dir / "out2", dir / "err2");
  CHECK(wait_exit_code(second) == 0);
  CHECK_THAT(read_text(dir / "demo.lock.json"), Catch::Contains("\"version\": \"1.1.0\""));
  const std::string builds = read_text(dir / "builds.log");
  CHECK(builds ==
        "{\"a\":\"1.0.0\",\"b\":\"1.0.0\"}\n{\"a\":\"1.1.0\",\"b\":\"1.1.0\"}\n"
        "{\"a\":\"1.1.0\",\"b\":\"1.1.0\"}\n");
}
