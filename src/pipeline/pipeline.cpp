#include "pipeline/pipeline.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <span>

#include "core/file.hpp"
#include "core/text.hpp"
#include "exec/cancellation.hpp"
#include "pipeline/closure.hpp"
#include "pipeline/culprit_search.hpp"
#include "pipeline/git.hpp"
#include "pipeline/shipment.hpp"
#include "resolve/requirements.hpp"
#include "store/history.hpp"
#include "store/runs.hpp"

namespace driftlock::pipeline {
namespace {

// A RunLog entry for the whole command; an interrupted earlier run of the
// same kind is marked as such first (its memoised builds are reused). The
// summary names the changes from the start ("change_list", whose indices the
// probe log's subsets use), so `history --html` can label every run's probes,
// also of a run that failed or was interrupted.
class RunRecorder {
 public:
  using Json = nlohmann::ordered_json;

  RunRecorder(store::Database& database, store::RunKind kind, const Clock& clock,
              std::span<const Change> changes)
      : m_log(database), m_clock(clock), m_changes(changes.size()) {
    for (const Change& change : changes) m_labels.push_back(describe_change(change));
    if (auto stale = m_log.unfinished(kind); stale && *stale) {
      // Keep what the interrupted run said about itself (its changes).
      Json summary = Json::parse((*stale)->summary, nullptr, false);
      if (!summary.is_object()) summary = Json::object();
      summary["message"] = "interrupted";
      (void)m_log.finish((*stale)->id, store::RunStatus::interrupted, dump(summary), m_clock.now());
    }
    Json summary;
    summary["changes"] = m_changes;
    summary["change_list"] = m_labels;
    summary["message"] = m_changes == 0 ? std::string("the snapshot to build")
                                        : counted(m_changes, "change", "changes") + " to build";
    if (auto id = m_log.begin(kind, m_clock.now(), dump(summary))) m_id = *id;
  }
  ~RunRecorder() {
    if (m_id > 0 && !m_finished) {
      // Stopped by a signal (exec/cancellation.hpp): interrupted, not failed.
      const auto signal = exec::cancellation_signal();
      Json summary;
      summary["message"] =
          signal ? fmt::format("interrupted ({})", exec::signal_name(*signal)) : "failed";
      summary["changes"] = m_changes;
      summary["change_list"] = m_labels;
      (void)m_log.finish(m_id, signal ? store::RunStatus::interrupted : store::RunStatus::error,
                         dump(summary), m_clock.now());
    }
  }
  std::int64_t id() const { return m_id; }

  void finish(const RunReport& report) {
    if (m_id <= 0) return;
    Json summary;
    summary["changes"] = report.changes.size();
    summary["shipped"] = !report.shipped.empty() && report.snapshot_written.has_value();
    summary["pushed"] = report.pushed;
    summary["snapshot"] = report.snapshot_written ? Json(*report.snapshot_written) : Json(nullptr);
    summary["culprits"] = Json::array();
    for (const CulpritReport& culprit : report.culprits) {
      for (std::size_t i : culprit.changes) {
        const Change& c = report.changes[i];
        summary["culprits"].push_back(
            fmt::format("{} {} {}", c.ecosystem, c.name, c.after ? c.after->version : "(removed)"));
      }
    }
    summary["builds"] = report.builds;
    summary["message"] = report.message;
    // The blame as indices into change_list, for the history's pictures.
    summary["change_list"] = m_labels;
    auto indices = [](const std::vector<CulpritReport>& blamed) {
      Json out = Json::array();
      for (const CulpritReport& culprit : blamed) {
        for (std::size_t i : culprit.changes) out.push_back(i);
      }
      return out;
    };
    summary["culprit_indices"] = indices(report.culprits);
    summary["suspected_indices"] = indices(report.suspected);
    summary["unresolved_indices"] = report.unresolved;
    const store::RunStatus status =
        exit_code(report.status) == 0 ? store::RunStatus::ok : store::RunStatus::worse;
    (void)m_log.finish(m_id, status, dump(summary), m_clock.now());
    m_finished = true;
  }

 private:
  static std::string dump(const Json& summary) {
    return summary.dump(-1, ' ', false, Json::error_handler_t::replace);
  }

  store::RunLog m_log;
  const Clock& m_clock;
  std::size_t m_changes = 0;
  std::vector<std::string> m_labels;  // describe_change of each change
  std::int64_t m_id = 0;
  bool m_finished = false;
};

// What every building command sets up: its RunLog entry, the builder
// revision, the memo, and a Prober over them.
struct Workbench {
  RunRecorder recorder;
  store::ProbeStore probes;
  std::optional<Prober> prober;
  Planner planner;

  Workbench(store::StateDir& state, store::RunKind kind, const Clock& clock,
            std::span<const Change> changes, FlakyTests flaky_tests, const SearchSettings& search)
      : recorder(state.database(), kind, clock, changes),
        probes(state.database()),
        planner(flaky_tests, search.confirmations, probes) {}
};

Result<std::unique_ptr<Workbench>> open_workbench(
    const Manifest& manifest, EcosystemTable ecosystems, store::StateDir& state,
    store::RunKind kind, std::vector<Dependency> baseline, std::vector<Change> changes,
    exec::CommandRunner& runner, const Clock& clock, const SearchSettings& search,
    ProgressSink* progress) {
  auto bench =
      std::make_unique<Workbench>(state, kind, clock, changes,
                                  search.flaky_tests.value_or(manifest.policy.flaky_tests), search);
  auto revision =
      builder_revision(manifest, runner, state.path() / "logs" / "git.log",
                       std::to_string(bench->recorder.id()) + format_timestamp(clock.now()));
  if (!revision) return std::unexpected(std::move(revision.error()));
  ProberSettings settings;
  settings.manifest = &manifest;
  settings.ecosystems = ecosystems;
  settings.baseline = std::move(baseline);
  settings.changes = std::move(changes);
  settings.builder_revision = *revision;
  settings.state_folder = state.path();
  settings.run_id = bench->recorder.id();
  settings.progress = progress;
  // A check is asked for to see a build now: never answered from the memo.
  settings.recall = kind == store::RunKind::check ? Recall::never : Recall::memo;
  // Tests known to fail and pass unchanged do not make a candidate worse
  // (unless the tests are trusted: then every failure counts).
  if (bench->planner.plan().setting != FlakyTests::trust) {
    if (auto flaky = bench->probes.flaky_tests()) settings.known_flaky_tests = std::move(*flaky);
  }
  bench->prober.emplace(std::move(settings), runner, &bench->probes);
  return bench;
}

Error broken_baseline(const ProbeResult& baseline) {
  const candidate::Verdict& v = baseline.verdict;
  if (v.outcome == Outcome::error) {
    return Error{
        ErrorKind::infrastructure,
        fmt::format("the baseline could not be built: {} (log: {})", v.reason, v.log.string()),
        std::nullopt};
  }
  return Error{ErrorKind::infrastructure,
               fmt::format("baseline broken: the snapshot's own pins {} ({}; log: {}). This is "
                           "the environment or the image builder, not a dependency update: "
                           "nothing was changed",
                           v.outcome == Outcome::unresolved ? "cannot be installed" : "fail",
                           v.reason, v.log.string()),
               std::nullopt};
}

// Runs `subset` again (a stopping conclusion re-checked) until it passes or
// has failed `runs` times in all; the passing result, or nothing.
Result<std::optional<ProbeResult>> recheck(Prober& prober, Planner& planner, RunReport& report,
                                           const bisect::Subset& subset, int first_attempt,
                                           int runs, std::string_view what,
                                           std::string_view conclusion) {
  for (int k = 1; k < runs; ++k) {
    const int attempt = first_attempt + k - 1;
    report.rechecks.push_back(fmt::format(
        "{} built again (re-run {}): \"{}\" stops the run, and with flaky-tests = {} such a "
        "conclusion is re-checked before it is believed",
        what, attempt, conclusion, to_string(planner.plan().setting)));
    prober.expect_builds(1);
    auto again = prober.evaluate_one(subset, attempt, fmt::format("{} again (re-check)", what));
    if (!again) return std::unexpected(std::move(again.error()));
    if (again->verdict.outcome == Outcome::error) {
      return std::unexpected(build_error(fmt::format("{} (re-run {})", what, attempt), *again));
    }
    if (again->verdict.outcome == Outcome::pass) {
      report.rechecks.push_back(
          fmt::format("{} passed on re-run {}: the failure was a flake", what, attempt));
      planner.saw_flake();
      return std::optional<ProbeResult>(std::move(*again));
    }
  }
  return std::optional<ProbeResult>(std::nullopt);
}

// Failing builds before a stopping conclusion is believed: the careful
// blame's number, and at least two.
int stop_runs(const Planner& planner) {
  return planner.plan().recheck_stops ? std::max(2, planner.plan().confirmations) : 1;
}

// The baseline must pass before anything is blamed; a failure is re-checked
// unless the tests are trusted. Errors: broken, or not buildable.
Result<ProbeResult> verify_baseline(Prober& prober, Planner& planner, RunReport& report,
                                    const std::string& purpose) {
  auto checked = prober.evaluate_one({}, 0, purpose);
  if (!checked) return std::unexpected(std::move(checked.error()));
  report.search_mode = planner.report();
  if (checked->verdict.outcome == Outcome::pass) return checked;
  if (checked->verdict.outcome != Outcome::error) {
    auto passed =
        recheck(prober, planner, report, {}, 1, stop_runs(planner), "baseline", "baseline broken");
    if (!passed) return std::unexpected(std::move(passed.error()));
    report.search_mode = planner.report();
    if (*passed) return std::move(**passed);
  }
  return std::unexpected(broken_baseline(*checked));
}

// The failing tests when JUnit named them, else the last line of output that
// says something: what a reader of the snapshot needs to judge the hold.
std::string held_reason(const CulpritReport& culprit) {
  if (!culprit.failing_tests.empty()) return culprit.reason;
  auto trimmed = [](std::string line) {
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    if (line.size() > 200) line = line.substr(0, 197) + "...";
    return line;
  };
  // Test runners end with a summary ("3 passed, 1 failed"); the line that
  // names the failure is usually the last one shouting about it.
  auto it = std::find_if(culprit.tail.rbegin(), culprit.tail.rend(), [](const std::string& line) {
    return line.find("FAIL") != std::string::npos || line.find("Error") != std::string::npos ||
           line.find("error:") != std::string::npos;
  });
  if (it == culprit.tail.rend()) {
    it = std::find_if(culprit.tail.rbegin(), culprit.tail.rend(),
                      [&](const std::string& line) { return !trimmed(line).empty(); });
  }
  if (it == culprit.tail.rend()) return culprit.reason;
  return fmt::format("{}: {}", culprit.reason, trimmed(*it));
}

std::vector<HeldBack> culprit_entries(const RunReport& report, const Clock& clock) {
  std::vector<HeldBack> held;
  for (const CulpritReport& culprit : report.culprits) {
    for (std::size_t i : culprit.changes) {
      const Change& change = report.changes[i];
      if (!change.after) continue;  // a removal cannot be held back
      std::string reason = held_reason(culprit);
      if (culprit.changes.size() > 1) reason += " (together with other changes)";
      // A new digest of the same version (an OCI tag that moved) is held by
      // its digest, so the tag is tried again once it moves on.
      const bool redigested = change.kind == ChangeKind::redigested && change.after->digest;
      held.push_back(HeldBack{change.ecosystem, change.name,
                              redigested ? *change.after->digest : change.after->version, reason,
                              format_timestamp(clock.now())});
    }
  }
  return held;
}

// For `driftlock history`; losing an entry loses no safety, so failures are ignored.
void record_culprits(store::Database& database, std::int64_t run_id, const RunReport& report,
                     const Clock& clock) {
  store::CulpritHistory history(database);
  for (const HeldBack& held : culprit_entries(report, clock)) {
    (void)history.record(store::CulpritEvent{run_id, held.ecosystem, held.name, held.version,
                                             held.reason.value_or(""), clock.now()});
  }
}

struct Shipping {
  resolve::Session& session;  // not const: the capture records its via in the state database
  exec::CommandRunner& runner;
  const Clock& clock;
  const RunOptions& options;
  EcosystemTable ecosystems;
  std::int64_t run_id = 0;  // the run's id in the state database, for the journal
};

bool has_closure(const Snapshot& snapshot) {
  return std::any_of(snapshot.dependencies.begin(), snapshot.dependencies.end(),
                     [](const Dependency& d) { return d.transitive; });
}

// The pins to record for a passing candidate: with [closure], what its image
// really installed. A candidate whose pass was recalled from the memo may
// have no image any more: it is built again for its listing.
Result<std::vector<Dependency>> closure_pins(const Shipping& s, Prober& prober, RunReport& report,
                                             const ProbeResult& candidate,
                                             const bisect::Subset& subset) {
  const Manifest& manifest = s.session.manifest;
  if (manifest.closure.empty()) return candidate.candidate.dependencies;
  const std::filesystem::path log = s.session.state.path() / "logs" / "closure.log";
  auto captured = capture_closure(manifest, candidate.candidate.dependencies, candidate.env,
                                  s.runner, log, s.ecosystems);
  if (!captured && candidate.memoised) {
    auto rebuilt = prober.evaluate_one(subset, next_attempt(report, subset),
                                       "rebuilt for its closure (its pass was recalled)");
    if (!rebuilt) return std::unexpected(std::move(rebuilt.error()));
    report.builds = prober.builds();
    if (rebuilt->verdict.outcome != Outcome::pass) {
      return fail(ErrorKind::infrastructure,
                  fmt::format("the candidate recalled as passing did not pass when rebuilt to "
                              "list its closure ({}); nothing shipped",
                              rebuilt->verdict.reason));
    }
    captured = capture_closure(manifest, rebuilt->candidate.dependencies, rebuilt->env, s.runner,
                               log, s.ecosystems);
  }
  if (!captured) return std::unexpected(std::move(captured.error()));
  // Only said in reports, never needed: a failed write is a note, not an error.
  auto recorded =
      record_closure_via(s.session.state.database(), manifest.image, *captured, s.clock.now());
  if (s.options.progress) {
    for (const std::string& warning : captured->warnings) s.options.progress->note(warning);
    if (!recorded) {
      s.options.progress->note("[closure] via not recorded: " + recorded.error().message);
    }
  }
  return std::move(captured->dependencies);
}

// A held digest the registry no longer serves under the followed tag: the
// tag moved on, so the hold keeps nothing out any more (a version hold stays,
// since an old version can always be chosen again).
bool is_stale_digest_hold(const HeldBack& entry, const resolve::Resolution& resolution) {
  if (!is_content_digest(entry.version)) return false;
  for (const resolve::ResolvedDependency& one : resolution.resolved) {
    if (one.spec.ecosystem != entry.ecosystem || one.spec.name != entry.name) continue;
    return one.held_digest != entry.version;
  }
  return false;
}

// The snapshot to write when `candidate` ships: its pins, the baseline's
// held entries (less stale digest holds) and the new culprits, sorted.
Snapshot shipped_snapshot(const Shipping& s, std::vector<Dependency> pins,
                          std::vector<HeldBack> new_held) {
  Snapshot snapshot;
  snapshot.image = s.session.manifest.image;
  snapshot.created = format_timestamp(s.clock.now());
  snapshot.dependencies = std::move(pins);
  if (s.session.baseline) {
    for (const HeldBack& entry : s.session.baseline->held) {
      if (!is_stale_digest_hold(entry, s.session.resolution)) snapshot.held.push_back(entry);
    }
  }
  for (HeldBack& entry : new_held) {
    const bool known =
        std::any_of(snapshot.held.begin(), snapshot.held.end(), [&](const HeldBack& h) {
          return h.ecosystem == entry.ecosystem && h.name == entry.name &&
                 h.version == entry.version;
        });
    if (!known) snapshot.held.push_back(std::move(entry));
  }
  std::sort(snapshot.held.begin(), snapshot.held.end(), [](const HeldBack& a, const HeldBack& b) {
    return std::tie(a.ecosystem, a.name, a.version) < std::tie(b.ecosystem, b.name, b.version);
  });
  return snapshot;
}

// Stage, push, then record, journalled (pipeline/shipment.hpp). The snapshot
// is staged (folders created, bytes fsynced) before the push, so the push is
// the last step that can fail before the rename: a snapshot never claims an
// image that was not pushed, and a run killed after the push leaves a
// journal entry from which the next run writes the snapshot.
Result<void> ship(const Shipping& s, const ProbeResult& candidate, std::vector<Dependency> pins,
                  const std::vector<std::size_t>& indices, std::vector<HeldBack> new_held,
                  RunReport& report) {
  const Manifest& manifest = s.session.manifest;
  report.shipped = indices;
  ShipRequest request;
  if (s.run_id > 0) request.run_id = s.run_id;
  request.candidate_id = candidate.candidate.id;
  request.content = serialize_snapshot(shipped_snapshot(s, std::move(pins), std::move(new_held)));
  request.message = commit_message(report);
  request.push = s.options.push == Push::no       ? PushStep::skip_no_push
                 : manifest.commands.push.empty() ? PushStep::skip_no_command
                                                  : PushStep::run;
  request.env = candidate.env;
  auto shipped = ship_snapshot(manifest, s.session.state.database(), s.session.state.path(),
                               s.runner, s.clock, request);
  if (!shipped) return std::unexpected(std::move(shipped.error()));
  report.pushed = shipped->pushed;
  report.push_note = shipped->push_note;
  report.snapshot_written = manifest.snapshot.string();
  report.commit_note = shipped->commit_note;
  return {};
}

}  // namespace

std::string commit_message(const RunReport& report) {
  if (report.status == RunStatus::closure_captured) {
    return fmt::format("driftlock: capture the closure of {}\n\n{}\n", report.image,
                       report.message);
  }
  std::set<std::size_t> shipped(report.shipped.begin(), report.shipped.end());
  std::string out =
      shipped.empty()
          ? fmt::format("driftlock: hold back {} in {}\n\n",
                        counted(report.culprits.size(), "culprit", "culprits"), report.image)
          : fmt::format("driftlock: update {} ({})\n\n", report.image,
                        counted(shipped.size(), "change", "changes"));
  for (std::size_t i : shipped) out += "- " + describe_change(report.changes[i]) + "\n";
  if (!report.culprits.empty()) {
    out += "\nHeld back:\n";
    for (const CulpritReport& culprit : report.culprits) {
      for (std::size_t i : culprit.changes) {
        out += fmt::format("- {}: {}\n", describe_change(report.changes[i]), held_reason(culprit));
      }
    }
  }
  return out;
}

Result<RunReport> run_pipeline(resolve::Session& session, const RunOptions& options,
                               exec::CommandRunner& runner, const Clock& clock,
                               EcosystemTable ecosystems) {
  const Manifest& manifest = session.manifest;
  RunReport report;
  report.command = "run";
  report.image = manifest.image;
  report.snapshot_file = manifest.snapshot.lexically_relative(manifest.dir).string();

  Snapshot resolved = session.resolution.to_snapshot(manifest, nullptr, clock.now());
  Snapshot empty;
  const Snapshot& baseline = session.baseline ? *session.baseline : empty;
  auto diff = diff_snapshots(baseline, resolved, ecosystems);
  if (!diff) return std::unexpected(std::move(diff.error()));
  report.changes = diff->changes;
  attach_via(report.changes, read_closure_via(session.state.database(), manifest.image));
  const bool capture_baseline =
      !manifest.closure.empty() && session.baseline && !has_closure(*session.baseline);
  if (report.changes.empty() && !capture_baseline) {
    report.status = RunStatus::no_drift;
    const std::vector<std::string> held = session.resolution.held_back();
    report.message = held.empty()
                         ? "no drift: every dependency is at its newest allowed release"
                         : fmt::format(
                               "no drift (held: {}): every other dependency is at its newest "
                               "allowed release",
                               fmt::join(held, ", "));
    return report;
  }
  if (options.dry_run == DryRun::yes) {
    report.status = RunStatus::planned;
    report.message = fmt::format("dry run: {} would be built and tested",
                                 counted(report.changes.size(), "change", "changes"));
    return report;
  }

  auto bench = open_workbench(manifest, ecosystems, session.state, store::RunKind::run,
                              baseline.dependencies, report.changes, runner, clock, options.search,
                              options.progress);
  if (!bench) return std::unexpected(std::move(bench.error()));
  RunRecorder& recorder = (*bench)->recorder;
  Prober& prober = *(*bench)->prober;
  Planner& planner = (*bench)->planner;
  prober.set_requirements(RequirementCheck(
      ecosystems, baseline.dependencies, report.changes,
      resolve::requirement_index(session.resolution, baseline.dependencies, ecosystems)));
  const Shipping shipping{session, runner, clock, options, ecosystems, recorder.id()};
  prober.expect_builds(session.baseline ? 2 : 1);

  if (session.baseline) {
    auto checked = verify_baseline(prober, planner, report, "baseline");
    if (!checked) return std::unexpected(std::move(checked.error()));
    prober.set_baseline_tests(checked->verdict.tests);
    // A snapshot without its closure yet: the passing baseline's is captured
    // and committed first (nothing pushed); the next run tracks its drift.
    if (capture_baseline) {
      auto pins = closure_pins(shipping, prober, report, *checked, {});
      if (!pins) return std::unexpected(std::move(pins.error()));
      if (*pins != session.baseline->dependencies) {
        const auto transitive = static_cast<std::size_t>(std::count_if(
            pins->begin(), pins->end(), [](const Dependency& d) { return d.transitive; }));
        report.status = RunStatus::closure_captured;
        report.message = fmt::format(
            "captured the closure of the snapshot: {} pinned beside the {} named; nothing "
            "pushed, the {} found are left for the next run",
            counted(transitive, "transitive package", "transitive packages"),
            session.baseline->dependencies.size(),
            counted(report.changes.size(), "change", "changes"));
        RunOptions no_push = options;
        no_push.push = Push::no;
        const Shipping record_only{session, runner, clock, no_push, ecosystems, recorder.id()};
        if (auto recorded = ship(record_only, *checked, std::move(*pins), {}, {}, report);
            !recorded) {
          return std::unexpected(std::move(recorded.error()));
        }
        report.push_note = "not pushed (closure captured)";
        report.builds = prober.builds();
        recorder.finish(report);
        return report;
      }
    }
  }
  if (report.changes.empty()) {
    // Only here to capture the closure, which the snapshot already holds.
    report.status = RunStatus::no_drift;
    report.builds = prober.builds();
    report.message = "no drift: every dependency is at its newest allowed release";
    recorder.finish(report);
    return report;
  }

  auto full = prober.evaluate_one(prober.everything(), 0, "full candidate");
  if (!full) return std::unexpected(std::move(full.error()));
  if (full->verdict.outcome == Outcome::error) {
    return std::unexpected(build_error("full candidate", *full));
  }
  auto ship_all = [&](const ProbeResult& candidate, std::string note) -> Result<RunReport> {
    auto pins = closure_pins(shipping, prober, report, candidate, prober.everything());
    if (!pins) return std::unexpected(std::move(pins.error()));
    if (auto shipped = ship(shipping, candidate, std::move(*pins), prober.everything(), {}, report);
        !shipped) {
      return std::unexpected(std::move(shipped.error()));
    }
    report.status = RunStatus::shipped;
    report.builds = prober.builds();
    report.message =
        fmt::format("{} shipped{}", counted(report.changes.size(), "update", "updates"), note);
    recorder.finish(report);
    return report;
  };
  if (full->verdict.outcome == Outcome::pass) return ship_all(*full, "");

  if (!session.baseline) {
    // Without a snapshot there is no passing set to search from.
    report.status = RunStatus::not_shipped;
    report.builds = prober.builds();
    report.culprits.push_back(CulpritReport{prober.everything(),
                                            {},
                                            full->verdict.reason,
                                            full->verdict.newly_failing,
                                            full->verdict.log.string(),
                                            full->verdict.tail});
    report.message =
        "the first resolution fails its build or tests and there is no snapshot to "
        "compare with: nothing shipped";
    recorder.finish(report);
    return report;
  }

  // Search the failing candidate; hold back what is found and build the
  // rest; when the rest fails too, search on among it (a culprit the first
  // search could not see), until a candidate passes or nothing is left.
  std::vector<std::size_t> left_out;
  bisect::Subset failing = prober.everything();
  ProbeResult failing_result = *full;
  for (;;) {
    auto found = search_culprits(prober, planner, report, failing);
    if (!found) return std::unexpected(std::move(found.error()));
    report.builds = prober.builds();
    const bool first_search = failing.size() == report.changes.size();
    if (found->left_out.empty()) {
      // Nothing to blame: the failure did not come back in the search.
      // Re-checked unless the tests are trusted (or the search already saw
      // it pass); a pass ships.
      std::optional<ProbeResult> passed = std::move(found->scope_passed);
      if (!passed && planner.plan().recheck_stops) {
        auto again = recheck(prober, planner, report, failing, next_attempt(report, failing), 2,
                             first_search ? "full candidate" : "candidate without the culprits",
                             "no change is to blame");
        if (!again) return std::unexpected(std::move(again.error()));
        passed = std::move(*again);
        report.builds = prober.builds();
      }
      if (passed && first_search) {
        return ship_all(*passed, " (the full candidate failed once and passed when re-checked)");
      }
      if (passed) {
        failing_result = std::move(*passed);
        break;
      }
      if (first_search) {
        return fail(ErrorKind::infrastructure,
                    fmt::format("the full candidate failed ({}) but no change is to blame: the "
                                "failure did not reproduce (flaky tests?); nothing shipped (log: "
                                "{})",
                                full->verdict.reason, full->verdict.log.string()));
      }
      report.status = RunStatus::not_shipped;
      report.message = fmt::format(
          "the candidate without the culprits fails too ({}) and none of its changes is to "
          "blame: nothing shipped",
          failing_result.verdict.reason);
      recorder.finish(report);
      return report;
    }
    left_out.insert(left_out.end(), found->left_out.begin(), found->left_out.end());
    std::sort(left_out.begin(), left_out.end());
    left_out.erase(std::unique(left_out.begin(), left_out.end()), left_out.end());
    const bisect::Subset rest = prober.all_but(left_out);
    if (rest.empty()) break;
    auto rest_result = prober.evaluate_one(rest, 0, "every change but the culprits");
    if (!rest_result) return std::unexpected(std::move(rest_result.error()));
    report.builds = prober.builds();
    if (rest_result->verdict.outcome == Outcome::error) {
      return std::unexpected(build_error("candidate without the culprits", *rest_result));
    }
    failing = rest;
    failing_result = std::move(*rest_result);
    if (failing_result.verdict.outcome == Outcome::pass) break;
    report.rechecks.push_back(
        fmt::format("the candidate without the culprits failed ({}): searching on among its {}",
                    failing_result.verdict.reason, counted(rest.size(), "change", "changes")));
  }

  const bisect::Subset rest = prober.all_but(left_out);
  report.builds = prober.builds();
  if (rest.empty()) {
    // The baseline passed in this run: record the holds on it, so the next
    // run does not build the same culprits again. Nothing new to push.
    RunOptions no_push = options;
    no_push.push = Push::no;
    const Shipping record_only{session, runner, clock, no_push, ecosystems, recorder.id()};
    auto baseline_again = prober.evaluate_one({}, 0, "baseline");
    if (!baseline_again) return std::unexpected(std::move(baseline_again.error()));
    if (auto recorded = ship(record_only, *baseline_again, baseline_again->candidate.dependencies,
                             {}, culprit_entries(report, clock), report);
        !recorded) {
      return std::unexpected(std::move(recorded.error()));
    }
    report.push_note = "not pushed (nothing shipped)";
    record_culprits(session.state.database(), recorder.id(), report, clock);
    report.status = RunStatus::not_shipped;
    report.message = "every change is held back: nothing shipped";
    recorder.finish(report);
    return report;
  }
  auto rest_pins = closure_pins(shipping, prober, report, failing_result, rest);
  if (!rest_pins) return std::unexpected(std::move(rest_pins.error()));
  if (auto shipped = ship(shipping, failing_result, std::move(*rest_pins), rest,
                          culprit_entries(report, clock), report);
      !shipped) {
    return std::unexpected(std::move(shipped.error()));
  }
  record_culprits(session.state.database(), recorder.id(), report, clock);
  report.status = RunStatus::shipped_partially;
  report.message =
      fmt::format("{} shipped, {} held back", counted(rest.size(), "update", "updates"),
                  counted(report.changes.size() - rest.size(), "change", "changes"));
  recorder.finish(report);
  return report;
}

Result<RunReport> check_snapshot(const Manifest& manifest, const Snapshot& snapshot,
                                 store::StateDir& state, exec::CommandRunner& runner,
                                 const Clock& clock, EcosystemTable ecosystems,
                                 const SearchSettings& search, ProgressSink* progress) {
  RunReport report;
  report.command = "check";
  report.image = manifest.image;
  auto bench = open_workbench(manifest, ecosystems, state, store::RunKind::check,
                              snapshot.dependencies, {}, runner, clock, search, progress);
  if (!bench) return std::unexpected(std::move(bench.error()));
  RunRecorder& recorder = (*bench)->recorder;
  Prober& prober = *(*bench)->prober;
  Planner& planner = (*bench)->planner;
  prober.expect_builds(1);
  auto result = prober.evaluate_one({}, 0, "check");
  if (!result) return std::unexpected(std::move(result.error()));
  report.search_mode = planner.report();
  if (result->verdict.outcome == Outcome::fail || result->verdict.outcome == Outcome::unresolved) {
    // "The snapshot fails" stops a branch's CI: re-checked unless trusted.
    auto passed = recheck(prober, planner, report, {}, 1, stop_runs(planner), "snapshot",
                          "the snapshot fails");
    if (!passed) return std::unexpected(std::move(passed.error()));
    report.search_mode = planner.report();
    if (*passed) result = std::move(**passed);
  }
  report.builds = prober.builds();
  const candidate::Verdict& v = result->verdict;
  if (v.outcome == Outcome::error) return std::unexpected(build_error("snapshot", *result));
  report.status = v.outcome == Outcome::pass ? RunStatus::passed : RunStatus::failed;
  report.message =
      v.outcome == Outcome::pass
          ? (report.rechecks.empty()
                 ? "the snapshot builds and passes its tests"
                 : "the snapshot builds and passes its tests (it failed once: flaky tests)")
          : fmt::format("the snapshot {}: {} (log: {})",
                        v.outcome == Outcome::unresolved ? "cannot be installed" : "fails",
                        v.reason, v.log.string());
  if (v.outcome != Outcome::pass) {
    report.culprits.push_back(
        CulpritReport{{}, {}, v.reason, v.newly_failing, v.log.string(), v.tail});
  }
  recorder.finish(report);
  return report;
}

Result<RunReport> bisect_locks(const Manifest& manifest, const Snapshot& from, const Snapshot& to,
                               store::StateDir& state, exec::CommandRunner& runner,
                               const Clock& clock, EcosystemTable ecosystems,
                               const SearchSettings& search, ProgressSink* progress) {
  RunReport report;
  report.command = "bisect";
  report.image = manifest.image;
  auto diff = diff_snapshots(from, to, ecosystems);
  if (!diff) return std::unexpected(std::move(diff.error()));
  report.changes = diff->changes;
  attach_via(report.changes, read_closure_via(state.database(), manifest.image));
  if (report.changes.empty()) {
    report.status = RunStatus::no_drift;
    report.message = "the two locks pin the same versions: nothing to search";
    return report;
  }
  auto bench = open_workbench(manifest, ecosystems, state, store::RunKind::bisect,
                              from.dependencies, report.changes, runner, clock, search, progress);
  if (!bench) return std::unexpected(std::move(bench.error()));
  RunRecorder& recorder = (*bench)->recorder;
  Prober& prober = *(*bench)->prober;
  Planner& planner = (*bench)->planner;
  prober.expect_builds(2);

  auto baseline = verify_baseline(prober, planner, report, "baseline (--from)");
  if (!baseline) return std::unexpected(std::move(baseline.error()));
  prober.set_baseline_tests(baseline->verdict.tests);
  auto full = prober.evaluate_one(prober.everything(), 0, "full candidate (--to)");
  if (!full) return std::unexpected(std::move(full.error()));
  if (full->verdict.outcome == Outcome::error) {
    return std::unexpected(build_error("full candidate", *full));
  }
  if (full->verdict.outcome == Outcome::pass) {
    report.status = RunStatus::passed;
    report.builds = prober.builds();
    report.message = "the --to lock passes: no culprit to search for";
    recorder.finish(report);
    return report;
  }
  auto left_out = search_culprits(prober, planner, report, prober.everything());
  if (!left_out) return std::unexpected(std::move(left_out.error()));
  report.builds = prober.builds();
  report.status = RunStatus::not_shipped;
  if (report.culprits.empty() && report.suspected.empty()) {
    report.message = "no culprit found: the failure did not reproduce (flaky tests?)";
  } else if (report.culprits.empty()) {
    report.message = fmt::format("{} suspected, none blamed with {:.0f}% confidence",
                                 counted(report.suspected.size(), "change", "changes"),
                                 bisect::kBlameConfidence * 100.0);
  } else {
    std::size_t blamed = 0;
    for (const CulpritReport& c : report.culprits) blamed += c.changes.size();
    report.message = fmt::format("{} of {} to blame", counted(blamed, "change", "changes"),
                                 report.changes.size());
  }
  recorder.finish(report);
  return report;
}

}  // namespace driftlock::pipeline
