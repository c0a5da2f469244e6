// Everything observed during one search, and what it implies. Internal to bisect/.
//
// Passes are trusted; failures are believed once they have enough runs and no
// pass contradicts them. Monotone inference: a subset of a passing candidate
// passes, a superset of a believed failure fails.
#pragma once

#include <cstddef>
#include <unordered_map>
#include <vector>

#include "bisect/bits.hpp"
#include "bisect/search.hpp"

namespace driftlock::bisect {

struct Observation {
  Bits set;
  int passes = 0;
  int fails = 0;
  int unresolved = 0;
  std::vector<std::size_t> probes;  // probe numbers; given observations have none
};

enum class Known { unknown, pass, fail, unconfirmed, unresolved };

class Ledger {
 public:
  Ledger() = default;

  // Records one run; returns true when it contradicts an earlier observation.
  bool record(const Bits& set, Outcome outcome, std::size_t probe_number);
  // An observation made by the caller before the search (not a probe).
  void record_given(const Bits& set, Outcome outcome, int runs);

  const Observation* find(const Bits& set) const;
  int runs(const Bits& set) const;  // every run so far, given ones included
  int fail_runs(const Bits& set) const;

  // A failure is refuted when the set, or a superset of it, passed.
  bool refuted(const Bits& set) const;
  // The first observed pass containing `set`, if any.
  const Observation* pass_witness(const Bits& set) const;
  bool observed_pass(const Bits& set) const;

  // pass: inside an observed pass. fail: contains (or is) a set that failed at
  // least `fails_needed` times, unrefuted. unconfirmed: failed, but fewer times.
  Known status(const Bits& set, int fails_needed) const;

  // Failing runs that only `members` explain: the candidate failed (and was
  // not refuted), and without the members it is known to pass. Each is an
  // independent build; the caller's given failures count too.
  int implicating_fails(const Bits& members) const;

  const std::vector<Observation>& observations() const { return m_observations; }
  bool contradiction_seen() const { return m_contradictions > 0; }

 private:
  Observation& slot(const Bits& set);

  std::vector<Observation> m_observations;  // in first-seen order: iteration is deterministic
  std::unordered_map<Bits, std::size_t, BitsHash> m_index;
  std::size_t m_contradictions = 0;
};

}  // namespace driftlock::bisect
