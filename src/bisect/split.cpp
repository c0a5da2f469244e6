#include "bisect/split.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace driftlock::bisect {
namespace {

double ln_choose(std::size_t m, std::size_t j) {
  if (j > m) return -INFINITY;
  auto f = [](std::size_t v) { return std::lgamma(static_cast<double>(v) + 1.0); };
  return f(m) - f(j) - f(m - j);
}

// Beyond this many further culprits the weights are negligible.
constexpr std::size_t max_extra = 24;

// Calibrated with tools/bench/bisect_sim (see docs/performance.md):
// log2 weight bonus for one and two culprits (their budgets have the least
// slack), and the decay per culprit beyond three (no budget to protect).
constexpr std::array<double, 4> bonus = {0.0, 1.0, 0.5, 0.0};
constexpr double decay_per_culprit = 3.0;
// A power-of-two cut is taken instead of the balanced one when it moves at
// most this share of the weight: it saves the probe a binary search loses to
// rounding.
constexpr double snap_tolerance = 0.15;

// Makes `sizes` strictly increasing inside [1, hi], dropping what does not fit.
std::vector<std::size_t> tidy(std::vector<std::size_t> sizes, std::size_t hi) {
  std::vector<std::size_t> out;
  for (std::size_t s : sizes) {
    s = std::clamp<std::size_t>(s, 1, hi);
    if (!out.empty() && s <= out.back()) s = out.back() + 1;
    if (s <= hi) out.push_back(s);
  }
  return out;
}

}  // namespace

double SplitModel::log2_weight(std::size_t d) const {
  double bound = std::ceil(ln_choose(m_n, d) / std::log(2.0) - 1e-9);
  double adjust = d < bonus.size() ? bonus[d] : -decay_per_culprit * static_cast<double>(d - 3);
  return -bound + adjust;
}

std::vector<std::size_t> SplitModel::sizes(const SplitState& state, std::size_t count) const {
  const std::size_t x = state.candidates;
  const std::size_t hi = state.candidates_fail ? x - 1 : x;
  if (x == 0 || hi == 0 || count == 0) return {};
  const std::size_t total_unknown = x + state.unknown_elsewhere;
  const std::size_t room = m_n > state.found ? m_n - state.found : 0;
  const std::size_t extra = std::min({total_unknown, room, max_extra});

  // base[j]: ln of (C(total_unknown, j) * weight(found + j)), the mass of all
  // configurations with j more culprits before any condition is applied.
  std::vector<double> base(extra + 1);
  double top = -INFINITY;
  for (std::size_t j = 0; j <= extra; ++j) {
    base[j] = ln_choose(total_unknown, j) + log2_weight(state.found + j) * std::log(2.0);
    top = std::max(top, base[j]);
  }
  // Mass of configurations with at least one culprit among the first s candidates.
  auto hit = [&](std::size_t s) {
    double sum = 0;
    for (std::size_t j = 1; j <= extra; ++j) {
      double miss = ln_choose(total_unknown - s, j) - ln_choose(total_unknown, j);
      sum += std::exp(base[j] - top) * -std::expm1(miss);
    }
    return sum;
  };
  // Everything still possible: with the full cut failing, configurations that
  // put no culprit among the candidates are excluded.
  double total = 0;
  for (std::size_t j = 0; j <= extra; ++j) {
    double keep = 1.0;
    if (state.candidates_fail) {
      keep = j == 0
                 ? 0.0
                 : -std::expm1(ln_choose(state.unknown_elsewhere, j) - ln_choose(total_unknown, j));
    }
    total += std::exp(base[j] - top) * keep;
  }

  std::vector<std::size_t> out;
  for (std::size_t k = 1; k <= count; ++k) {
    const double target = total * static_cast<double>(k) / static_cast<double>(count + 1);
    // hit() grows with s: the first s reaching the target, or the one just below it.
    std::size_t lo = 1;
    std::size_t up = hi;
    while (lo < up) {
      std::size_t mid = lo + (up - lo) / 2;
      if (hit(mid) < target) {
        lo = mid + 1;
      } else {
        up = mid;
      }
    }
    std::size_t s = lo;
    if (s > 1 && std::abs(hit(s - 1) - target) < std::abs(hit(s) - target)) --s;
    if (count == 1) {
      std::size_t p2 = 1;
      while (p2 * 2 <= s) p2 *= 2;
      std::size_t best = s;
      for (std::size_t c : {p2, p2 * 2}) {
        if (c > hi) continue;
        double miss = std::abs(hit(c) - target);
        if (miss <= snap_tolerance * total && (best == s || miss < std::abs(hit(best) - target))) {
          best = c;
        }
      }
      s = best;
    }
    out.push_back(s);
  }
  return tidy(std::move(out), hi);
}

std::vector<std::size_t> even_sizes(std::size_t candidates, bool candidates_fail,
                                    std::size_t count) {
  const std::size_t hi = candidates_fail ? candidates - 1 : candidates;
  if (candidates == 0 || hi == 0 || count == 0) return {};
  std::vector<std::size_t> out;
  for (std::size_t k = 1; k <= count; ++k) {
    out.push_back((candidates * k + (count + 1) / 2) / (count + 1));
  }
  return tidy(std::move(out), hi);
}

}  // namespace driftlock::bisect
