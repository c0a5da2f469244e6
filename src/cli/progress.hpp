// Progress of building commands on stderr: a line per probe start and end
// (CI logs), or a live status line on a terminal; --quiet silences it,
// --verbose adds the changes each probe holds and notes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <iosfwd>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "cli/command.hpp"
#include "pipeline/progress.hpp"

namespace driftlock::cli {

class ProgressPrinter final : public pipeline::ProgressSink {
 public:
  // `heartbeat`: off a terminal, how often a running probe is mentioned
  // again (CI systems kill steps that print nothing for 10 minutes).
  ProgressPrinter(std::ostream& err, Terminal terminal, Verbosity verbosity,
                  std::chrono::seconds heartbeat = std::chrono::minutes(4));
  ~ProgressPrinter() override;
  ProgressPrinter(const ProgressPrinter&) = delete;
  ProgressPrinter& operator=(const ProgressPrinter&) = delete;

  void probe_started(const pipeline::ProbeStart& start) override;
  void probe_finished(const pipeline::ProbeEnd& end) override;
  void note(std::string_view line) override;

 private:
  struct Running {
    pipeline::ProbeStart start;
    std::chrono::steady_clock::time_point since;
    std::chrono::steady_clock::time_point last_said;
  };

  void tick();
  void print_line(const std::string& line);  // m_mutex held
  void redraw_status();                      // m_mutex held

  std::ostream& m_err;
  Terminal m_terminal;
  bool m_verbose;
  std::chrono::seconds m_heartbeat;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_stopping = false;
  bool m_status_shown = false;
  std::map<int, Running> m_running;  // by probe number
  std::thread m_ticker;
};

// The printer the command line asks for: nullptr with --quiet; a status
// line when stderr is a terminal; each probe's changes with --verbose.
std::unique_ptr<ProgressPrinter> make_progress(const Context& context);

// "1m05s", "12s", "850ms".
std::string format_elapsed(std::chrono::milliseconds elapsed);

}  // namespace driftlock::cli
