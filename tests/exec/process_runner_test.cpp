#include "exec/process_runner.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "exec/cancellation.hpp"
#include "exec/temp_dir.hpp"

using namespace driftlock;
using namespace driftlock::exec;
using driftlock::testing::TempDir;
using namespace std::chrono_literals;

namespace {

RunRequest request(const TempDir& dir, std::string command) {
  RunRequest r;
  r.command = std::move(command);
  r.cwd = dir.path();
  r.log = dir / "run.log";
  r.timeout = 30s;
  r.kill_grace = 1s;
  return r;
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Gone, or a zombie nobody reaped yet (a container's init may not reap).
bool process_gone(pid_t pid) {
  for (int i = 0; i < 200; ++i) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    if (!stat) return true;
    std::string line;
    std::getline(stat, line);
    auto close = line.rfind(')');
    if (close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z') {
      return true;
    }
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

pid_t read_pid(const std::filesystem::path& path) {
  std::string text = slurp(path);
  return text.empty() ? -1 : static_cast<pid_t>(std::stol(text));
}

}  // namespace

TEST_CASE("process runner reports exit codes and signals", "[exec][process]") {
  TempDir dir;
  struct Case {
    std::string command;
    std::optional<int> exit_code, signal;
  };
  const std::vector<Case> cases = {
      {"true", 0, std::nullopt},
      {"exit 3", 3, std::nullopt},
      {"false", 1, std::nullopt},
      {"exit 125", 125, std::nullopt},
      {"kill -9 $$", std::nullopt, SIGKILL},
      {"no-such-command-here", 127, std::nullopt},
  };
  ProcessRunner runner;
  for (const Case& c : cases) {
    INFO(c.command);
    auto result = runner.run(request(dir, c.command));
    REQUIRE(result);
    CHECK(result->exit_code == c.exit_code);
    CHECK(result->signal == c.signal);
    CHECK(!result->timed_out);
    CHECK(result->succeeded() == (c.exit_code == 0));
  }
}

TEST_CASE("process runner passes variables on top of the parent's environment", "[exec][process]") {
  TempDir dir;
  ::setenv("DRIFTLOCK_TEST_PARENT", "inherited", 1);
  ::setenv("DRIFTLOCK_TEST_REPLACED", "old", 1);
  auto r = request(dir,
                   "printf '%s|%s|%s\\n' \"$DRIFTLOCK_TEST_PARENT\" \"$DRIFTLOCK_TEST_REPLACED\" "
                   "\"$DRIFTLOCK_NEW\"");
  r.env = {{"DRIFTLOCK_TEST_REPLACED", "new"}, {"DRIFTLOCK_NEW", "a b $HOME `x`"}};
  auto result = ProcessRunner().run(r);
  ::unsetenv("DRIFTLOCK_TEST_PARENT");
  ::unsetenv("DRIFTLOCK_TEST_REPLACED");
  REQUIRE(result);
  CHECK(result->tail == std::vector<std::string>{"inherited|new|a b $HOME `x`"});
}

TEST_CASE("process runner runs in the given folder with stdin closed", "[exec][process]") {
  TempDir dir;
  std::filesystem::create_directory(dir / "sub");
  auto r = request(dir, "pwd; cat; echo end");
  r.cwd = dir / "sub";
  auto result = ProcessRunner().run(r);
  REQUIRE(result);
  CHECK(result->tail ==
        std::vector<std::string>{std::filesystem::canonical(dir / "sub").string(), "end"});
}

TEST_CASE("process runner appends output and the header to the log", "[exec][process]") {
  TempDir dir;
  ProcessRunner runner;
  auto first = request(dir, "echo out; echo err >&2; printf 'no newline'");
  first.log_header = "== build";
  REQUIRE(runner.run(first));
  REQUIRE(runner.run(request(dir, "echo second")));
  CHECK(slurp(dir / "run.log") ==
        "== build\nout\nerr\nno newline"
        "second\n");
}

TEST_CASE("process runner keeps the last lines of output", "[exec][process]") {
  TempDir dir;
  struct Case {
    std::string command;
    std::size_t lines;
    std::vector<std::string> tail;
  };
  const std::vector<Case> cases = {
      {"seq 1 100", 3, {"98", "99", "100"}},
      {"seq 1 2", 50, {"1", "2"}},
      {"printf 'a\\r\\nb'", 50, {"a", "b"}},
      {"printf '\\n\\nx\\n'", 50, {"", "", "x"}},
      {"seq 1 5", 0, {}},
      {"true", 50, {}},
  };
  for (const Case& c : cases) {
    INFO(c.command);
    auto r = request(dir, c.command);
    r.tail_lines = c.lines;
    auto result = ProcessRunner().run(r);
    REQUIRE(result);
    CHECK(result->tail == c.tail);
  }
}

TEST_CASE("process runner stops the whole process group at the timeout", "[exec][process]") {
  TempDir dir;
  auto r = request(dir, "sh -c 'sleep 100 & echo $! > grandchild.pid; sleep 100'");
  r.timeout = 300ms;
  r.kill_grace = 2s;
  auto result = ProcessRunner().run(r);
  REQUIRE(result);
  CHECK(result->timed_out);
  CHECK(!result->succeeded());
  CHECK(result->signal == SIGTERM);
  pid_t grandchild = read_pid(dir / "grandchild.pid");
  REQUIRE(grandchild > 0);
  CHECK(process_gone(grandchild));
}

TEST_CASE("process runner kills a group that ignores SIGTERM after the grace period",
          "[exec][process]") {
  TempDir dir;
  // An ignored signal stays ignored in the children too.
  auto r = request(dir, "trap '' TERM; sleep 100");
  r.timeout = 200ms;
  r.kill_grace = 200ms;
  auto result = ProcessRunner().run(r);
  REQUIRE(result);
  CHECK(result->timed_out);
  CHECK(result->signal == SIGKILL);
}

TEST_CASE("process runner stops background jobs left behind by a finished command",
          "[exec][process]") {
  TempDir dir;
  auto r = request(dir, "sleep 100 & echo $! > stray.pid; echo done");
  auto result = ProcessRunner().run(r);
  REQUIRE(result);
  CHECK(result->exit_code == 0);
  CHECK(!result->timed_out);
  CHECK(result->tail == std::vector<std::string>{"done"});
  pid_t stray = read_pid(dir / "stray.pid");
  REQUIRE(stray > 0);
  CHECK(process_gone(stray));
}

TEST_CASE("process runner stops running commands when driftlock is asked to stop",
          "[exec][process][cancel]") {
  TempDir dir;
  reset_cancellation_for_tests();
  // Two probes at once, each with a child in the background; the cancel
  // comes from another thread, as from a signal handler.
  std::vector<std::thread> probes;
  std::vector<Result<RunResult>> results(2, std::unexpected(Error{}));
  for (int i = 0; i < 2; ++i) {
    probes.emplace_back([&, i] {
      auto r = request(dir, fmt::format("sleep 100 & echo $! > child{0}.pid; sleep 100", i));
      r.kill_grace = 60s;  // cancellation does not wait this long
      results[static_cast<std::size_t>(i)] = ProcessRunner().run(r);
    });
  }
  for (int i = 0; i < 2; ++i) {
    const auto pid_file = dir / fmt::format("child{}.pid", i);
    for (int wait = 0; wait < 1000 && read_pid(pid_file) <= 0; ++wait) {
      std::this_thread::sleep_for(10ms);
    }
  }
  request_cancellation(SIGTERM);
  for (std::thread& probe : probes) probe.join();
  for (int i = 0; i < 2; ++i) {
    const auto& result = results[static_cast<std::size_t>(i)];
    REQUIRE(result);
    CHECK(result->cancelled);
    CHECK_FALSE(result->timed_out);
    CHECK_FALSE(result->succeeded());
    CHECK(describe(*result, 30s) == "stopped: driftlock was interrupted");
    const pid_t child = read_pid(dir / fmt::format("child{}.pid", i));
    REQUIRE(child > 0);
    CHECK(process_gone(child));
  }

  SECTION("nothing new starts once cancelled") {
    auto result = ProcessRunner().run(request(dir, "touch started"));
    REQUIRE(result);
    CHECK(result->cancelled);
    CHECK_FALSE(std::filesystem::exists(dir / "started"));
  }
  SECTION("what must finish still runs") {
    auto r = request(dir, "touch finished");
    r.cancellable = Cancellable::no;
    auto result = ProcessRunner().run(r);
    REQUIRE(result);
    CHECK(result->succeeded());
    CHECK(std::filesystem::exists(dir / "finished"));
  }
  reset_cancellation_for_tests();
}

TEST_CASE("process runner passes no descriptors but stdin, stdout and stderr", "[exec][process]") {
  TempDir dir;
  // Opened without O_CLOEXEC, as a careless library might.
  int leaked = ::open("/dev/null", O_RDONLY);
  REQUIRE(leaked >= 0);
  // The shell's own descriptors while it waits for ls (`; true` keeps it from exec'ing ls).
  auto result = ProcessRunner().run(request(dir, "ls /proc/$$/fd; true"));
  ::close(leaked);
  REQUIRE(result);
  CHECK(result->tail == std::vector<std::string>{"0", "1", "2"});
}

TEST_CASE("process runner failures are infrastructure errors", "[exec][process]") {
  TempDir dir;
  struct Case {
    std::string name;
    RunRequest request;
    ErrorKind kind;
    std::string message;
  };
  auto missing_log = request(dir, "true");
  missing_log.log = dir / "no" / "run.log";
  auto missing_cwd = request(dir, "true");
  missing_cwd.cwd = dir / "gone";
  auto bad_env = request(dir, "true");
  bad_env.env = {{"A B", "x"}};
  auto nul_env = request(dir, "true");
  nul_env.env = {{"X", std::string("a\0b", 3)}};
  const std::vector<Case> cases = {
      {"log", missing_log, ErrorKind::infrastructure,
       "cannot open log '" + (dir / "no" / "run.log").string() + "': No such file or directory"},
      {"cwd", missing_cwd, ErrorKind::infrastructure,
       "cannot run 'true': cannot change to folder '" + (dir / "gone").string() +
           "': No such file or directory"},
      {"env name", bad_env, ErrorKind::input, "invalid environment variable name 'A B'"},
      {"env value", nul_env, ErrorKind::input, "environment variable X contains a NUL byte"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto result = ProcessRunner().run(c.request);
    REQUIRE(!result);
    CHECK(result.error().kind == c.kind);
    CHECK(result.error().message == c.message);
  }
}

TEST_CASE("process runner runs commands from several threads at once", "[exec][process]") {
  TempDir dir;
  ProcessRunner runner;
  std::vector<std::optional<int>> codes(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      auto r = request(dir, "sleep 0.1; exit " + std::to_string(i));
      r.log = dir / ("log" + std::to_string(i));
      auto result = runner.run(r);
      if (result) codes[static_cast<std::size_t>(i)] = result->exit_code;
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 4; ++i) CHECK(codes[static_cast<std::size_t>(i)] == i);
}

TEST_CASE("run results describe themselves for reports", "[exec]") {
  struct Case {
    RunResult result;
    std::chrono::milliseconds timeout;
    std::string text;
  };
  RunResult killed;
  killed.signal = SIGKILL;
  RunResult stopped;
  stopped.timed_out = true;
  stopped.signal = SIGTERM;
  const std::vector<Case> cases = {
      {RunResult{0, std::nullopt, false, {}, {}}, 1s, "exited with 0"},
      {RunResult{2, std::nullopt, false, {}, {}}, 1s, "exited with 2"},
      {killed, 1s, "killed by signal 9 (SIGKILL)"},
      {stopped, 30min, "timed out after 30m"},
      {stopped, 250ms, "timed out after 250ms"},
      {RunResult{}, 1s, "ended without an exit status"},
  };
  for (const Case& c : cases) CHECK(describe(c.result, c.timeout) == c.text);
}
