// Turns a finished search into the Verdict's culprits and per-change
// decisions, each with the probe numbers behind it (for `--explain`).
// Internal to bisect/.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "bisect/ledger.hpp"
#include "bisect/search.hpp"
#include "bisect/searcher.hpp"

namespace driftlock::bisect {

struct ExplainInput {
  std::span<const ChangeInfo> changes;
  const std::vector<Found>& found;
  const std::vector<Order>& unresolved;
  const std::vector<std::optional<Bits>>& suspected;
  const Ledger& ledger;
  const std::vector<Probe>& probes;
  double flake_rate = 0.0;  // SearchOptions::flake_rate
};

// Fills culprits, flaky, unresolved, decision_per_change and explanation_per_change.
void explain(const ExplainInput& in, Verdict& verdict);

}  // namespace driftlock::bisect
