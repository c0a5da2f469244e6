#include "store/state_dir.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>

#include "store/schema.hpp"

namespace driftlock::store {
namespace {

std::string errno_text(int error) {
  return std::generic_category().message(error);
}

// The pid the holder wrote, or "unknown" while it has not written it yet.
std::string holder_pid(int fd) {
  char buffer[32] = {};
  const ssize_t got = pread(fd, buffer, sizeof buffer - 1, 0);
  if (got <= 0) return "unknown";
  long pid = 0;
  const char* end = buffer + got;
  auto [rest, ec] = std::from_chars(buffer, end, pid);
  if (ec != std::errc() || pid <= 0 || rest == buffer) return "unknown";
  return std::to_string(pid);
}

Result<void> write_gitignore(const std::filesystem::path& folder) {
  const std::filesystem::path path = folder / ".gitignore";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST) return {};
    return fail(ErrorKind::infrastructure,
                fmt::format("cannot write '{}': {}", path.string(), errno_text(errno)));
  }
  static constexpr std::string_view kText = "# driftlock's state: not for version control\n*\n";
  const ssize_t written = ::write(fd, kText.data(), kText.size());
  const int saved = errno;
  ::close(fd);
  if (written != static_cast<ssize_t>(kText.size())) {
    return fail(ErrorKind::infrastructure,
                fmt::format("cannot write '{}': {}", path.string(), errno_text(saved)));
  }
  return {};
}

}  // namespace

std::filesystem::path default_state_folder(const std::filesystem::path& manifest_path) {
  return manifest_path.parent_path() / ".driftlock";
}

// ---- FileLock ---------------------------------------------------------------

Result<FileLock> FileLock::acquire(const std::filesystem::path& lock_file,
                                   const std::filesystem::path& what) {
  const int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) {
    return fail(ErrorKind::infrastructure, fmt::format("cannot open lock file '{}': {}",
                                                       lock_file.string(), errno_text(errno)));
  }
  FileLock lock(fd);  // closes fd on every early return below
  int locked;
  do {
    locked = flock(fd, LOCK_EX | LOCK_NB);
  } while (locked != 0 && errno == EINTR);
  if (locked != 0) {
    if (errno == EWOULDBLOCK) {
      return fail(ErrorKind::infrastructure,
                  fmt::format("another driftlock run holds the lock on '{}' (pid {})",
                              what.string(), holder_pid(fd)));
    }
    return fail(ErrorKind::infrastructure,
                fmt::format("cannot lock '{}': {}", what.string(), errno_text(errno)));
  }
  const std::string pid = fmt::format("{}\n", getpid());
  if (ftruncate(fd, 0) != 0 ||
      pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    return fail(ErrorKind::infrastructure, fmt::format("cannot write lock file '{}': {}",
                                                       lock_file.string(), errno_text(errno)));
  }
  return lock;
}

FileLock::FileLock(FileLock&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}

FileLock::~FileLock() {
  if (m_fd < 0) return;
  // Clear the pid while still holding the lock, so nobody reads a stale one;
  // this is harmless when the lock was never taken (no pid was written).
  if (flock(m_fd, LOCK_EX | LOCK_NB) == 0) (void)ftruncate(m_fd, 0);
  ::close(m_fd);  // releases the lock
}

// ---- StateDir ---------------------------------------------------------------

Result<StateDir> StateDir::open(const std::filesystem::path& folder) {
  std::error_code ec;
  std::filesystem::path path = std::filesystem::absolute(folder, ec).lexically_normal();
  if (ec) {
    return fail(ErrorKind::infrastructure,
                fmt::format("cannot use state folder '{}': {}", folder.string(), ec.message()));
  }
  if (path.has_filename() == false) path = path.parent_path();  // drop a trailing '/'
  const bool created = std::filesystem::create_directories(path, ec);
  if (ec) {
    return fail(ErrorKind::infrastructure,
                fmt::format("cannot create state folder '{}': {}", path.string(), ec.message()));
  }
  if (created) {
    if (auto ignored = write_gitignore(path); !ignored) {
      return std::unexpected(std::move(ignored.error()));
    }
  }
  auto lock = FileLock::acquire(path / "lock", path);
  if (!lock) return std::unexpected(std::move(lock.error()));
  auto database = open_state_database(path / "state.db");
  if (!database) return std::unexpected(std::move(database.error()));
  return StateDir(std::move(path), std::move(*lock), std::move(*database));
}

}  // namespace driftlock::store
