#include <catch2/catch.hpp>

#include "support/bisect_simulation.hpp"

using namespace driftlock::bisect;

TEST_CASE("simulated world: culprits, needs, unresolved, flakes", "[bisect][simulation]") {
  World w;
  w.changes = 6;
  w.culprits = {{1}, {3, 4}};
  w.needs = {{5, 0}};
  SimulatedOracle oracle(w);
  struct Case {
    Subset subset;
    Outcome outcome;
  };
  for (const Case& c : {Case{{}, Outcome::pass}, Case{{1}, Outcome::fail}, Case{{3}, Outcome::pass},
                        Case{{3, 4}, Outcome::fail}, Case{{5}, Outcome::unresolved},
                        Case{{0, 5}, Outcome::pass}, Case{{0, 1, 5}, Outcome::fail}}) {
    CAPTURE(c.subset);
    CHECK(oracle.truth(c.subset) == c.outcome);
  }

  World random;
  random.changes = 10;
  random.unresolved_rate = 0.5;
  random.seed = 3;
  SimulatedOracle r(random);
  CHECK(r.truth({}) == Outcome::pass);  // the baseline and the full set always install
  CHECK(r.truth({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) == Outcome::pass);
  int unresolved = 0;
  for (std::size_t i = 0; i < 10; ++i) {
    for (std::size_t j = i + 1; j < 10; ++j) {
      unresolved += r.truth({i, j}) == Outcome::unresolved ? 1 : 0;
      CHECK(r.truth({i, j}) == r.truth({i, j}));
    }
  }
  CHECK(unresolved > 10);
  CHECK(unresolved < 35);

  World flaky;
  flaky.changes = 3;
  flaky.flake_rate = 0.5;
  flaky.seed = 11;
  SimulatedOracle f(flaky);
  int fails = 0;
  for (int run = 0; run < 40; ++run) {
    std::vector<ProbeRequest> batch = {{{0, 1}, run}};
    auto first = f.probe(batch);
    CHECK(f.probe(batch) == first);  // the same run always answers the same
    fails += first[0] == Outcome::fail ? 1 : 0;
  }
  CHECK(fails > 8);
  CHECK(fails < 32);
  CHECK(seeded_uniform(1, {1, 2}, 0) == seeded_uniform(1, {1, 2}, 0));
  CHECK(seeded_uniform(1, {1, 2}, 0) != seeded_uniform(2, {1, 2}, 0));
}
