// A simulated world for tests and benchmarks: which change sets break the
// build, which subsets cannot be installed, how flaky the tests are. Pure and
// seeded: the same probe (subset and run) always gets the same answer.
// Test support, not part of the library: the bisect tests and
// tools/bench/bisect_sim (which compiles this file) use it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "bisect/search.hpp"

namespace driftlock::bisect {

struct World {
  std::size_t changes = 0;
  std::vector<Subset> culprits;  // a candidate fails when it contains one of these whole
  std::vector<std::pair<std::size_t, std::size_t>>
      needs;                   // (a, b): change a cannot be installed without b
  double unresolved_rate = 0;  // share of other subsets that cannot be installed
  double flake_rate = 0;       // a passing candidate reports fail with this chance, per run
  std::uint64_t seed = 0;
};

class SimulatedOracle final : public Oracle {
 public:
  explicit SimulatedOracle(World world) : m_world(std::move(world)) {}

  std::vector<Outcome> probe(std::span<const ProbeRequest> batch) override;

  // The outcome without flakes.
  Outcome truth(const Subset& subset) const;

  // Makes the probe with this 1-based number report an infrastructure error.
  void fail_probe(std::size_t number) { m_error_at = number; }
  std::size_t probes() const { return m_probes; }
  std::size_t calls() const { return m_calls; }

 private:
  World m_world;
  std::optional<std::size_t> m_error_at;
  std::size_t m_probes = 0;
  std::size_t m_calls = 0;
};

// A uniform number in [0, 1) from a seed and a subset: stable across runs and platforms.
double seeded_uniform(std::uint64_t seed, const Subset& subset, std::uint64_t salt);

}  // namespace driftlock::bisect
