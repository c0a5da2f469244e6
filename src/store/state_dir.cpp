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
#include <thread>
#include <utility>

#include "core/time.hpp"
#include "store/schema.hpp"

namespace driftlock::store {
namespace {

std::string errno_text(int error) {
  return std::generic_category().message(error);
}

// "pid 4242, started 2026-12-05T03:00:00Z" from what the holder wrote
// ("PID STARTED"); "pid unknown" while it has not written it yet.
std::string holder(int fd) {
  char buffer[96] = {};
  const ssize_t got = pread(fd, buffer, sizeof buffer - 1, 0);
  if (got <= 0) return "pid unknown";
  long pid = 0;
  const char* end = buffer + got;
  auto [rest, ec] = std::from_chars(buffer, end, pid);
  if (ec != std::errc() || pid <= 0 || rest == buffer) return "pid unknown";
  std::string_view started(rest, static_cast<std::size_t>(end - rest));
  while (!started.empty() && (started.front() == ' ')) started.remove_prefix(1);
  started = started.substr(0, started.find('\n'));
  // Only a timestamp's characters: the file is ours, but it is still input.
  const bool plausible =
      !started.empty() && started.find_first_not_of("0123456789-:TZ") == std::string_view::npos;
  return plausible ? fmt::format("pid {}, started {}", pid, started) : fmt::format("pid {}", pid);
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
                                   const std::filesystem::path& what, const LockWait& wait) {
  const int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) {
    return fail(ErrorKind::infrastructure, fmt::format("cannot open lock file '{}': {}",
                                                       lock_file.string(), errno_text(errno)));
  }
  FileLock lock(fd);  // closes fd on every early return below
  const auto give_up = std::chrono::steady_clock::now() + wait.timeout;
  bool told = false;
  while (true) {
    int locked;
    do {
      locked = flock(fd, LOCK_EX | LOCK_NB);
    } while (locked != 0 && errno == EINTR);
    if (locked == 0) break;
    if (errno != EWOULDBLOCK) {
      return fail(ErrorKind::infrastructure,
                  fmt::format("cannot lock '{}': {}", what.string(), errno_text(errno)));
    }
    if (std::chrono::steady_clock::now() >= give_up) {
      return fail(ErrorKind::infrastructure,
                  wait.timeout.count() > 0
                      ? fmt::format("another driftlock run ({}) still holds the lock on '{}' "
                                    "after waiting {}",
                                    holder(fd), what.string(), format_duration(wait.timeout))
                      : fmt::format("another driftlock run ({}) holds the lock on '{}'; "
                                    "--wait SECONDS waits for it",
                                    holder(fd), what.string()));
    }
    if (!told && wait.on_wait) {
      wait.on_wait(holder(fd));
      told = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  const std::string pid = fmt::format(
      "{} {}\n", getpid(),
      format_timestamp(
          std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())));
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

Result<StateDir> StateDir::open(const std::filesystem::path& folder, Locking locking,
                                const LockWait& wait) {
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
  // Readers (history, report) share the folder with a run: SQLite's WAL
  // journal keeps their reads consistent, and they touch nothing else.
  std::optional<FileLock> lock;
  if (locking == Locking::exclusive) {
    auto taken = FileLock::acquire(path / "lock", path, wait);
    if (!taken) return std::unexpected(std::move(taken.error()));
    lock.emplace(std::move(*taken));
  }
  auto database = open_state_database(path / "state.db");
  if (!database) return std::unexpected(std::move(database.error()));
  return StateDir(std::move(path), std::move(lock), std::move(*database));
}

}  // namespace driftlock::store
