#include "bisect/trust_split.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "bisect/search.hpp"

namespace driftlock::bisect {
namespace {

constexpr double kNone = -std::numeric_limits<double>::infinity();
// The "few culprits" half of the prior (docs/performance.md has the
// calibration): a steeper decay or a larger share helps one culprit and
// costs many.
constexpr double kFewExponent = 2.5;
constexpr double kFewShare = 0.5;

double log_add(double a, double b) {
  if (a == kNone) return b;
  if (b == kNone) return a;
  const double top = std::max(a, b);
  return top + std::log(std::exp(a - top) + std::exp(b - top));
}

}  // namespace

TrustSplit::TrustSplit(std::size_t n)
    : m_n(n), m_cap(n + 3), m_log_factorial(n + 1, 0.0), m_log_weight(n + 1, kNone) {
  for (std::size_t p = 1; p < n; p *= 2) ++m_cap;  // + ceil(log2 n)
  for (std::size_t i = 1; i <= n; ++i) {
    m_log_factorial[i] = m_log_factorial[i - 1] + std::log(static_cast<double>(i));
  }
  m_target.assign(n + 1, 0);
  std::vector<double> few(n + 1, kNone);
  std::vector<double> kraft(n + 1, kNone);
  double few_total = kNone;
  double kraft_total = kNone;
  for (std::size_t d = 1; d <= n; ++d) {
    m_target[d] = static_cast<int>(std::min<std::size_t>(information_bound(n, d) + d + 1, n + 1));
    few[d] = -kFewExponent * std::log(static_cast<double>(d));
    kraft[d] = log_choose(n, d) - static_cast<double>(m_target[d]) * std::log(2.0);
    few_total = log_add(few_total, few[d]);
    kraft_total = log_add(kraft_total, kraft[d]);
  }
  for (std::size_t d = 1; d <= n; ++d) {
    const double prior = log_add(std::log(kFewShare) + few[d] - few_total,
                                 std::log(1.0 - kFewShare) + kraft[d] - kraft_total);
    m_log_weight[d] = prior - log_choose(n, d);
  }
  if (n >= 1 && n <= kPlanned) {
    m_allowed = overshoot(n, 0, 0, true);
    plan(n, 0, 0, true, 0);
  }
}

int TrustSplit::overshoot(std::size_t x, std::size_t u, std::size_t f, bool fail) {
  // The least possible "probes still to come - T(d)" over every placement
  // still possible, whatever was spent so far.
  if (!fail && x == 0) return f == 0 ? -1'000'000 : -m_target[f];
  if (fail && x == 1) return overshoot(u, 0, f + 1, false);
  const PlanKey key{x, u, f, fail, 0};
  if (auto it = m_overshoot.find(key); it != m_overshoot.end()) return it->second;
  int best = 1'000'000;
  for (std::size_t s = 1; s <= (fail ? x - 1 : x); ++s) {
    const int passes = overshoot(x - s, u, f, fail);
    const int fails = overshoot(s, u + x - s, f, true);
    best = std::min(best, 1 + std::max(passes, fails));
  }
  m_overshoot[key] = best;
  return best;
}

double TrustSplit::plan(std::size_t x, std::size_t u, std::size_t f, bool fail, std::size_t used) {
  // Expected probes still to come, times the weight of the state, among the
  // cuts that keep the worst overshoot at the start's.
  if (!fail && x == 0) return 0.0;
  if (fail && x == 1) return plan(u, 0, f + 1, false, used);
  const PlanKey key{x, u, f, fail, used};
  if (auto it = m_plan.find(key); it != m_plan.end()) return it->second.first;
  const double here = std::exp(log_mass(x, u, f, fail));
  std::pair<double, std::size_t> best{std::numeric_limits<double>::infinity(), 0};
  for (std::size_t s = 1; s <= (fail ? x - 1 : x); ++s) {
    const int worst = std::max(overshoot(x - s, u, f, fail), overshoot(s, u + x - s, f, true));
    if (static_cast<int>(used) + 1 + worst > m_allowed) continue;
    const double cost =
        here + plan(x - s, u, f, fail, used + 1) + plan(s, u + x - s, f, true, used + 1);
    if (cost < best.first * (1 - 1e-12)) best = {cost, s};
  }
  m_plan[key] = best;
  return best.first;
}

std::optional<std::size_t> TrustSplit::planned(const TrustState& s) const {
  auto it =
      m_plan.find(PlanKey{s.candidates, s.unknown_elsewhere, s.found, s.candidates_fail, s.used});
  if (it == m_plan.end() || it->second.second == 0) return std::nullopt;
  return it->second.second;
}

double TrustSplit::log_choose(std::size_t m, std::size_t j) const {
  if (j > m) return kNone;
  return m_log_factorial[m] - m_log_factorial[j] - m_log_factorial[m - j];
}

double TrustSplit::log_count(std::size_t x, std::size_t u, bool fail, std::size_t j) const {
  // Placements of j culprits among x + u changes; with the candidates known
  // to fail, at least one among the x.
  const double all = log_choose(x + u, j);
  if (!fail || all == kNone) return all;
  const double none_among = log_choose(u, j);
  if (none_among == kNone) return all;
  const double share = none_among - all;
  return share >= 0 ? kNone : all + std::log1p(-std::exp(share));
}

double TrustSplit::log_mass(std::size_t candidates, std::size_t elsewhere, std::size_t found,
                            bool candidates_fail) const {
  double total = kNone;
  for (std::size_t j = 0; j <= candidates + elsewhere && found + j <= m_n; ++j) {
    if (found + j == 0) continue;  // the full candidate failed: some culprit exists
    const double count = log_count(candidates, elsewhere, candidates_fail, j);
    if (count != kNone) total = log_add(total, count + m_log_weight[found + j]);
  }
  return total;
}

bool TrustSplit::one_at_a_time(const TrustState& state) const {
  // Testing changes alone beats any group once each is a culprit with at
  // least this chance (Ungar, 1960: (3 - sqrt(5)) / 2).
  constexpr double kAlone = 0.382;
  const std::size_t x = state.candidates;
  if (x == 0 || (state.candidates_fail && x == 1) || planned(state)) return false;
  const double all = log_mass(x, state.unknown_elsewhere, state.found, state.candidates_fail);
  const double first_passes =
      log_mass(x - 1, state.unknown_elsewhere, state.found, state.candidates_fail);
  return 1.0 - std::exp(first_passes - all) >= kAlone;
}

std::vector<std::size_t> TrustSplit::sizes(const TrustState& state, std::size_t count) const {
  const std::size_t x = state.candidates;
  const std::size_t hi = state.candidates_fail ? x - 1 : x;
  if (x == 0 || hi == 0 || count == 0) return {};
  // Up to five changes the plan's fewest builds beat parallel cuts: they
  // take as many rounds.
  if (auto s = planned(state)) return {*s};
  const std::size_t unknown = x + state.unknown_elsewhere;
  // Serial searches only: parallel ones trade builds for rounds anyway.
  if (count == 1 && state.used + 1 + unknown > m_cap) return {1};

  const double all = log_mass(x, state.unknown_elsewhere, state.found, state.candidates_fail);
  // Weight of "the first s candidates pass", relative to everything possible;
  // it falls as s grows.
  auto passing = [&](std::size_t s) {
    return std::exp(log_mass(x - s, state.unknown_elsewhere, state.found, state.candidates_fail) -
                    all);
  };
  std::vector<std::size_t> out;
  for (std::size_t k = 1; k <= count; ++k) {
    const double target = 1.0 - static_cast<double>(k) / static_cast<double>(count + 1);
    std::size_t lo = 1;
    std::size_t up = hi;
    while (lo < up) {
      const std::size_t mid = lo + (up - lo) / 2;
      if (passing(mid) > target) {
        lo = mid + 1;
      } else {
        up = mid;
      }
    }
    std::size_t s = lo;
    if (s > 1 && std::abs(passing(s - 1) - target) <= std::abs(passing(s) - target)) --s;
    if (!out.empty() && s <= out.back()) s = out.back() + 1;
    if (s > hi) break;
    out.push_back(s);
  }
  return out;
}

}  // namespace driftlock::bisect
