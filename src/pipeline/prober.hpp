// Building and judging candidates for the pipeline: a subset of the changes
// on top of the baseline becomes a candidate folder, is built and tested by
// the manifest's commands, and its outcome is memoised by candidate id and
// builder revision, so no identical candidate is built twice. Up to `jobs`
// candidates build at once. ProberOracle lets the culprit search (bisect/)
// ask its questions through it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bisect/search.hpp"
#include "candidate/candidate.hpp"
#include "candidate/judge.hpp"
#include "core/diff.hpp"
#include "core/manifest.hpp"
#include "core/requirement_check.hpp"
#include "exec/command_runner.hpp"
#include "pipeline/progress.hpp"
#include "store/probes.hpp"

namespace driftlock::pipeline {

// Whether a candidate built before (same id, same builder revision) is
// answered from the memo; `check` always builds.
enum class Recall { memo, never };

struct ProberSettings {
  const Manifest* manifest = nullptr;
  EcosystemTable ecosystems;
  std::vector<Dependency> baseline;                      // the snapshot's dependencies
  std::vector<Change> changes;                           // what subsets index into
  std::string builder_revision;                          // see builder_revision.hpp
  std::filesystem::path state_folder;                    // candidates/ and logs/ go here
  std::int64_t run_id = 0;                               // probes are logged under this run
  std::optional<candidate::TestResults> baseline_tests;  // JUnit results of the baseline
  std::vector<std::string> known_flaky_tests;  // JUnit ids that failed and passed unchanged
  ProgressSink* progress = nullptr;            // nullptr: silent
  Recall recall = Recall::memo;
  // Subsets the registry's requirements rule out are answered `unresolved`
  // without a build (run only: it has the registry's word).
  RequirementCheck requirements;
};

// The folder that holds the probes' private work folders (DRIFTLOCK_WORK_DIR)
// inside a state folder: <state>/work/run-<id>/<nnn>-<candidate>-<attempt>.
// A passing probe's folder is removed when it ends; a failed one is kept for
// a look until the next building command starts, which empties work/.
std::filesystem::path work_root(const std::filesystem::path& state_folder);

struct ProbeResult {
  candidate::Candidate candidate;
  std::vector<exec::EnvVar> env;  // the candidate folder's variables
  candidate::Verdict verdict;
  bool memoised = false;   // answered from an earlier build
  bool ruled_out = false;  // not built: the requirements say it cannot be installed
};

class Prober {
 public:
  Prober(ProberSettings settings, exec::CommandRunner& runner, store::ProbeStore* store);

  // Builds (or recalls) each request; results in order. An Error only for
  // problems outside the build: bad candidate data, file system, database.
  // attempt > 0 marks a deliberate re-run: never answered from the memo.
  // `round` is the culprit search's round (0 outside the search), for
  // progress and the probe log.
  Result<std::vector<ProbeResult>> evaluate(std::span<const bisect::ProbeRequest> batch,
                                            std::span<const std::string> purposes, int round = 0);

  Result<ProbeResult> evaluate_one(const bisect::Subset& subset, int attempt,
                                   const std::string& purpose);

  // Raises the number of builds progress lines expect by `more` from now.
  void expect_builds(int more);

  // Every change: the full candidate.
  bisect::Subset everything() const;
  // Every change not in `left_out`.
  bisect::Subset all_but(const std::vector<std::size_t>& left_out) const;

  const ProberSettings& settings() const { return m_settings; }
  int builds() const { return m_builds; }  // builds actually run (not memoised)
  // The next culprit-search round, counted over the run: a run may search
  // more than once, and its report numbers the rounds on (RunReport::rounds).
  int next_search_round() { return ++m_search_rounds; }
  void set_baseline_tests(std::optional<candidate::TestResults> tests);
  void set_requirements(RequirementCheck requirements);

 private:
  Result<ProbeResult> prepare(const bisect::Subset& subset);

  ProberSettings m_settings;
  exec::CommandRunner& m_runner;
  store::ProbeStore* m_store;
  int m_builds = 0;
  int m_sequence = 0;
  int m_expected = 0;  // builds progress lines announce ("probe 3/≈6")
  int m_search_rounds = 0;
};

// The oracle the culprit search talks to. Keeps each answered probe's result
// so reports can say why a culprit was blamed (the failing test, the log).
class ProberOracle final : public bisect::Oracle {
 public:
  // `scope`: the changes the search is over; its subsets index into it (empty:
  // every change, as the prober numbers them).
  explicit ProberOracle(Prober& prober, std::vector<std::size_t> scope = {})
      : m_prober(prober), m_scope(std::move(scope)) {}

  std::vector<Outcome> probe(std::span<const bisect::ProbeRequest> batch) override;

  // Set when the prober failed outside a build; the search then sees `error`.
  const std::optional<Error>& failure() const { return m_failure; }
  // The results in the order the search asked (probe number - 1).
  const std::vector<ProbeResult>& results() const { return m_results; }

 private:
  Prober& m_prober;
  std::vector<std::size_t> m_scope;
  std::optional<Error> m_failure;
  std::vector<ProbeResult> m_results;
};

// An infrastructure error for a probe whose build could not run:
// "the WHAT could not be built: REASON (log: PATH)".
Error build_error(std::string_view what, const ProbeResult& result);

// "npm chalk 4.1.2 -> 5.3.0", "npm chalk (added 5.3.0)", "npm chalk (removed)".
std::string describe_change(const Change& change);

// A short label per change and its publish time, for the search.
std::vector<bisect::ChangeInfo> change_infos(std::span<const Change> changes);

}  // namespace driftlock::pipeline
