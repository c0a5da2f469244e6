// An LD_PRELOAD library for the crash harness (tests/crash/harness.py): it
// SIGKILLs the driftlock process at the Nth call of one kind of step, so the
// harness can stop a run at every point where a crash could tear state: each
// command started (fork), each file renamed into place (rename), each fsync
// and each SQLite page write (pwrite64).
//
//   DRIFTLOCK_KILL_AT=KIND:N   kill at the Nth call of KIND (fork, rename,
//                              fsync, pwrite), before the call happens
//   DRIFTLOCK_KILL_TRACE=FILE  append KIND to FILE for every call (counting)
//
// Only the process named "driftlock" counts: the commands it runs inherit
// LD_PRELOAD but are left alone.
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace {

struct Plan {
  bool active = false;
  char kind[16] = {};
  long at = 0;
  const char* trace = nullptr;
};

Plan& plan() {
  static Plan p = [] {
    Plan made;
    if (std::strcmp(program_invocation_short_name, "driftlock") != 0) return made;
    made.active = true;
    made.trace = std::getenv("DRIFTLOCK_KILL_TRACE");
    if (const char* at = std::getenv("DRIFTLOCK_KILL_AT")) {
      const char* colon = std::strchr(at, ':');
      if (colon != nullptr && static_cast<std::size_t>(colon - at) < sizeof made.kind) {
        std::memcpy(made.kind, at, static_cast<std::size_t>(colon - at));
        made.at = std::strtol(colon + 1, nullptr, 10);
      }
    }
    return made;
  }();
  return p;
}

std::atomic<long> g_fork{0}, g_rename{0}, g_fsync{0}, g_pwrite{0};

// Called before each intercepted step; errno is kept for the real call.
void step(const char* kind, std::atomic<long>& counter) {
  Plan& p = plan();
  if (!p.active) return;
  const int saved = errno;
  const long n = ++counter;
  if (p.trace != nullptr) {
    const int fd = ::open(p.trace, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) {
      const std::size_t len = std::strlen(kind);
      char line[32];
      std::memcpy(line, kind, len);
      line[len] = '\n';
      (void)!::write(fd, line, len + 1);
      ::close(fd);
    }
  }
  if (p.at == n && std::strcmp(p.kind, kind) == 0) ::kill(::getpid(), SIGKILL);
  errno = saved;
}

template <class F>
F real(const char* name) {
  return reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
}

}  // namespace

extern "C" {

pid_t fork() {
  step("fork", g_fork);
  static auto next = real<pid_t (*)()>("fork");
  return next();
}

int rename(const char* from, const char* to) {
  step("rename", g_rename);
  static auto next = real<int (*)(const char*, const char*)>("rename");
  return next(from, to);
}

int fsync(int fd) {
  step("fsync", g_fsync);
  static auto next = real<int (*)(int)>("fsync");
  return next(fd);
}

int fdatasync(int fd) {
  step("fsync", g_fsync);
  static auto next = real<int (*)(int)>("fdatasync");
  return next(fd);
}

ssize_t pwrite64(int fd, const void* buffer, size_t count, off_t offset) {
  step("pwrite", g_pwrite);
  static auto next = real<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite64");
  return next(fd, buffer, count, offset);
}

}  // extern "C"
