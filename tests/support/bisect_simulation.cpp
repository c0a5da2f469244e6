#include "support/bisect_simulation.hpp"

#include <algorithm>

namespace driftlock::bisect {
namespace {

std::uint64_t mix(std::uint64_t x) {
  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

bool contains(const Subset& subset, std::size_t change) {
  return std::binary_search(subset.begin(), subset.end(), change);
}

}  // namespace

double seeded_uniform(std::uint64_t seed, const Subset& subset, std::uint64_t salt) {
  std::uint64_t h = mix(seed ^ mix(salt));
  for (std::size_t c : subset) h = mix(h ^ static_cast<std::uint64_t>(c));
  h = mix(h ^ subset.size());
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

Outcome SimulatedOracle::truth(const Subset& subset) const {
  for (auto [a, b] : m_world.needs) {
    if (contains(subset, a) && !contains(subset, b)) return Outcome::unresolved;
  }
  // The baseline and the full candidate are known to install.
  bool edge = subset.empty() || subset.size() == m_world.changes;
  if (!edge && m_world.unresolved_rate > 0 &&
      seeded_uniform(m_world.seed, subset, 0x756e7265736f6c76ULL) < m_world.unresolved_rate) {
    return Outcome::unresolved;
  }
  for (const Subset& culprit : m_world.culprits) {
    if (std::includes(subset.begin(), subset.end(), culprit.begin(), culprit.end())) {
      return Outcome::fail;
    }
  }
  return Outcome::pass;
}

std::vector<Outcome> SimulatedOracle::probe(std::span<const ProbeRequest> batch) {
  ++m_calls;
  std::vector<Outcome> out;
  for (const ProbeRequest& request : batch) {
    ++m_probes;
    if (m_error_at && *m_error_at == m_probes) {
      out.push_back(Outcome::error);
      continue;
    }
    Outcome o = truth(request.subset);
    if (o == Outcome::pass && m_world.flake_rate > 0 &&
        seeded_uniform(m_world.seed, request.subset,
                       0x666c616b65ULL + static_cast<std::uint64_t>(request.run)) <
            m_world.flake_rate) {
      o = Outcome::fail;
    }
    out.push_back(o);
  }
  return out;
}

}  // namespace driftlock::bisect
