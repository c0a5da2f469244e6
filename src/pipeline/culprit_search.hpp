// The culprit search as the pipeline runs it: the plan for flaky tests
// (bisect/flake_policy) from the state database's evidence, the search over
// some of the changes through the Prober, and what it found added to the
// report (culprits with their evidence, suspected blames, the probe log).
#pragma once

#include <optional>
#include <vector>

#include "bisect/flake_policy.hpp"
#include "core/run_report.hpp"
#include "pipeline/prober.hpp"
#include "store/probes.hpp"

namespace driftlock::pipeline {

// Which plan the search follows, re-planned when this run shows a flake.
class Planner {
 public:
  Planner(FlakyTests setting, std::optional<int> confirmations, store::ProbeStore& probes);

  bisect::SearchPlan& plan() { return m_plan; }
  const bisect::SearchPlan& plan() const { return m_plan; }

  // Every recorded build of this state folder (this run's included), tallied.
  bisect::FlakeHistory history() const;

  // This run showed a flake (a failure that did not repeat): under `auto`
  // the rest of the run is careful, even if the database lost the evidence.
  void saw_flake();

  SearchModeReport report() const;

 private:
  FlakyTests m_setting;
  std::optional<int> m_confirmations;
  store::ProbeStore& m_probes;
  bool m_flake_seen = false;
  bisect::SearchPlan m_plan;
};

struct SearchFound {
  // What to leave out of what ships: culprits, suspected blames and changes
  // that could not be isolated (empty: nothing is to blame).
  std::vector<std::size_t> left_out;
  // A build of the whole scope that passed when the search re-ran it (its
  // failure was a flake).
  std::optional<ProbeResult> scope_passed;
};

// Searches for the culprits among `scope` (indices into report.changes; the
// candidate holding all of them failed) and adds what it found to `report`.
Result<SearchFound> search_culprits(Prober& prober, Planner& planner, RunReport& report,
                                    const std::vector<std::size_t>& scope);

// The first attempt number not yet used for `subset` in the report's probe
// log: a re-check is a new build, never the memo's answer.
int next_attempt(const RunReport& report, const std::vector<std::size_t>& subset);

}  // namespace driftlock::pipeline
