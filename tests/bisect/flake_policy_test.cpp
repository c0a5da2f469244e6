// The flaky-tests plan: evidence tallied from builds, the estimated rate,
// the mode and confirmations each setting chooses, and `auto` turning careful
// when a trusting search sees its outcomes contradict each other.
#include "bisect/flake_policy.hpp"

#include <catch2/catch.hpp>

#include "bisect/helpers.hpp"

using namespace driftlock;
using namespace driftlock::bisect;
using namespace driftlock::bisect::testing;

TEST_CASE("flake policy: builds of candidates that also passed are the evidence") {
  struct Case {
    std::vector<BuildRecord> builds;
    int passing_builds;
    int flakes;
  };
  const Case cases[] = {
      {{}, 0, 0},
      {{{"a", Outcome::pass}, {"b", Outcome::fail}}, 1, 0},  // b may be broken: not evidence
      {{{"a", Outcome::pass}, {"a", Outcome::fail}}, 2, 1},
      {{{"a", Outcome::fail}, {"a", Outcome::fail}, {"a", Outcome::pass}, {"b", Outcome::pass}},
       4,
       2},
      {{{"a", Outcome::unresolved}, {"a", Outcome::pass}}, 1, 0},
  };
  for (const Case& c : cases) {
    const FlakeHistory history = tally(c.builds);
    CHECK(history.passing_builds == c.passing_builds);
    CHECK(history.flakes == c.flakes);
  }

  // A search's own probes: a subset is a candidate.
  const std::vector<Probe> probes = {{1, {0, 1}, 0, Outcome::fail, 1, ""},
                                     {2, {0, 1}, 1, Outcome::pass, 2, ""},
                                     {3, {2}, 0, Outcome::fail, 2, ""}};
  const FlakeHistory seen = tally(probes);
  CHECK(seen.passing_builds == 2);
  CHECK(seen.flakes == 1);
}

TEST_CASE("flake policy: the rule of succession, capped") {
  struct Case {
    FlakeHistory history;
    double rate;
  };
  const Case cases[] = {
      {{0, 0}, 0.0},           {{50, 0}, 0.0},          {{8, 1}, 0.2},
      {{100, 20}, 21.0 / 102}, {{2, 1}, kMaxFlakeRate}, {{1000, 5}, 6.0 / 1002},
  };
  for (const Case& c : cases) CHECK(estimated_flake_rate(c.history) == Approx(c.rate));
}

TEST_CASE("flake policy: the plan each setting makes") {
  struct Case {
    FlakyTests setting;
    FlakeHistory history;
    std::optional<int> confirmations;
    Flakiness flakiness;
    int expected_confirmations;
    bool recheck;
    std::string why;
  };
  const Case cases[] = {
      {FlakyTests::trust,
       {8, 1},
       std::nullopt,
       Flakiness::trust,
       1,
       false,
       "flaky-tests = trust: every outcome is believed, no build is run twice"},
      {FlakyTests::automatic,
       {},
       std::nullopt,
       Flakiness::trust,
       1,
       true,
       "flaky-tests = auto, trusting: no build on record yet (a failure that stops the run is "
       "re-checked; outcomes that contradict each other switch to careful)"},
      {FlakyTests::automatic,
       {40, 0},
       std::nullopt,
       Flakiness::trust,
       1,
       true,
       "flaky-tests = auto, trusting: no flake in 40 builds of passing candidates (a failure "
       "that stops the run is re-checked; outcomes that contradict each other switch to "
       "careful)"},
      {FlakyTests::automatic,
       {8, 1},
       std::nullopt,
       Flakiness::expect,
       3,
       true,
       "flaky-tests = auto, careful: 1 failing build in 8 builds of candidates that also passed: "
       "every failure must repeat; each blame needs 3 failing builds for 99% confidence at an "
       "estimated flake rate of 20%"},
      {FlakyTests::expect,
       {},
       std::nullopt,
       Flakiness::expect,
       3,
       true,
       "flaky-tests = expect (no flake recorded yet: assumed): every failure must repeat; each "
       "blame needs 3 failing builds for 99% confidence at an estimated flake rate of 20%"},
      {FlakyTests::expect,
       {1000, 5},
       std::nullopt,
       Flakiness::expect,
       1,
       true,
       "flaky-tests = expect (5 failing builds in 1000 builds of candidates that also passed): "
       "every failure must repeat; each blame needs 1 failing build for 99% confidence at an "
       "estimated flake rate of 1%"},
      {FlakyTests::expect,
       {},
       2,
       Flakiness::expect,
       2,
       true,
       "flaky-tests = expect (no flake recorded yet: assumed): every failure must repeat; each "
       "blame needs 2 failing builds (--confirmations)"},
  };
  for (const Case& c : cases) {
    const SearchPlan plan = plan_search(c.setting, c.history, c.confirmations);
    CHECK(plan.flakiness == c.flakiness);
    CHECK(plan.confirmations == c.expected_confirmations);
    CHECK(plan.recheck_stops == c.recheck);
    CHECK(plan.why == c.why);
  }
}

TEST_CASE("flake policy: a blame below the confidence is suspected") {
  Culprit culprit;
  culprit.flake_chance = 0.0;
  CHECK_FALSE(is_suspected(culprit));
  culprit.flake_chance = 0.01;
  CHECK_FALSE(is_suspected(culprit));
  culprit.flake_chance = 0.04;
  CHECK(is_suspected(culprit));
}

TEST_CASE("flake policy: auto searches again carefully when trusted outcomes contradict") {
  // Over seeded flaky worlds, every trusting search that saw a contradiction
  // is followed by a careful one, in one probe log. (Parallel cuts are
  // nested: a failing cut inside a passing one of the same round is such a
  // contradiction.)
  SearchOptions parallel;
  parallel.jobs = 2;
  int switched = 0;
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    World w = world(16, {{11}});
    w.flake_rate = 0.3;
    w.seed = seed;
    SimulatedOracle oracle(w);
    SearchPlan plan = plan_search(FlakyTests::automatic, {});
    REQUIRE(plan.flakiness == Flakiness::trust);
    auto verdict = search_with_plan(changes(16), oracle, parallel, plan, {});
    REQUIRE(verdict);
    for (std::size_t i = 0; i < verdict->probes.size(); ++i) {
      CHECK(verdict->probes[i].number == i + 1);
    }
    if (!verdict->flakiness_seen) {
      CHECK(plan.flakiness == Flakiness::trust);
      continue;
    }
    ++switched;
    CHECK(plan.flakiness == Flakiness::expect);
    CHECK(plan.why.ends_with("(outcomes in this run contradicted each other)"));
    CHECK(plan.confirmations >= 2);
    const bool reran = std::any_of(verdict->probes.begin(), verdict->probes.end(),
                                   [](const Probe& p) { return p.run > 0; });
    CHECK(reran);
    for (const Culprit& culprit : verdict->culprits) {
      for (std::size_t number : culprit.evidence) CHECK(number <= verdict->probes.size());
    }
  }
  CHECK(switched > 0);

  // `trust` never searches twice.
  World w = world(16, {{11}});
  w.flake_rate = 0.3;
  w.seed = 7;
  SimulatedOracle oracle(w);
  SearchPlan trust = plan_search(FlakyTests::trust, {});
  auto verdict = search_with_plan(changes(16), oracle, {}, trust, {});
  REQUIRE(verdict);
  CHECK(trust.flakiness == Flakiness::trust);
  CHECK(std::none_of(verdict->probes.begin(), verdict->probes.end(),
                     [](const Probe& p) { return p.run > 0; }));
}

TEST_CASE("flake policy: auto builds the full candidate again when a blame rests on it alone") {
  // The newest change is the culprit: only the full candidate's build (given
  // by the caller) points at it.
  int full_builds = 0;
  FunctionOracle last([&](const Subset& s) {
    if (s.size() == 8) ++full_builds;
    return has(s, 7) ? Outcome::fail : Outcome::pass;
  });
  SearchPlan plan = plan_search(FlakyTests::automatic, {});
  auto verdict = search_with_plan(changes(8), last, {}, plan, {});
  REQUIRE(verdict);
  REQUIRE(verdict->culprits.size() == 1);
  CHECK(verdict->culprits[0].changes == Subset{7});
  CHECK(verdict->culprits[0].failing_builds == 2);
  CHECK(plan.flakiness == Flakiness::trust);
  CHECK(full_builds == 1);
  const Probe& again = verdict->probes.back();
  CHECK(again.subset.size() == 8);
  CHECK(again.run == 1);
  CHECK(again.purpose ==
        "confirm: the full candidate again (the blame rests on its one failing build)");
  CHECK(std::find(verdict->culprits[0].evidence.begin(), verdict->culprits[0].evidence.end(),
                  again.number) != verdict->culprits[0].evidence.end());

  // A culprit found by the search's own builds costs no re-run.
  FunctionOracle early([](const Subset& s) { return has(s, 2) ? Outcome::fail : Outcome::pass; });
  SearchPlan trusting = plan_search(FlakyTests::automatic, {});
  auto found = search_with_plan(changes(8), early, {}, trusting, {});
  REQUIRE(found);
  CHECK(named(*found) == std::vector<Subset>{{2}});
  CHECK(std::none_of(found->probes.begin(), found->probes.end(),
                     [](const Probe& p) { return p.run > 0; }));

  // The full candidate's failure was the flake: nothing is blamed.
  FunctionOracle flaky([](const Subset&) { return Outcome::pass; });
  SearchPlan plan2 = plan_search(FlakyTests::automatic, {});
  auto cleared = search_with_plan(changes(8), flaky, {}, plan2, {});
  REQUIRE(cleared);
  CHECK(cleared->culprits.empty());
  CHECK(cleared->flakiness_seen);
  CHECK(plan2.flakiness == Flakiness::expect);
  CHECK(plan2.why.ends_with("(the full candidate failed once and passed when built again)"));
}
