// How many changes the next cut(s) hold when every outcome is believed
// (Flakiness::trust). Internal to bisect/.
//
// The number of culprits d is not known in advance. Every way the unknown
// changes could still hold culprits is a configuration, weighed by a prior
// over d (each configuration with d culprits equally likely):
//  - half "few culprits", P(d) proportional to d^-2.5: most nights break one
//    or two updates;
//  - half the probe targets, P(d) proportional to C(n,d) * 2^-T(d) with
//    T(d) = min(bound(n,d) + d + 1, n + 1): the shares Kraft's inequality
//    allows a search that meets those targets. This half carries the weight
//    of "most changes are culprits" that a long-neglected image has.
// A cut is sized so that "it passes" and "it fails" weigh the same (p
// parallel cuts: p + 1 equal parts). With few culprits that is binary
// splitting; as failures keep coming the weight moves to many culprits and
// the cuts shrink to a single change, i.e. testing changes alone, which is
// best once about a third of them are culprits.
//
// For n <= kPlanned an exact plan replaces the weighing, whatever `jobs`: a
// dynamic programme over (candidates, changes set aside, found, known to
// fail, probes used) that first keeps every trial within
// T(d) = min(bound + d + 1, n + 1) (possible for every placement up to
// n = 5; not from n = 6 on, whatever the search, see docs/performance.md)
// and then spends the fewest probes on average under the same prior.
//
// A guard bounds every serial search: a cut of several changes that fails
// resolves none of them, a single change always resolves one. So while
// probes used + 1 + unknown changes > n + ceil(log2 n) + 3, only single
// changes are cut, which keeps every search with jobs = 1 (independent
// culprits, installable candidates) within that cap. The log2 n lets one
// culprit among the first changes be found by halving without tripping it
// (with n + 3, two culprits among the first changes of 64 cost 67 builds).
// Parallel searches trade builds for rounds and are not capped; once each
// candidate is a culprit with chance 0.382 or more they build `jobs`
// changes each on its own per round (one_at_a_time).
//
// Weights are kept as logarithms: C(1024, 512) overflows a double.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <tuple>
#include <vector>

namespace driftlock::bisect {

struct TrustState {
  std::size_t candidates = 0;         // changes the cut is taken from, in order
  std::size_t unknown_elsewhere = 0;  // other changes whose status is unknown
  std::size_t found = 0;              // changes blamed so far
  bool candidates_fail = false;       // the cut holding every candidate is known to fail
  std::size_t used = 0;               // probes so far
};

class TrustSplit {
 public:
  static constexpr std::size_t kPlanned = 5;

  explicit TrustSplit(std::size_t n);

  // Up to `count` increasing cut sizes in [1, candidates] (candidates - 1
  // when the full cut is known to fail).
  std::vector<std::size_t> sizes(const TrustState& state, std::size_t count) const;

  // Whether each candidate is now likely enough a culprit that building them
  // one at a time beats any cut of several.
  bool one_at_a_time(const TrustState& state) const;

  // The natural log of the total weight of the configurations still possible.
  double log_mass(std::size_t candidates, std::size_t elsewhere, std::size_t found,
                  bool candidates_fail) const;

 private:
  // (candidates, elsewhere, found, candidates fail, used)
  using PlanKey = std::tuple<std::size_t, std::size_t, std::size_t, bool, std::size_t>;

  double log_choose(std::size_t m, std::size_t j) const;
  double log_count(std::size_t x, std::size_t u, bool fail, std::size_t j) const;
  std::optional<std::size_t> planned(const TrustState& state) const;
  int overshoot(std::size_t x, std::size_t u, std::size_t f, bool fail);
  double plan(std::size_t x, std::size_t u, std::size_t f, bool fail, std::size_t used);

  std::size_t m_n;
  std::size_t m_cap;
  std::vector<double> m_log_factorial;
  std::vector<double> m_log_weight;  // per configuration with d culprits, d = 0..n
  std::vector<int> m_target;         // T(d)
  // Small n only: least worst overshoot over T(d) from a state, and the
  // planned cut with the expected probes (times the state's weight) it leads to.
  std::map<PlanKey, int> m_overshoot;
  std::map<PlanKey, std::pair<double, std::size_t>> m_plan;
  int m_allowed = 0;  // worst overshoot of the plan from the start
};

}  // namespace driftlock::bisect
