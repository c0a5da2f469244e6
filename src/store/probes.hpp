// Candidate outcomes, memoised so no identical candidate is built twice, and
// each run's probe log, so an interrupted culprit search resumes by replaying
// it and `--explain` can list every probe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/outcome.hpp"
#include "core/time.hpp"
#include "store/database.hpp"

namespace driftlock::store {

// One enum for the whole pipeline (core/outcome.hpp), stored as the text
// to_string() gives. `error` (infrastructure: timeout, registry down, full
// disk) is logged as a probe but never memoised.
using driftlock::Outcome;

struct OutcomeDetails {
  std::vector<std::string> failing_tests;
  std::string log_path;
  std::string log_tail;  // the last lines of the build/test log

  friend bool operator==(const OutcomeDetails&, const OutcomeDetails&) = default;
};

struct MemoisedOutcome {
  Outcome outcome = Outcome::pass;
  OutcomeDetails details;
  std::chrono::milliseconds duration{0};
  Timestamp recorded_at{};

  friend bool operator==(const MemoisedOutcome&, const MemoisedOutcome&) = default;
};

struct ProbeRecord {
  std::int64_t seq = 0;  // 1-based within the run; assigned by append_probe
  std::string candidate_id;
  std::vector<std::size_t> subset;  // indices of the changes applied, as the search gave them
  int attempt = 0;                  // 0: first build of the subset; 1, 2...: confirmation re-runs
  Outcome outcome = Outcome::pass;
  std::string purpose;  // why the search asked, for --explain
  std::chrono::milliseconds duration{0};
  Timestamp recorded_at{};
  // The memo key's second half: two probes are of the same candidate when
  // candidate_id and builder_revision both match.
  std::string builder_revision;
  bool built = true;  // false: the outcome was recalled from the memo, not built
  // JUnit ids of every test that failed in this build (not only the newly
  // failing ones); nullopt when the build left no JUnit results.
  std::optional<std::vector<std::string>> failing_tests;
  // The culprit search's round (1, 2... over the run: the probes asked
  // together, built up to `jobs` at once); 0 for builds outside the search
  // (baseline, full candidate, re-checks); nullopt in rows logged before
  // schema 3, which did not record it.
  std::optional<int> round;

  friend bool operator==(const ProbeRecord&, const ProbeRecord&) = default;
};

// One built (not recalled) probe that passed or failed: the evidence a flake
// rate is estimated from (a candidate that both passed and failed is flaky).
struct BuiltOutcome {
  std::string candidate_id;
  std::string builder_revision;
  Outcome outcome = Outcome::pass;

  friend bool operator==(const BuiltOutcome&, const BuiltOutcome&) = default;
};

class ProbeStore {
 public:
  explicit ProbeStore(Database& database) : m_database(&database) {}

  // The outcome recorded for this candidate built by this builder revision.
  Result<std::optional<MemoisedOutcome>> lookup_outcome(std::string_view candidate_id,
                                                        std::string_view builder_revision);

  // Stores (or replaces: the newest observation wins) a pass, fail or
  // unresolved outcome. An `error` outcome is refused with an
  // infrastructure error: such failures must be retried next time.
  Result<void> record_outcome(std::string_view candidate_id, std::string_view builder_revision,
                              const MemoisedOutcome& outcome);

  // Appends to run `run_id`'s log (which must exist) and returns the sequence
  // number given to the probe; probe.seq is ignored. Every outcome is logged.
  Result<std::int64_t> append_probe(std::int64_t run_id, const ProbeRecord& probe);

  // The run's probes in the order they were appended.
  Result<std::vector<ProbeRecord>> probes_for_run(std::int64_t run_id);

  // Every built probe that passed or failed, over all runs, oldest first.
  Result<std::vector<BuiltOutcome>> built_outcomes();

  // The JUnit ids, sorted and unique, of tests known to be flaky: failing in
  // one built probe and not failing in another built probe of the same
  // candidate (candidate_id and builder_revision) that has JUnit results.
  Result<std::vector<std::string>> flaky_tests();

 private:
  Database* m_database;
};

}  // namespace driftlock::store
