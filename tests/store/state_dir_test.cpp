#include "store/state_dir.hpp"

#include "core/time.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "store/schema.hpp"
#include "store/support.hpp"

using namespace driftlock;
using namespace driftlock::store;
using driftlock::store_test::read_bytes;
using driftlock::store_test::TempFolder;
using driftlock::store_test::write_bytes;

TEST_CASE("the default state folder sits beside the manifest", "[store][state]") {
  CHECK(default_state_folder("/repo/images/driftlock.toml") == "/repo/images/.driftlock");
  CHECK(default_state_folder("driftlock.toml") == ".driftlock");
}

TEST_CASE("opening a state folder creates it, its database and a .gitignore", "[store][state]") {
  TempFolder folder;
  const auto path = folder / "nested" / ".driftlock";
  auto state = StateDir::open(path);
  REQUIRE(state);
  CHECK(state->path() == path);
  CHECK(state->database_path() == path / "state.db");
  CHECK(state->database().path() == path / "state.db");
  CHECK(state->database().user_version() == schema_version());
  CHECK(std::filesystem::exists(path / "state.db"));
  CHECK(read_bytes(path / ".gitignore") == "# driftlock's state: not for version control\n*\n");
  // "PID STARTED": who holds it, for another run's message.
  const std::string holder = read_bytes(path / "lock");
  const std::string prefix = fmt::format("{} ", getpid());
  REQUIRE(holder.starts_with(prefix));
  CHECK(parse_timestamp(holder.substr(prefix.size(), holder.size() - prefix.size() - 1)));
}

TEST_CASE("the state folder path is made absolute and normal", "[store][state]") {
  TempFolder folder;
  auto state = StateDir::open(folder.path() / "a" / ".." / "state" / "");
  REQUIRE(state);
  CHECK(state->path() == folder / "state");
}

TEST_CASE("a user's own .gitignore in an existing folder is kept", "[store][state]") {
  TempFolder folder;
  write_bytes(folder / ".gitignore", "mine\n");
  auto state = StateDir::open(folder.path());
  REQUIRE(state);
  CHECK(read_bytes(folder / ".gitignore") == "mine\n");
}

TEST_CASE("two runs never share a state folder", "[store][state]") {
  TempFolder folder;
  const auto path = folder / ".driftlock";
  {
    auto first = StateDir::open(path);
    REQUIRE(first);
    auto second = StateDir::open(path);
    REQUIRE_FALSE(second);
    CHECK(second.error().kind == ErrorKind::infrastructure);
    // The holder wrote its pid and start time; the refused run left them be.
    const std::string holder = read_bytes(path / "lock");
    const std::string prefix = fmt::format("{} ", getpid());
    REQUIRE(holder.starts_with(prefix));
    const std::string started = holder.substr(prefix.size(), holder.size() - prefix.size() - 1);
    CHECK(parse_timestamp(started));
    CHECK(second.error().message ==
          fmt::format("another driftlock run (pid {}, started {}) holds the lock on '{}'; --wait "
                      "SECONDS waits for it",
                      getpid(), started, path.string()));
    // A reader shares the folder with the run.
    auto reader = StateDir::open(path, Locking::shared);
    REQUIRE(reader);
    CHECK(read_bytes(path / "lock") == holder);
  }
  CHECK(read_bytes(path / "lock").empty());  // released and cleared
  auto third = StateDir::open(path);
  REQUIRE(third);
}

TEST_CASE("a lock held by another process names its pid", "[store][state]") {
  TempFolder folder;
  const auto path = folder / ".driftlock";
  std::filesystem::create_directories(path);
  int ready[2];
  int release[2];
  REQUIRE(pipe(ready) == 0);
  REQUIRE(pipe(release) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto lock = FileLock::acquire(path / "lock", path);
    char byte = lock ? 'y' : 'n';
    (void)!write(ready[1], &byte, 1);
    (void)!read(release[0], &byte, 1);
    _exit(0);
  }
  char byte = 0;
  REQUIRE(read(ready[0], &byte, 1) == 1);
  REQUIRE(byte == 'y');
  auto state = StateDir::open(path);
  REQUIRE_FALSE(state);
  const std::string holder = read_bytes(path / "lock");
  const std::string started = holder.substr(holder.find(' ') + 1, 20);
  CHECK(state.error().message ==
        fmt::format("another driftlock run (pid {}, started {}) holds the lock on '{}'; --wait "
                    "SECONDS waits for it",
                    child, started, path.string()));
  // Waiting: told once who holds it, then the lock is taken once released.
  std::vector<std::string> told;
  LockWait wait{std::chrono::seconds(60), [&](const std::string& who) {
                  told.push_back(who);
                  REQUIRE(write(release[1], "x", 1) == 1);
                }};
  {
    auto waited = StateDir::open(path, Locking::exclusive, wait);
    REQUIRE(waited);
  }
  CHECK(told == std::vector<std::string>{fmt::format("pid {}, started {}", child, started)});
  int status = 0;
  waitpid(child, &status, 0);
  for (int fd : {ready[0], ready[1], release[0], release[1]}) close(fd);
  auto after = StateDir::open(path);
  REQUIRE(after);
}

TEST_CASE("a corrupt state.db is an infrastructure error and frees the lock", "[store][state]") {
  TempFolder folder;
  write_bytes(folder / "state.db", std::string(4096, 'x'));
  auto state = StateDir::open(folder.path());
  REQUIRE_FALSE(state);
  CHECK(state.error().kind == ErrorKind::infrastructure);
  CHECK(state.error().message ==
        "state database '" + (folder / "state.db").string() +
            "' is not a SQLite database (file is not a database); move it away or use another "
            "--state folder");
  CHECK(read_bytes(folder / "lock").empty());
}

TEST_CASE("a state folder that is a file is an error", "[store][state]") {
  TempFolder folder;
  write_bytes(folder / "file", "x");
  auto state = StateDir::open(folder / "file");
  REQUIRE_FALSE(state);
  CHECK(state.error().message ==
        "cannot create state folder '" + (folder / "file").string() + "': Not a directory");
}
