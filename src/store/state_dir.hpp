// The state folder (`.driftlock/` beside the manifest by default): state.db,
// the lock file that keeps two runs from sharing it, and a .gitignore so the
// folder never ends up in the user's commits.
#pragma once

#include <filesystem>

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
class FileLock {
 public:
  // `what` is the locked thing as named in the error, e.g. the state folder.
  static Result<FileLock> acquire(const std::filesystem::path& lock_file,
                                  const std::filesystem::path& what);

  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : m_fd(fd) {}
  int m_fd = -1;
};

class StateDir {
 public:
  // Creates the folder if needed, takes its lock (failing at once if another
  // run holds it), then opens and migrates state.db.
  static Result<StateDir> open(const std::filesystem::path& folder);

  // Absolute and normalised.
  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path database_path() const { return m_path / "state.db"; }
  Database& database() { return m_database; }

 private:
  StateDir(std::filesystem::path path, FileLock lock, Database database)
      : m_path(std::move(path)), m_lock(std::move(lock)), m_database(std::move(database)) {}

  std::filesystem::path m_path;
  FileLock m_lock;  // declared before m_database: the database closes first
  Database m_database;
};

}  // namespace driftlock::store
