// Shared helpers for the culprit-search tests.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "bisect/search.hpp"
#include "support/bisect_simulation.hpp"

namespace driftlock::bisect::testing {

// n changes "c0".."c{n-1}", published an hour apart in index order.
inline std::vector<ChangeInfo> changes(std::size_t n) {
  std::vector<ChangeInfo> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i].label = "c" + std::to_string(i);
    out[i].published = Timestamp(std::chrono::seconds(1'700'000'000 + 3600 * i));
  }
  return out;
}

inline std::vector<Subset> sorted_sets(std::vector<Subset> sets) {
  for (Subset& s : sets) std::sort(s.begin(), s.end());
  std::sort(sets.begin(), sets.end());
  return sets;
}

inline std::vector<Subset> named(const Verdict& v) {
  std::vector<Subset> out;
  for (const Culprit& c : v.culprits) out.push_back(c.changes);
  return sorted_sets(out);
}

inline World world(std::size_t n, std::vector<Subset> culprits) {
  World w;
  w.changes = n;
  w.culprits = sorted_sets(std::move(culprits));
  return w;
}

// No subset is built twice except deliberate re-runs, which number their runs 1, 2...
inline bool memoised(const Verdict& v) {
  std::set<std::pair<Subset, int>> seen;
  std::set<Subset> first;
  for (const Probe& p : v.probes) {
    if (!seen.insert({p.subset, p.run}).second) return false;
    if (p.run == 0 && !first.insert(p.subset).second) return false;
  }
  return true;
}

inline int budget(std::size_t n, std::size_t d) {
  return information_bound(n, d) + static_cast<int>(d) + 2;
}

// Answers from a function of the subset: for worlds the simulation cannot express.
class FunctionOracle final : public Oracle {
 public:
  explicit FunctionOracle(std::function<Outcome(const Subset&)> f) : m_f(std::move(f)) {}
  std::vector<Outcome> probe(std::span<const ProbeRequest> batch) override {
    std::vector<Outcome> out;
    for (const ProbeRequest& r : batch) out.push_back(m_f(r.subset));
    return out;
  }

 private:
  std::function<Outcome(const Subset&)> m_f;
};

inline bool has(const Subset& s, std::size_t c) {
  return std::binary_search(s.begin(), s.end(), c);
}

}  // namespace driftlock::bisect::testing
