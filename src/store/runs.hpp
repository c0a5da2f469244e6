// One row per `driftlock run` / `check` / `bisect`: when it started and
// finished, how it ended, and a JSON summary for `driftlock history`. A run
// still marked `running` when the next one takes the lock was interrupted;
// its probe log (store/probes.hpp) lets the next one resume it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "store/database.hpp"

namespace driftlock::store {

enum class RunKind { run, check, bisect };

// running: not finished (or interrupted before it could say so);
// ok: exit 0 (shipped, or nothing to do); worse: exit 1 (culprits named);
// error: exit 2 or 3; interrupted: abandoned, recorded by a later run.
enum class RunStatus { running, ok, worse, error, interrupted };

std::string_view to_string(RunKind kind);
std::string_view to_string(RunStatus status);
std::optional<RunKind> parse_run_kind(std::string_view text);
std::optional<RunStatus> parse_run_status(std::string_view text);

struct RunRecord {
  std::int64_t id = 0;
  RunKind kind = RunKind::run;
  Timestamp started{};
  std::optional<Timestamp> finished;
  RunStatus status = RunStatus::running;
  std::string summary = "{}";  // JSON text written by the caller, stored verbatim

  friend bool operator==(const RunRecord&, const RunRecord&) = default;
};

class RunLog {
 public:
  explicit RunLog(Database& database) : m_database(&database) {}

  // A new run in status `running`; returns its id (ids are never reused).
  // The summary says what is known from the start (the changes it builds),
  // so a run that never finishes is still described.
  Result<std::int64_t> begin(RunKind kind, Timestamp started, std::string_view summary_json = "{}");

  // Sets the final status, summary and finish time. An unknown id is an error.
  Result<void> finish(std::int64_t id, RunStatus status, std::string_view summary_json,
                      Timestamp finished);

  Result<std::optional<RunRecord>> find(std::int64_t id);

  // Newest first.
  Result<std::vector<RunRecord>> recent(std::size_t limit);

  // The newest run of `kind` still marked running: an interrupted one to resume.
  Result<std::optional<RunRecord>> unfinished(RunKind kind);

 private:
  Database* m_database;
};

}  // namespace driftlock::store
