// The state folder (`.driftlock/` beside the manifest by default): state.db,
// the lock file that keeps two runs from sharing it, and a .gitignore so the
// folder never ends up in the user's commits.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "store/database.hpp"

namespace driftlock::store {

// `.driftlock` in the manifest's folder.
std::filesystem::path default_state_folder(const std::filesystem::path& manifest_path);

// An exclusive flock(2) on a file, with the holder's pid written into it so a
// second run can say who holds it. Released (and the pid cleared) on
// destruction; the kernel also releases it when the process dies, so a crash
// never leaves a stale lock behind. The descriptor is close-on-exec: build
// commands and their daemons never inherit the lock.
// How long a run waits for another to release the lock (--wait), and what it
// says while it waits (the holder: "pid 4242, started …").
struct LockWait {
  std::chrono::seconds timeout{0};  // 0: fail at once
  std::function<void(const std::string& holder)> on_wait;
};

class FileLock {
 public:
  // `what` is the locked thing as named in the error, e.g. the state folder.
  // The holder's pid and start time are written into the file, for the
  // message another run gives.
  static Result<FileLock> acquire(const std::filesystem::path& lock_file,
                                  const std::filesystem::path& what, const LockWait& wait = {});

  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : m_fd(fd) {}
  int m_fd = -1;
};

// Building commands hold the folder alone; readers (history, report) share
// it with a run in progress.
enum class Locking { exclusive, shared };

class StateDir {
 public:
  // Creates the folder if needed, takes its lock (exclusive: failing when
  // another run holds it, after `wait`), then opens and migrates state.db.
  static Result<StateDir> open(const std::filesystem::path& folder,
                               Locking locking = Locking::exclusive, const LockWait& wait = {});

  // Absolute and normalised.
  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path database_path() const { return m_path / "state.db"; }
  Database& database() { return m_database; }

 private:
  StateDir(std::filesystem::path path, std::optional<FileLock> lock, Database database)
      : m_path(std::move(path)), m_lock(std::move(lock)), m_database(std::move(database)) {}

  std::filesystem::path m_path;
  std::optional<FileLock> m_lock;  // before m_database: the database closes first
  Database m_database;
};

}  // namespace driftlock::store
