#include "bisect/plan.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>

#include "bisect/search.hpp"

namespace driftlock::bisect {
namespace {

constexpr std::size_t kMaxCulprits = 3;  // the target is stated for d = 1..3
// A placement over target by k probes costs kOvershoot^(k-1): mostly "how
// many are over", but a plan that gambles a few placements into target by
// sending the rest far over is worse than one that keeps every overshoot
// small (counting only placements over target sent some 5 probes over).
constexpr double kOvershoot = 1.5;
constexpr std::size_t kLevels = 8;  // overshoots beyond this cost the same

double penalty(double over_by) {
  if (over_by <= 0) return 0;
  return std::pow(kOvershoot, std::min(over_by, static_cast<double>(kLevels)) - 1);
}

}  // namespace

std::shared_ptr<const BudgetPlan> BudgetPlan::for_changes(std::size_t n) {
  if (n == 0 || n > kMaxChanges) return nullptr;
  // The table is a pure function of n: one per n and process, shared by
  // every search.
  static std::mutex mutex;
  static std::map<std::size_t, std::shared_ptr<const BudgetPlan>> plans;
  std::lock_guard lock(mutex);
  auto& plan = plans[n];
  if (!plan) plan = std::make_shared<const BudgetPlan>(n);
  return plan;
}

BudgetPlan::BudgetPlan(std::size_t n)
    : m_n(n), m_target(kMaxCulprits + 1, 0.0), m_weight(kMaxCulprits + 1, 0.0) {
  m_choose.assign(n + 1, std::vector<double>(kMaxCulprits + 1, 0.0));
  for (std::size_t m = 0; m <= n; ++m) {
    m_choose[m][0] = 1.0;
    for (std::size_t j = 1; j <= kMaxCulprits && j <= m; ++j) {
      m_choose[m][j] = m_choose[m - 1][j - 1] + (j <= m - 1 ? m_choose[m - 1][j] : 0.0);
    }
  }
  m_cap = 0;
  for (std::size_t d = 1; d <= kMaxCulprits && d <= n; ++d) {
    std::size_t target = static_cast<std::size_t>(information_bound(n, d)) + d + 2;
    m_target[d] = static_cast<double>(target);
    m_weight[d] = 1.0 / m_choose[n][d];
    m_cap = std::max(m_cap, target + kLevels + 1);
  }
  m_memo.assign((n + 1) * (n + 1) * (kMaxCulprits + 1) * 4 * (m_cap + 1), -1.0);
}

std::size_t BudgetPlan::index(std::size_t x, std::size_t u, std::size_t f, bool fail, bool bare,
                              std::size_t used) const {
  std::size_t i = x;
  i = i * (m_n + 1) + u;
  i = i * (kMaxCulprits + 1) + f;
  i = i * 4 + (fail ? 2 : 0) + (bare ? 1 : 0);
  return i * (m_cap + 1) + used;
}

double BudgetPlan::count(std::size_t x, std::size_t u, std::size_t j, bool fail) const {
  // Placements of j culprits among the x + u unknown changes; with the
  // candidates known to fail, at least one among the candidates.
  if (j > x + u) return 0.0;
  double all = m_choose[x + u][j];
  if (fail) all -= j <= u ? m_choose[u][j] : 0.0;
  return all;
}

double BudgetPlan::mass(std::size_t x, std::size_t u, std::size_t f, bool fail) const {
  double total = 0;
  for (std::size_t d = std::max<std::size_t>(f, 1); d <= kMaxCulprits && d <= m_n; ++d) {
    total += m_weight[d] * count(x, u, d - f, fail);
  }
  return total;
}

double BudgetPlan::terminal(std::size_t f, std::size_t used) const {
  // Every change is accounted for: the f culprits found are all there are.
  if (f == 0 || f > kMaxCulprits || f > m_n) return 0.0;
  return m_weight[f] * penalty(static_cast<double>(used) - m_target[f]);
}

double BudgetPlan::cut_value(std::size_t x, std::size_t u, std::size_t f, bool fail, bool bare,
                             std::size_t used, std::size_t s) const {
  // Fails: the first s candidates hold a culprit; the rest are set aside.
  double v = value(s, u + x - s, f, true, bare, used + 1);
  // Passes: they are cleared. The full cut passing (nothing known to fail)
  // is "every change except the culprits", which ends the search.
  if (!fail && s == x && u == 0) return v + terminal(f, used + 1);
  return v + value(x - s, u, f, fail, false, used + 1);
}

double BudgetPlan::value(std::size_t x, std::size_t u, std::size_t f, bool fail, bool bare,
                         std::size_t used) const {
  if (f > kMaxCulprits) return 0.0;
  const double here = mass(x, u, f, fail);
  if (here <= 0.0) return 0.0;
  if (!fail && x == 0) {
    // Reached by holding back the last culprit with nothing set aside:
    // "every change except the culprits" still has to be built.
    return terminal(f, used + 1);
  }
  if (used >= m_cap) return here * penalty(static_cast<double>(kLevels) + 1);
  double& memo = m_memo[index(x, u, f, fail, bare, used)];
  if (memo >= 0.0) return memo;
  double best = 0;
  if (fail && x == 1) {
    // Located: built alone to verify it, unless the cut already was the
    // change alone (nothing cleared yet).
    best = value(u, 0, f + 1, false, bare, used + (bare ? 0 : 1));
  } else if (fail && x == 2) {
    // One of the last two alone: the oldest fails (located and verified),
    // or passes and the other is built alone. Either way the other one is
    // set aside. When the oldest passed, the placements left are those
    // among the u set-aside changes, which the search still counts as u + 1.
    const double located = value(u + 1, 0, f + 1, false, bare, used + 1);
    const double next = value(u + 1, 0, f + 1, false, bare, used + 2);
    const double full = mass(u + 1, 0, f + 1, false);
    double second = 0;
    for (std::size_t d = std::max<std::size_t>(f + 1, 1); d <= kMaxCulprits && d <= m_n; ++d) {
      second += m_weight[d] * (d - f - 1 <= u ? m_choose[u][d - f - 1] : 0.0);
    }
    double first = 0;
    for (std::size_t d = std::max<std::size_t>(f + 1, 1); d <= kMaxCulprits && d <= m_n; ++d) {
      first += m_weight[d] * m_choose[u + 1][d - f - 1];
    }
    best = (first > 0 ? located : 0.0) + (full > 0 ? next * second / full : 0.0);
  } else {
    const std::size_t hi = fail ? x - 1 : x;
    best = INFINITY;
    for (std::size_t s = 1; s <= hi; ++s) {
      best = std::min(best, cut_value(x, u, f, fail, bare, used, s));
      if (best <= 0.0) break;
    }
  }
  memo = best;
  return best;
}

std::optional<std::size_t> BudgetPlan::size(const PlanState& st, std::size_t preferred) const {
  const std::size_t x = st.candidates;
  const std::size_t hi = st.candidates_fail ? x - 1 : x;
  if (x == 0 || hi == 0 || st.found > kMaxCulprits || st.used >= m_cap ||
      x + st.unknown_elsewhere > m_n) {
    return std::nullopt;
  }
  std::lock_guard lock(m_mutex);
  const std::size_t u = st.unknown_elsewhere;
  const double eps = 1e-9 * m_weight[std::min(kMaxCulprits, m_n)];
  // Fewest placements over target first; then fewest left without a probe
  // to spare (the same count one probe later: spare probes re-check blames
  // when tests turn out flaky); then nearest the weighted split's choice.
  std::vector<double> v(hi + 1, 0.0);
  double best = INFINITY;
  for (std::size_t s = 1; s <= hi; ++s) {
    v[s] = cut_value(x, u, st.found, st.candidates_fail, st.bare, st.used, s);
    best = std::min(best, v[s]);
  }
  std::vector<double> tight(hi + 1, INFINITY);
  double best_tight = INFINITY;
  for (std::size_t s = 1; s <= hi; ++s) {
    if (v[s] > best + eps) continue;
    tight[s] = cut_value(x, u, st.found, st.candidates_fail, st.bare, st.used + 1, s);
    best_tight = std::min(best_tight, tight[s]);
  }
  std::optional<std::size_t> pick;
  auto dist = [&](std::size_t a) { return a > preferred ? a - preferred : preferred - a; };
  for (std::size_t s = 1; s <= hi; ++s) {
    if (tight[s] > best_tight + eps) continue;
    if (!pick || dist(s) < dist(*pick)) pick = s;
  }
  return pick;
}

double BudgetPlan::over_share() const {
  std::lock_guard lock(m_mutex);
  return value(m_n, 0, 0, true, true, 0);
}

}  // namespace driftlock::bisect
