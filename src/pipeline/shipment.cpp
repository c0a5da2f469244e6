#include "pipeline/shipment.hpp"

#include <fmt/format.h>

#include <system_error>
#include <utility>

#include "core/file.hpp"
#include "pipeline/git.hpp"
#include "store/shipments.hpp"

namespace driftlock::pipeline {
namespace {

using store::Shipment;
using store::ShipmentLog;
using store::ShipmentStep;

// The snapshot's bytes now; nullopt when there is no file. A file that
// exists but cannot be read counts as changed (it never equals a string).
std::optional<std::string> current_bytes(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  auto bytes = read_file(path, "snapshot");
  if (!bytes) return std::string("\0unreadable", 11);
  return std::move(*bytes);
}

std::string commit_note(CommitStatus status) {
  switch (status) {
    case CommitStatus::committed:
      return "committed";
    case CommitStatus::not_a_repository:
      return "not committed (not a git work tree)";
    case CommitStatus::nothing_to_commit:
      return "not committed (unchanged)";
  }
  return "";
}

std::string run_name(const Shipment& s) {
  return s.run_id ? fmt::format("run {}", *s.run_id) : std::string("an earlier run");
}

}  // namespace

Result<ShipResult> ship_snapshot(const Manifest& manifest, store::Database& database,
                                 const std::filesystem::path& state_folder,
                                 exec::CommandRunner& runner, const Clock& clock,
                                 const ShipRequest& request) {
  auto staged = StagedFile::stage(manifest.snapshot, request.content, Folders::create);
  if (!staged) {
    return fail(ErrorKind::infrastructure,
                fmt::format("{}; nothing was pushed", staged.error().message));
  }
  ShipmentLog journal(database);
  Shipment shipment;
  shipment.run_id = request.run_id;
  shipment.image = manifest.image;
  shipment.snapshot = manifest.snapshot.string();
  shipment.candidate_id = request.candidate_id;
  shipment.previous = current_bytes(manifest.snapshot);
  shipment.content = request.content;
  shipment.message = request.message;
  shipment.started = shipment.updated = clock.now();
  auto id = journal.begin(shipment);
  if (!id) {
    return fail(ErrorKind::infrastructure,
                fmt::format("{}; nothing was pushed", id.error().message));
  }

  ShipResult result;
  if (request.push == PushStep::skip_no_push) {
    result.push_note = "not pushed (--no-push)";
  } else if (request.push == PushStep::skip_no_command) {
    result.push_note = "not pushed (no push command)";
  } else {
    // Recorded before the command starts: a crash from here on may leave an
    // image in the registry, and the next run must say so.
    if (auto marked = journal.advance(*id, ShipmentStep::pushing, clock.now()); !marked) {
      return fail(ErrorKind::infrastructure,
                  fmt::format("{}; nothing was pushed", marked.error().message));
    }
    exec::RunRequest push;
    push.command = manifest.commands.push;
    push.cwd = manifest.dir;
    push.env = request.env;
    push.timeout = manifest.commands.timeout;
    push.log = state_folder / "logs" / "push.log";
    push.log_header = fmt::format("==> driftlock: push of candidate {}", request.candidate_id);
    auto pushed = runner.run(push);
    if (!pushed || !pushed->succeeded()) {
      (void)journal.advance(*id, ShipmentStep::abandoned, clock.now());
      if (!pushed) return std::unexpected(std::move(pushed.error()));
      return fail(
          ErrorKind::infrastructure,
          fmt::format("the push command {} (log: {}); the snapshot was not advanced",
                      exec::describe(*pushed, manifest.commands.timeout), push.log.string()));
    }
    // Losing this mark only makes the next run call the push uncertain.
    (void)journal.advance(*id, ShipmentStep::pushed, clock.now());
    result.pushed = true;
    result.push_note = "pushed";
  }

  if (auto saved = staged->commit(); !saved) {
    if (!result.pushed) {
      (void)journal.advance(*id, ShipmentStep::abandoned, clock.now());
      return std::unexpected(std::move(saved.error()));
    }
    return fail(ErrorKind::infrastructure,
                fmt::format("the image was pushed, but {}; the next run writes the snapshot",
                            saved.error().message));
  }
  (void)journal.advance(*id, ShipmentStep::written, clock.now());

  auto committed = commit_snapshot(manifest, request.message, runner, state_folder);
  if (!committed) {
    return fail(
        ErrorKind::infrastructure,
        fmt::format("{}; {} was written{}, and the next run commits it", committed.error().message,
                    manifest.snapshot.string(), result.pushed ? " and the image pushed" : ""));
  }
  (void)journal.advance(*id, ShipmentStep::done, clock.now());
  result.commit_note = commit_note(*committed);
  return result;
}

Result<std::vector<std::string>> finish_shipments(const Manifest& manifest,
                                                  store::Database& database,
                                                  const std::filesystem::path& state_folder,
                                                  exec::CommandRunner& runner, const Clock& clock) {
  ShipmentLog journal(database);
  auto open = journal.unfinished();
  if (!open) return std::unexpected(std::move(open.error()));
  std::vector<std::string> notes;
  const std::string snapshot = manifest.snapshot.string();
  for (const Shipment& s : *open) {
    // Another manifest's, sharing this state folder: its own run finishes it.
    if (s.snapshot != snapshot) continue;
    const std::optional<std::string> now = current_bytes(manifest.snapshot);
    ShipmentStep step = s.step;
    bool renamed_unrecorded = false;
    switch (step) {
      case ShipmentStep::staged:
        // Nothing irreversible happened, unless (with no push) the rename
        // did and the journal did not hear of it.
        if (now == s.content && now != s.previous) {
          step = ShipmentStep::written;
          renamed_unrecorded = true;
        }
        break;
      case ShipmentStep::pushing:
        notes.push_back(fmt::format(
            "{} was stopped while pushing candidate {} (which had passed its tests): the "
            "registry may hold its image; {} was not advanced, and this run ships again",
            run_name(s), s.candidate_id, snapshot));
        break;
      case ShipmentStep::pushed:
        // Killed after the rename, before the journal said so.
        if (now == s.content && now != s.previous) {
          step = ShipmentStep::written;
          renamed_unrecorded = true;
          break;
        }
        if (now != s.previous) {
          notes.push_back(fmt::format(
              "{} pushed candidate {} and was stopped before writing {}, which has changed "
              "since: it is left as it is",
              run_name(s), s.candidate_id, snapshot));
          break;
        }
        if (auto written = write_file_atomically(manifest.snapshot, s.content, Folders::create);
            !written) {
          return fail(ErrorKind::infrastructure,
                      fmt::format("{} pushed candidate {} but did not write {}: {}; the next "
                                  "run tries again",
                                  run_name(s), s.candidate_id, snapshot, written.error().message));
        }
        if (auto marked = journal.advance(s.id, ShipmentStep::written, clock.now()); !marked) {
          return std::unexpected(std::move(marked.error()));
        }
        step = ShipmentStep::written;
        notes.push_back(
            fmt::format("{} pushed candidate {} and was stopped before writing {}: written now",
                        run_name(s), s.candidate_id, snapshot));
        break;
      case ShipmentStep::written:
        if (now != s.content) {
          notes.push_back(fmt::format(
              "{} wrote {} and was stopped before committing it; the file has changed since: "
              "not committed",
              run_name(s), snapshot));
        }
        break;
      case ShipmentStep::done:
      case ShipmentStep::abandoned:
        break;
    }
    if (step == ShipmentStep::written && current_bytes(manifest.snapshot) == s.content) {
      auto committed = commit_snapshot(manifest, s.message, runner, state_folder);
      if (!committed) {
        return fail(ErrorKind::infrastructure,
                    fmt::format("{}; the next run tries to commit {} again",
                                committed.error().message, snapshot));
      }
      if ((s.step == ShipmentStep::written || renamed_unrecorded) &&
          *committed == CommitStatus::committed) {
        notes.push_back(
            fmt::format("{} wrote {} and was stopped before committing it: committed now",
                        run_name(s), snapshot));
      }
      if (auto marked = journal.advance(s.id, ShipmentStep::done, clock.now()); !marked) {
        return std::unexpected(std::move(marked.error()));
      }
      continue;
    }
    if (auto marked = journal.advance(s.id, ShipmentStep::abandoned, clock.now()); !marked) {
      return std::unexpected(std::move(marked.error()));
    }
  }
  remove_stale_temporaries(manifest.snapshot);
  return notes;
}

}  // namespace driftlock::pipeline
