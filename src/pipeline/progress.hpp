// What the pipeline tells a watcher while probes run: a line per probe
// start and end (CI logs show the search as it happens and no step sits
// silent for a whole build). The terminal printer lives in cli/.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/outcome.hpp"

namespace driftlock::pipeline {

struct ProbeStart {
  int number = 0;          // 1-based over the builds of this command
  int expected_total = 0;  // the builds this command will probably need (>= number)
  std::size_t changes = 0;
  std::size_t total_changes = 0;
  int round = 0;        // culprit-search round; 0 outside the search
  int attempt = 0;      // > 0: a deliberate re-run
  std::string purpose;  // "baseline", "full candidate", "culprit search", …
  std::string candidate_id;
  std::vector<std::string> labels;  // the changes it holds ("npm chalk 4.1.2 -> 5.3.0")
};

struct ProbeEnd {
  int number = 0;
  int expected_total = 0;
  Outcome outcome = Outcome::error;
  std::string reason;
  std::chrono::milliseconds duration{0};
  std::filesystem::path log;
  std::filesystem::path work_dir;  // kept for a look when the probe did not pass
};

class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  // Called from the threads that run the probes: implementations lock.
  virtual void probe_started(const ProbeStart& start) = 0;
  virtual void probe_finished(const ProbeEnd& end) = 0;
  // Everything else worth a line: "outcome of candidate X recalled", steps.
  virtual void note(std::string_view line) = 0;
};

}  // namespace driftlock::pipeline
