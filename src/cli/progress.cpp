#include "cli/progress.hpp"

#include <fmt/format.h>

#include <ostream>

#include "core/text.hpp"

namespace driftlock::cli {
namespace {

using Clock = std::chrono::steady_clock;

// Labels listed with --verbose before "and N more".
constexpr std::size_t kListedChanges = 8;

std::string probe_tag(int number, int expected) {
  return fmt::format("probe {}/≈{}", number, std::max(number, expected));
}

std::string what(const pipeline::ProbeStart& start) {
  std::string out;
  if (start.changes == 0) {
    out = start.purpose.empty() ? "the snapshot" : start.purpose;
  } else {
    out = fmt::format("{} of {}", start.changes, counted(start.total_changes, "change", "changes"));
    if (!start.purpose.empty()) out += fmt::format(" ({})", start.purpose);
  }
  if (start.round > 0) out += fmt::format(", round {}", start.round);
  if (start.attempt > 0) out += fmt::format(", re-run {}", start.attempt);
  return out;
}

}  // namespace

std::string format_elapsed(std::chrono::milliseconds elapsed) {
  using namespace std::chrono;
  if (elapsed < seconds(1)) return fmt::format("{}ms", elapsed.count());
  const auto total = duration_cast<seconds>(elapsed).count();
  if (total < 60) return fmt::format("{}s", total);
  if (total < 3600) return fmt::format("{}m{:02}s", total / 60, total % 60);
  return fmt::format("{}h{:02}m", total / 3600, (total % 3600) / 60);
}

std::unique_ptr<ProgressPrinter> make_progress(const Context& context) {
  if (context.verbosity == Verbosity::quiet) return nullptr;
  return std::make_unique<ProgressPrinter>(
      context.err, context.progress ? Terminal::yes : Terminal::no, context.verbosity);
}

ProgressPrinter::ProgressPrinter(std::ostream& err, Terminal terminal, Verbosity verbosity,
                                 std::chrono::seconds heartbeat)
    : m_err(err),
      m_terminal(terminal),
      m_verbose(verbosity == Verbosity::verbose),
      m_heartbeat(heartbeat) {
  m_ticker = std::thread([this] { tick(); });
}

ProgressPrinter::~ProgressPrinter() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
    if (m_status_shown) m_err << "\r\033[K" << std::flush;
  }
  m_wake.notify_all();
  m_ticker.join();
}

void ProgressPrinter::print_line(const std::string& line) {
  if (m_status_shown) m_err << "\r\033[K";
  m_err << "driftlock: " << line << "\n";
  m_status_shown = false;
  if (m_terminal == Terminal::yes) redraw_status();
  m_err << std::flush;
}

void ProgressPrinter::redraw_status() {
  if (m_running.empty()) return;
  const auto now = Clock::now();
  std::string line;
  for (const auto& [number, running] : m_running) {
    if (!line.empty()) line += " | ";
    line += fmt::format(
        "{} {}: {}", probe_tag(number, running.start.expected_total),
        format_elapsed(std::chrono::duration_cast<std::chrono::milliseconds>(now - running.since)),
        what(running.start));
  }
  // One terminal line: a status line that wraps cannot be redrawn in place.
  if (line.size() > 150) line = line.substr(0, 147) + "...";
  m_err << "\r\033[K" << line << std::flush;
  m_status_shown = true;
}

void ProgressPrinter::probe_started(const pipeline::ProbeStart& start) {
  std::lock_guard lock(m_mutex);
  const auto now = Clock::now();
  m_running[start.number] = Running{start, now, now};
  std::string line =
      fmt::format("{} started: {} [candidate {}]", probe_tag(start.number, start.expected_total),
                  what(start), start.candidate_id);
  if (m_verbose && !start.labels.empty()) {
    for (std::size_t i = 0; i < start.labels.size() && i < kListedChanges; ++i) {
      line += "\n    " + escape_for_message(start.labels[i], 200);
    }
    if (start.labels.size() > kListedChanges) {
      line += fmt::format("\n    and {} more", start.labels.size() - kListedChanges);
    }
  }
  print_line(line);
}

void ProgressPrinter::probe_finished(const pipeline::ProbeEnd& end) {
  std::lock_guard lock(m_mutex);
  m_running.erase(end.number);
  std::string line = fmt::format("{} {} after {}", probe_tag(end.number, end.expected_total),
                                 to_string(end.outcome), format_elapsed(end.duration));
  if (!end.reason.empty()) line += ": " + escape_for_message(end.reason, 300);
  line += fmt::format(" (log: {}", end.log.string());
  if (!end.work_dir.empty()) line += fmt::format(", work folder kept: {}", end.work_dir.string());
  line += ")";
  print_line(line);
}

void ProgressPrinter::note(std::string_view line) {
  if (!m_verbose) return;
  std::lock_guard lock(m_mutex);
  print_line(std::string(line));
}

void ProgressPrinter::tick() {
  std::unique_lock lock(m_mutex);
  while (!m_stopping) {
    m_wake.wait_for(lock, std::chrono::seconds(1));
    if (m_stopping) break;
    if (m_terminal == Terminal::yes) {
      redraw_status();
      continue;
    }
    const auto now = Clock::now();
    for (auto& [number, running] : m_running) {
      if (now - running.last_said < m_heartbeat) continue;
      running.last_said = now;
      print_line(fmt::format(
          "{} still running after {}: {}", probe_tag(number, running.start.expected_total),
          format_elapsed(
              std::chrono::duration_cast<std::chrono::milliseconds>(now - running.since)),
          what(running.start)));
    }
  }
}

}  // namespace driftlock::cli
