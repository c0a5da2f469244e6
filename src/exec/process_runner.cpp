#include "exec/process_runner.hpp"

#include "exec/cancellation.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

extern char** environ;

namespace driftlock::exec {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How long to keep reading after SIGKILL when a process outside the group
// (one that called setsid) still holds the output pipe.
constexpr milliseconds kAbandonAfterKill{1000};
// Without a pidfd, how often to check whether the shell has exited.
constexpr milliseconds kPollTick{20};
// A "line" without '\n' longer than this is cut, so binary output cannot grow the tail.
constexpr std::size_t kMaxTailLine = 4096;

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : m_fd(fd) {}
  Fd(Fd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    reset(std::exchange(other.m_fd, -1));
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  int get() const { return m_fd; }
  explicit operator bool() const { return m_fd >= 0; }
  void reset(int fd = -1) {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = fd;
  }

 private:
  int m_fd = -1;
};

// Moves a descriptor above 0-2, so dup2 onto stdin/stdout/stderr in the child
// never clobbers it (possible when the parent runs with a standard stream closed).
int above_stdio(int fd) {
  if (fd < 0 || fd > 2) return fd;
  int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  ::close(fd);
  return moved;
}

class Tail {
 public:
  explicit Tail(std::size_t max_lines) : m_max(max_lines) {}

  void add(std::string_view chunk) {
    if (m_max == 0) return;
    for (char c : chunk) {
      if (c == '\n') {
        push();
      } else if (m_partial.size() < kMaxTailLine) {
        m_partial += c;
      }
    }
  }

  std::vector<std::string> finish() {
    if (!m_partial.empty()) push();
    return {std::make_move_iterator(m_lines.begin()), std::make_move_iterator(m_lines.end())};
  }

 private:
  void push() {
    if (!m_partial.empty() && m_partial.back() == '\r') m_partial.pop_back();
    m_lines.push_back(std::move(m_partial));
    m_partial.clear();
    if (m_lines.size() > m_max) m_lines.pop_front();
  }

  std::size_t m_max;
  std::deque<std::string> m_lines;
  std::string m_partial;
};

bool is_env_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// The parent's environment with the request's variables added or replaced.
Result<std::vector<std::string>> environment(const std::vector<EnvVar>& extra) {
  std::set<std::string_view> names;
  for (const EnvVar& v : extra) {
    if (!is_env_name(v.name)) {
      return fail_input(fmt::format("invalid environment variable name '{}'", v.name));
    }
    if (v.value.find('\0') != std::string::npos) {
      return fail_input(fmt::format("environment variable {} contains a NUL byte", v.name));
    }
    names.insert(v.name);
  }
  std::vector<std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    if (!names.contains(entry.substr(0, entry.find('=')))) out.emplace_back(entry);
  }
  // Later duplicates win, as with successive `export`s.
  for (auto it = extra.rbegin(); it != extra.rend(); ++it) {
    bool later =
        std::any_of(extra.rbegin(), it, [&](const EnvVar& v) { return v.name == it->name; });
    if (!later) out.push_back(it->name + "=" + it->value);
  }
  return out;
}

Result<void> write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(ErrorKind::infrastructure, std::strerror(errno));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

// What the child reports through the exec-status pipe when it cannot exec.
struct ChildFailure {
  int stage;  // 0: chdir, 1: exec
  int error;
};

[[noreturn]] void child_fail(int report_fd, int stage) {
  ChildFailure failure{stage, errno};
  ssize_t ignored = ::write(report_fd, &failure, sizeof failure);
  (void)ignored;
  ::_exit(127);
}

// Runs in the forked child: only async-signal-safe calls from here on.
[[noreturn]] void exec_child(const char* cwd, int stdin_fd, int out_fd, int report_fd,
                             char* const argv[], char* const envp[]) {
  ::setpgid(0, 0);
  // Ignored signals survive exec; a build should start with default handling
  // (a parent ignoring SIGPIPE would otherwise change how pipelines end).
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < 32; ++sig) ::sigaction(sig, &dfl, nullptr);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (::chdir(cwd) != 0) child_fail(report_fd, 0);
  if (::dup2(stdin_fd, 0) < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(out_fd, 2) < 0) {
    child_fail(report_fd, 1);
  }
  // Whatever the parent opened without O_CLOEXEC stays out of the build too.
  ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  ::execve("/bin/sh", argv, envp);
  child_fail(report_fd, 1);
}

class Run {
 public:
  explicit Run(const RunRequest& request) : m_request(request), m_tail(request.tail_lines) {}

  Result<RunResult> run() {
    // Once driftlock is asked to stop, nothing new starts.
    if (m_request.cancellable == Cancellable::yes && cancellation_signal()) {
      RunResult result;
      result.cancelled = true;
      return result;
    }
    auto env = environment(m_request.env);
    if (!env) return std::unexpected(env.error());
    if (auto r = open_files(); !r) return std::unexpected(r.error());
    if (!m_request.log_header.empty()) {
      std::string header = m_request.log_header;
      if (header.back() != '\n') header += '\n';
      if (auto r = write_all(m_log.get(), header); !r) return log_error(r.error());
    }

    // Everything the child needs is prepared before fork: after it, only
    // async-signal-safe calls are allowed (other threads may hold malloc's lock).
    std::string cwd = m_request.cwd.empty() ? std::string(".") : m_request.cwd.string();
    std::string sh = "/bin/sh", dash_c = "-c";
    std::string command = m_request.command;
    char* argv[] = {sh.data(), dash_c.data(), command.data(), nullptr};
    std::vector<char*> envp;
    for (std::string& e : *env) envp.push_back(e.data());
    envp.push_back(nullptr);

    int report_pipe[2];
    if (::pipe2(report_pipe, O_CLOEXEC) != 0) return os_error("pipe");
    Fd report_r(above_stdio(report_pipe[0])), report_w(above_stdio(report_pipe[1]));

    m_start = Clock::now();
    pid_t pid = ::fork();
    if (pid < 0) return os_error("fork");
    if (pid == 0) {
      exec_child(cwd.c_str(), m_stdin.get(), m_out_w.get(), report_w.get(), argv, envp.data());
    }
    m_pid = pid;
    // Also set here, so signalling the group cannot race the child's own setpgid.
    ::setpgid(pid, pid);
    m_out_w.reset();
    report_w.reset();
    // glibc 2.36's <sys/pidfd.h> lacks extern "C"; the raw syscall is the same call.
    // Without a pidfd (old kernel) the loop below polls for the shell's exit.
    m_pidfd.reset(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));

    ChildFailure failure{};
    ssize_t n;
    do {
      n = ::read(report_r.get(), &failure, sizeof failure);
    } while (n < 0 && errno == EINTR);
    if (n == static_cast<ssize_t>(sizeof failure)) {
      reap();
      errno = failure.error;
      if (failure.stage == 0) {
        return fail(ErrorKind::infrastructure,
                    fmt::format("cannot run '{}': cannot change to folder '{}': {}",
                                m_request.command, cwd, std::strerror(failure.error)));
      }
      return os_error("exec /bin/sh");
    }
    return supervise();
  }

 private:
  Result<void> open_files() {
    m_log.reset(above_stdio(
        ::open(m_request.log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)));
    if (!m_log) {
      return fail(
          ErrorKind::infrastructure,
          fmt::format("cannot open log '{}': {}", m_request.log.string(), std::strerror(errno)));
    }
    m_stdin.reset(above_stdio(::open("/dev/null", O_RDONLY | O_CLOEXEC)));
    if (!m_stdin) return os_error("open /dev/null");
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return os_error("pipe");
    m_out_r.reset(above_stdio(out[0]));
    m_out_w.reset(above_stdio(out[1]));
    if (!m_out_r || !m_out_w) return os_error("pipe");
    return {};
  }

  std::unexpected<Error> os_error(std::string_view step) const {
    return fail(ErrorKind::infrastructure,
                fmt::format("cannot run '{}': {} failed: {}", m_request.command, step,
                            std::strerror(errno)));
  }

  std::unexpected<Error> log_error(const Error& error) const {
    return fail(ErrorKind::infrastructure,
                fmt::format("cannot write log '{}': {}", m_request.log.string(), error.message));
  }

  void signal_group(int sig) const { ::kill(-m_pid, sig); }

  // Whether the shell has exited; it stays a zombie (WNOWAIT) so its pid, and
  // with it the process group id, cannot be reused while we still signal it.
  bool shell_exited() const {
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(m_pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
      return errno == ECHILD;
    }
    return info.si_pid != 0;
  }

  // The shell's wait status; nullopt when it was lost (the process ignores
  // SIGCHLD, so the kernel reaped the child already).
  std::optional<int> reap() const {
    int status = 0;
    while (::waitpid(m_pid, &status, 0) < 0) {
      if (errno != EINTR) return std::nullopt;
    }
    return status;
  }

  Result<void> read_output() {
    char buffer[65536];
    ssize_t n = ::read(m_out_r.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) return {};
      m_out_r.reset();
      return {};
    }
    if (n == 0) {
      m_out_r.reset();
      return {};
    }
    std::string_view chunk(buffer, static_cast<std::size_t>(n));
    if (auto r = write_all(m_log.get(), chunk); !r) return log_error(r.error());
    m_tail.add(chunk);
    return {};
  }

  Result<RunResult> supervise() {
    const auto deadline = m_start + m_request.timeout;
    bool exited = false, timed_out = false, killed = false, cancelled = false;
    bool stopped_running = false;
    auto grace = m_request.kill_grace;
    std::optional<Clock::time_point> term_at, give_up_at;
    const bool cancellable = m_request.cancellable == Cancellable::yes;
    const int cancel_fd = cancellable ? cancellation_fd() : -1;
    while (true) {
      auto now = Clock::now();
      if (!exited && !timed_out && now >= deadline) {
        timed_out = true;
        signal_group(SIGTERM);
        term_at = now;
      }
      if (cancellable && !cancelled && cancellation_signal()) {
        // A shell that already exited keeps its status; only what it left
        // behind is stopped sooner.
        cancelled = true;
        stopped_running = !exited;
        grace = std::min(grace, kCancelGrace);
        if (!term_at) {
          signal_group(SIGTERM);
          term_at = now;
        }
      }
      if (term_at && !killed && now >= *term_at + grace) {
        signal_group(SIGKILL);
        killed = true;
        give_up_at = now + kAbandonAfterKill;
      }
      if (exited && (!m_out_r || (give_up_at && now >= *give_up_at))) break;

      // Sleep until output arrives, the shell exits or the next deadline.
      auto wake = now + std::chrono::hours(24);
      if (!exited && !timed_out) wake = std::min(wake, deadline);
      if (term_at && !killed) wake = std::min(wake, *term_at + grace);
      if (give_up_at) wake = std::min(wake, *give_up_at);
      if (!exited && !m_pidfd) wake = std::min(wake, now + kPollTick);
      auto wait = std::chrono::ceil<milliseconds>(wake - now).count();
      pollfd fds[3];
      nfds_t nfds = 0;
      if (m_out_r) fds[nfds++] = pollfd{m_out_r.get(), POLLIN, 0};
      if (!exited && m_pidfd) fds[nfds++] = pollfd{m_pidfd.get(), POLLIN, 0};
      if (!cancelled && cancel_fd >= 0) fds[nfds++] = pollfd{cancel_fd, POLLIN, 0};
      int ready = ::poll(fds, nfds, static_cast<int>(std::clamp<long long>(wait, 0, 60000)));
      if (ready > 0 && m_out_r && fds[0].revents != 0) {
        if (auto r = read_output(); !r) {
          signal_group(SIGKILL);
          reap();
          return std::unexpected(r.error());
        }
      }
      if (!exited && shell_exited()) {
        exited = true;
        // Background jobs left in the group: stop them like a timed-out command.
        if (!term_at) {
          signal_group(SIGTERM);
          term_at = Clock::now();
        }
      }
    }

    std::optional<int> status = reap();
    if (!status) return os_error("waitpid");
    RunResult result;
    result.timed_out = timed_out;
    result.cancelled = stopped_running;
    if (WIFEXITED(*status)) result.exit_code = WEXITSTATUS(*status);
    if (WIFSIGNALED(*status)) result.signal = WTERMSIG(*status);
    result.duration = std::chrono::duration_cast<milliseconds>(Clock::now() - m_start);
    result.tail = m_tail.finish();
    return result;
  }

  const RunRequest& m_request;
  Tail m_tail;
  Fd m_log, m_stdin, m_out_r, m_out_w, m_pidfd;
  pid_t m_pid = -1;
  Clock::time_point m_start;
};

}  // namespace

Result<RunResult> ProcessRunner::run(const RunRequest& request) {
  return Run(request).run();
}

}  // namespace driftlock::exec
