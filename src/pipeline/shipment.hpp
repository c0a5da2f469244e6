// Shipping a candidate as a journalled sequence (store/shipments.hpp): the
// snapshot is staged, the image pushed, the snapshot renamed into place and
// committed, each step recorded before the next. A run killed part-way
// leaves its step behind and the next run finishes from it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/manifest.hpp"
#include "core/time.hpp"
#include "exec/command_runner.hpp"
#include "store/database.hpp"

namespace driftlock::pipeline {

// What the shipping step did, for the run's report.
struct ShipResult {
  bool pushed = false;
  std::string push_note;
  std::string commit_note;
};

enum class PushStep { run, skip_no_push, skip_no_command };

struct ShipRequest {
  std::optional<std::int64_t> run_id;
  std::string candidate_id;
  std::string content;  // the snapshot to write
  std::string message;  // its commit message
  PushStep push = PushStep::run;
  std::vector<exec::EnvVar> env;  // the candidate's, for the push command
};

// Stages the snapshot, pushes, writes, commits. Errors say what was done
// already ("nothing was pushed", or that the image was pushed and the next
// run writes the snapshot).
Result<ShipResult> ship_snapshot(const Manifest& manifest, store::Database& database,
                                 const std::filesystem::path& state_folder,
                                 exec::CommandRunner& runner, const Clock& clock,
                                 const ShipRequest& request);

// Finishes the shipments of `manifest`'s snapshot that an earlier run left
// part-way (a crash, a kill, a failed write after the push): a pushed image
// gets its snapshot written and committed, a written snapshot its commit. A
// snapshot changed since is never overwritten. Returns one note per
// shipment looked at, for stderr. Call with the state folder locked, before
// the snapshot is read.
Result<std::vector<std::string>> finish_shipments(const Manifest& manifest,
                                                  store::Database& database,
                                                  const std::filesystem::path& state_folder,
                                                  exec::CommandRunner& runner, const Clock& clock);

}  // namespace driftlock::pipeline
