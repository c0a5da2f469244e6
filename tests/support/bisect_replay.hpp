// Recording and replaying probe outcomes: how a caller resumes an interrupted
// search. The search is deterministic given outcomes, so answering every
// request it repeats from the record (keyed by subset and run number) brings
// it back to where it stopped, and only new probes reach the real oracle.
// Test support: the pipeline resumes through its own store-backed memo
// (pipeline/prober.hpp); this shows the property the search guarantees.
#pragma once

#include <cstddef>
#include <map>
#include <utility>
#include <vector>

#include "bisect/search.hpp"

namespace driftlock::bisect {

struct RecordedProbe {
  ProbeRequest request;
  Outcome outcome = Outcome::pass;
};

// Passes every batch to `inner` and keeps what it answered.
class RecordingOracle final : public Oracle {
 public:
  explicit RecordingOracle(Oracle& inner) : m_inner(inner) {}
  std::vector<Outcome> probe(std::span<const ProbeRequest> batch) override;
  const std::vector<RecordedProbe>& record() const { return m_record; }

 private:
  Oracle& m_inner;
  std::vector<RecordedProbe> m_record;
};

// Answers from a record; anything not in it goes to `inner` (if any, else it
// is an Outcome::error: the record was from a different search).
class ReplayOracle final : public Oracle {
 public:
  ReplayOracle(const std::vector<RecordedProbe>& record, Oracle* inner);
  std::vector<Outcome> probe(std::span<const ProbeRequest> batch) override;
  std::size_t replayed() const { return m_replayed; }
  std::size_t forwarded() const { return m_forwarded; }

 private:
  std::map<std::pair<Subset, int>, Outcome> m_known;
  Oracle* m_inner;
  std::size_t m_replayed = 0;
  std::size_t m_forwarded = 0;
};

}  // namespace driftlock::bisect
