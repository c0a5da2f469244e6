// Cut sizes planned against the probe target, for small n. Internal to bisect/.
//
// The weighted split (split.hpp) balances configurations; it does not know
// that the target is a hard limit per number of culprits d (bound + d + 2,
// bound = ceil(log2 C(n, d))), so a few placements of two or three culprits
// end a probe or two over. For n <= kMaxChanges this planner solves the main
// search exactly, as a dynamic programme over its state (candidates, changes
// set aside, culprits found, whether the candidates are known to fail,
// whether nothing has been cleared yet, probes used): for every cut size it
// weighs the placements of 1, 2 and 3 reliable culprits (each d weighted
// equally) that would end over their target, more the further over, counting
// the "one of the last two, alone" step, the culprit-alone verification and
// the final "everything else passes". Among the best sizes it prefers the one
// leaving most placements a probe to spare (for re-checks when tests are
// flaky), then the one nearest the weighted split's choice, so it overrides
// that choice only where a probe is at stake. It assumes reliable tests and
// single culprits; the search consults it only while no outcome has
// contradicted another.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace driftlock::bisect {

struct PlanState {
  std::size_t candidates = 0;         // changes the cut is taken from, in order
  std::size_t unknown_elsewhere = 0;  // changes set aside, status unknown
  std::size_t found = 0;              // culprit changes already named
  bool candidates_fail = false;       // the cut holding every candidate is known to fail
  bool bare = true;                   // nothing cleared yet: a cut of one is the change alone
  std::size_t used = 0;               // probes so far
};

class BudgetPlan {
 public:
  static constexpr std::size_t kMaxChanges = 64;

  // Shared per n (the table is a pure function of n); nullptr above kMaxChanges.
  static std::shared_ptr<const BudgetPlan> for_changes(std::size_t n);

  // The cut size to take, preferring `preferred` among equally good ones;
  // nullopt when the state is outside the plan (then the caller's choice stands).
  std::optional<std::size_t> size(const PlanState& state, std::size_t preferred) const;

  // Sum over d = 1..3 of the share of placements of d reliable culprits
  // that the planned search from the start ends over target (one further
  // over counts 1.5 times as much per extra probe).
  double over_share() const;

  explicit BudgetPlan(std::size_t n);

 private:
  double value(std::size_t x, std::size_t u, std::size_t f, bool fail, bool bare,
               std::size_t used) const;
  double cut_value(std::size_t x, std::size_t u, std::size_t f, bool fail, bool bare,
                   std::size_t used, std::size_t s) const;
  double count(std::size_t x, std::size_t u, std::size_t j, bool fail) const;
  double mass(std::size_t x, std::size_t u, std::size_t f, bool fail) const;
  double terminal(std::size_t f, std::size_t used) const;
  std::size_t index(std::size_t x, std::size_t u, std::size_t f, bool fail, bool bare,
                    std::size_t used) const;

  std::size_t m_n;
  std::size_t m_cap;             // probes beyond which the cost no longer grows
  std::vector<double> m_target;  // per d = 0..3; 0 unused
  std::vector<double> m_weight;  // 1 / C(n, d)
  std::vector<std::vector<double>> m_choose;
  mutable std::mutex m_mutex;          // the memo fills lazily; plans are shared
  mutable std::vector<double> m_memo;  // negative: not computed yet
};

}  // namespace driftlock::bisect
