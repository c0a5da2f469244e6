#include "candidate/judge.hpp"

#include <fmt/format.h>

#include <csignal>

#include <algorithm>
#include <map>
#include <utility>

#include "core/text.hpp"

namespace driftlock::candidate {
namespace {

using std::chrono::milliseconds;

std::string counted_tests(std::size_t n) {
  return counted(n, "test", "tests");
}

// Names listed in a one-line reason before "and N more".
constexpr std::size_t kListedTests = 5;

std::string list_tests(const std::vector<std::string>& ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size() && i < kListedTests; ++i) {
    if (i > 0) out += ", ";
    out += ids[i];
  }
  if (ids.size() > kListedTests) out += fmt::format(" and {} more", ids.size() - kListedTests);
  return out;
}

// The JUnit files present before the test command, so reports left over
// from an earlier run are not read as this candidate's.
using FileStamps =
    std::map<std::filesystem::path, std::pair<std::filesystem::file_time_type, std::uintmax_t>>;

FileStamps stamps(const std::vector<std::filesystem::path>& files) {
  FileStamps out;
  for (const auto& file : files) {
    std::error_code ec;
    auto time = std::filesystem::last_write_time(file, ec);
    auto size = std::filesystem::file_size(file, ec);
    out[file] = {time, size};
  }
  return out;
}

std::vector<std::filesystem::path> written_since(const std::vector<std::filesystem::path>& files,
                                                 const FileStamps& before) {
  std::vector<std::filesystem::path> out;
  FileStamps now = stamps(files);
  for (const auto& [file, stamp] : now) {
    auto it = before.find(file);
    if (it == before.end() || it->second != stamp) out.push_back(file);
  }
  return out;
}

class Judge {
 public:
  Judge(exec::CommandRunner& runner, const JudgeRequest& request)
      : m_runner(runner), m_request(request) {
    m_verdict.log = request.log;
  }

  Verdict run() {
    std::error_code ec;
    if (m_request.log.has_parent_path()) {
      std::filesystem::create_directories(m_request.log.parent_path(), ec);
    }
    if (ec) {
      return infrastructure(Phase::build,
                            Error{ErrorKind::infrastructure,
                                  fmt::format("cannot create the log folder '{}': {}",
                                              m_request.log.parent_path().string(), ec.message()),
                                  std::nullopt});
    }
    if (!m_request.probe_dir.empty()) {
      std::filesystem::remove_all(m_request.probe_dir, ec);
      if (!ec) std::filesystem::create_directories(m_request.probe_dir, ec);
      if (ec) {
        return infrastructure(Phase::build,
                              Error{ErrorKind::infrastructure,
                                    fmt::format("cannot create the work folder '{}': {}",
                                                m_request.probe_dir.string(), ec.message()),
                                    std::nullopt});
      }
    }
    const CommandSettings& commands = m_request.commands;
    if (!commands.build.empty()) {
      auto result = execute(Phase::build, commands.build);
      if (!result) return infrastructure(Phase::build, result.error());
      if (!stopped_cleanly(Phase::build, *result)) return std::move(m_verdict);
      if (is_error_exit(Phase::build, *result)) return std::move(m_verdict);
      if (*result->exit_code == commands.unresolved_exit) {
        return decide(Outcome::unresolved, Phase::build,
                      fmt::format("build exited with {} (unresolved-exit: the set cannot be "
                                  "installed together)",
                                  *result->exit_code));
      }
      if (*result->exit_code != 0) {
        return decide(Outcome::fail, Phase::build,
                      fmt::format("build exited with {}", *result->exit_code));
      }
    }
    if (commands.test.empty()) {
      return decide(Outcome::pass, Phase::build,
                    commands.build.empty() ? "no build or test command" : "build passed");
    }
    return test();
  }

 private:
  Result<exec::RunResult> execute(Phase phase, const std::string& command) {
    exec::RunRequest r;
    r.command = command;
    r.cwd = m_request.work_dir;
    r.env = m_request.env;
    r.timeout = std::chrono::duration_cast<milliseconds>(m_request.commands.timeout);
    r.kill_grace = m_request.kill_grace;
    r.log = m_request.log;
    r.log_header =
        fmt::format("==> driftlock: {} of candidate {}", to_string(phase), m_request.candidate_id);
    auto result = m_runner.run(r);
    if (result) {
      m_verdict.duration += result->duration;
      m_verdict.tail = result->tail;
    }
    return result;
  }

  // A command that crashed (SIGSEGV, SIGABRT, ...) did so in this candidate:
  // a failure to blame. Driftlock's own timeout, and signals that mean
  // someone or something outside stopped it (SIGKILL is also how the kernel
  // ends a process out of memory), are the machine's problem.
  bool stopped_cleanly(Phase phase, const exec::RunResult& result) {
    if (result.exit_code && !result.timed_out && !result.cancelled) return true;
    auto timeout = std::chrono::duration_cast<milliseconds>(m_request.commands.timeout);
    const std::string what =
        fmt::format("{} {}", to_string(phase), exec::describe(result, timeout));
    if (!result.timed_out && !result.cancelled && result.signal &&
        !is_stopped_from_outside(*result.signal)) {
      decide(Outcome::fail, phase, what + ": it crashed");
      return false;
    }
    decide(Outcome::error, phase,
           result.timed_out || result.cancelled || !result.signal
               ? what
               : what + " (stopped from outside or out of memory: never blamed on a dependency)");
    return false;
  }

  static bool is_stopped_from_outside(int number) {
    return number == SIGKILL || number == SIGTERM || number == SIGINT || number == SIGHUP ||
           number == SIGQUIT;
  }

  // The command said "not the candidate's fault" ([commands] error-exit).
  bool is_error_exit(Phase phase, const exec::RunResult& result) {
    const auto& code = m_request.commands.error_exit;
    if (!code || *result.exit_code != *code) return false;
    decide(Outcome::error, phase,
           fmt::format("{} exited with {} (error-exit: an infrastructure failure, never blamed "
                       "on a dependency)",
                       to_string(phase), *code));
    return true;
  }

  Verdict decide(Outcome outcome, Phase phase, std::string reason) {
    m_verdict.outcome = outcome;
    m_verdict.phase = phase;
    m_verdict.reason = std::move(reason);
    return m_verdict;
  }

  Verdict infrastructure(Phase phase, Error error) {
    std::string reason = fmt::format("{} could not run: {}", to_string(phase), error.message);
    m_verdict.infrastructure = std::move(error);
    return decide(Outcome::error, phase, std::move(reason));
  }

  bool inside_probe_dir(const std::filesystem::path& file) const {
    if (m_request.probe_dir.empty()) return false;
    const std::filesystem::path relative =
        file.lexically_normal().lexically_relative(m_request.probe_dir.lexically_normal());
    return !relative.empty() && *relative.begin() != "..";
  }

  // Reports outside the probe's folder that match the pattern: the manifest
  // folder's for a relative pattern (as before work folders existed).
  std::vector<std::filesystem::path> shared_reports(const std::string& pattern) const {
    std::vector<std::filesystem::path> out;
    for (auto& file : glob_files(m_request.work_dir, pattern)) {
      if (!inside_probe_dir(file)) out.push_back(std::move(file));
    }
    return out;
  }

  // This probe's reports: a relative pattern is read in its work folder, an
  // absolute one where it points inside that folder. Only when nothing is
  // found there, reports written elsewhere during the test command count,
  // and only while no other probe runs: a parallel probe's same-named report
  // must never be read as this one's.
  std::vector<std::filesystem::path> find_reports(const std::string& pattern,
                                                  const FileStamps& before) {
    std::vector<std::filesystem::path> own;
    if (std::filesystem::path(pattern).is_relative()) {
      if (!m_request.probe_dir.empty()) own = glob_files(m_request.probe_dir, pattern);
    } else {
      for (auto& file : glob_files(m_request.work_dir, pattern)) {
        if (inside_probe_dir(file)) own.push_back(std::move(file));
      }
    }
    if (!own.empty()) return own;
    std::vector<std::filesystem::path> elsewhere = written_since(shared_reports(pattern), before);
    if (!elsewhere.empty() && m_request.sharing == Sharing::parallel) {
      m_verdict.notes.push_back(fmt::format(
          "JUnit reports matching '{}' outside this probe's work folder are not read while "
          "probes run in parallel (jobs > 1): write them under $DRIFTLOCK_WORK_DIR",
          pattern));
      return {};
    }
    return elsewhere;
  }

  Verdict test() {
    const auto& junit = m_request.commands.junit;
    std::string pattern = junit ? expand_variables(*junit, m_request.env) : std::string();
    FileStamps before;
    if (junit) before = stamps(shared_reports(pattern));

    auto result = execute(Phase::test, m_request.commands.test);
    if (!result) return infrastructure(Phase::test, result.error());
    if (!stopped_cleanly(Phase::test, *result)) return std::move(m_verdict);
    if (is_error_exit(Phase::test, *result)) return std::move(m_verdict);
    const int code = *result->exit_code;

    if (junit) {
      auto files = find_reports(pattern, before);
      if (files.empty()) {
        m_verdict.notes.push_back(fmt::format(
            "no JUnit report matching '{}' was written; judged by the exit status", pattern));
      } else if (auto tests = read_junit(files); !tests) {
        m_verdict.notes.push_back(
            fmt::format("{}; judged by the exit status", one_line(tests.error())));
      } else {
        m_verdict.tests = std::move(*tests);
      }
    }
    if (m_verdict.tests && m_request.baseline_tests) {
      return judge_tests(code);
    }
    if (code != 0)
      return decide(Outcome::fail, Phase::test, fmt::format("test exited with {}", code));
    return decide(Outcome::pass, Phase::test,
                  m_request.commands.build.empty() ? "test passed" : "build and test passed");
  }

  // A failing test known to be flaky says nothing about the candidate: it
  // is taken out of `newly_failing`, and a note names it.
  void discount_known_flaky(std::vector<std::string>& newly_failing) {
    std::vector<std::string> flaky;
    std::erase_if(newly_failing, [&](const std::string& id) {
      if (!std::ranges::binary_search(m_request.known_flaky_tests, id)) return false;
      flaky.push_back(id);
      return true;
    });
    if (flaky.empty()) return;
    m_verdict.notes.push_back(
        fmt::format("{} failed and {} not counted: {}",
                    counted(flaky.size(), "known-flaky test", "known-flaky tests"),
                    flaky.size() == 1 ? "was" : "were", list_tests(flaky)));
  }

  // "At least as good as the baseline": no test that passes there fails here.
  Verdict judge_tests(int code) {
    Comparison comparison = compare_tests(*m_request.baseline_tests, *m_verdict.tests);
    discount_known_flaky(comparison.newly_failing);
    m_verdict.newly_failing = comparison.newly_failing;
    if (!comparison.newly_failing.empty()) {
      return decide(
          Outcome::fail, Phase::test,
          fmt::format("test: {} newly failing: {}", counted_tests(comparison.newly_failing.size()),
                      list_tests(comparison.newly_failing)));
    }
    const std::string not_run = fmt::format(
        "{} that {} on the baseline did not run: {}", counted_tests(comparison.not_run.size()),
        comparison.not_run.size() == 1 ? "passes" : "pass", list_tests(comparison.not_run));
    if (code != 0) {
      // A failing exit is forgiven only when the report shows every test
      // that passes on the baseline passing here too.
      if (!comparison.not_run.empty()) {
        return decide(Outcome::fail, Phase::test,
                      fmt::format("test exited with {} and {}", code, not_run));
      }
      m_verdict.notes.push_back(
          fmt::format("test exited with {}, but no test that passes on the baseline fails", code));
    } else if (!comparison.not_run.empty()) {
      m_verdict.notes.push_back(not_run);
    }
    return decide(Outcome::pass, Phase::test, "no test that passes on the baseline fails");
  }

  exec::CommandRunner& m_runner;
  const JudgeRequest& m_request;
  Verdict m_verdict;
};

}  // namespace

std::string_view to_string(Phase phase) {
  return phase == Phase::build ? "build" : "test";
}

Verdict judge(exec::CommandRunner& runner, const JudgeRequest& request) {
  return Judge(runner, request).run();
}

std::string expand_variables(std::string_view pattern, const std::vector<exec::EnvVar>& env) {
  auto is_name_char = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  };
  std::string out;
  std::size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] != '$') {
      out += pattern[i++];
      continue;
    }
    bool braced = i + 1 < pattern.size() && pattern[i + 1] == '{';
    std::size_t start = i + (braced ? 2 : 1);
    std::size_t end = start;
    while (end < pattern.size() && is_name_char(pattern[end])) ++end;
    bool closed = !braced || (end < pattern.size() && pattern[end] == '}');
    std::string_view name = pattern.substr(start, end - start);
    const exec::EnvVar* found = nullptr;
    for (const exec::EnvVar& v : env) {
      if (v.name == name) found = &v;
    }
    if (name.empty() || !closed || !found) {
      out += pattern[i++];
      continue;
    }
    out += found->value;
    i = end + (braced ? 1 : 0);
  }
  return out;
}

}  // namespace driftlock::candidate
