// Renders `driftlock history`: past runs, the culprits they named and the
// versions the snapshot holds back, as text, stable JSON (docs/formats.md) or
// Markdown. Plain rows, so publish stays independent of the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dependency.hpp"
#include "core/time.hpp"
#include "publish/output_format.hpp"

namespace driftlock::publish {

struct HistoryRun {
  std::int64_t id = 0;
  std::string kind;    // run, check, bisect
  std::string status;  // running, ok, worse, error, interrupted
  Timestamp started{};
  std::optional<Timestamp> finished;
  std::string summary = "{}";  // JSON text, as the command wrote it
};

struct HistoryCulprit {
  std::optional<std::int64_t> run_id;
  std::string ecosystem;
  std::string name;
  std::string version;
  std::string reason;
  Timestamp at{};
};

struct History {
  bool state = false;                    // a state database exists: some run has recorded something
  std::vector<HistoryRun> runs;          // newest first
  std::vector<HistoryCulprit> culprits;  // newest first
  bool snapshot = false;                 // the manifest's snapshot exists
  std::vector<HeldBack> held;            // the snapshot's held-back versions
};

std::string render_history_text(const History& history, Color color);
std::string render_history_json(const History& history);
std::string render_history_markdown(const History& history);

std::string render_history(const History& history, OutputFormat format, Color color);

// A run's summary on one line: its "message" when it has one, otherwise its
// keys as "key: value; ..." with arrays joined by ", "; "" for {}.
std::string summary_line(std::string_view summary_json);

}  // namespace driftlock::publish
