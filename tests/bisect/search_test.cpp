#include <catch2/catch.hpp>

#include "bisect/search.hpp"

#include <functional>
#include <set>
#include <string>

#include "bisect/helpers.hpp"
#include "support/bisect_replay.hpp"
#include "support/bisect_simulation.hpp"

using namespace driftlock;
using namespace driftlock::bisect;
using namespace driftlock::bisect::testing;

TEST_CASE("one culprit at every position: exact, within ceil(log2 n) + 3 probes",
          "[bisect][search]") {
  for (std::size_t n : {1U, 2U, 3U, 5U, 8U, 16U, 33U}) {
    const auto list = changes(n);
    for (std::size_t culprit = 0; culprit < n; ++culprit) {
      CAPTURE(n, culprit);
      SimulatedOracle oracle(world(n, {{culprit}}));
      auto v = find_culprits(list, oracle);
      REQUIRE(v);
      CHECK(named(*v) == std::vector<Subset>{{culprit}});
      CHECK(static_cast<int>(v->probes.size()) <= budget(n, 1));
      CHECK(memoised(*v));
      CHECK(v->rest_verified);
      CHECK(v->flaky.empty());
      CHECK(v->unresolved.empty());
      CHECK_FALSE(v->flakiness_seen);
      for (std::size_t c = 0; c < n; ++c) {
        CHECK(v->decision_per_change[c] == (c == culprit ? Decision::blamed : Decision::cleared));
        CHECK(v->explanation_per_change[c].rfind(c == culprit ? "blamed" : "cleared", 0) == 0);
      }
    }
  }
}

TEST_CASE("several independent culprits: exact and within bound + d + 2", "[bisect][search]") {
  struct Case {
    std::size_t n;
    std::vector<Subset> culprits;
  };
  const std::vector<Case> cases = {
      {16, {{3}, {11}}},
      {33, {{0}, {32}}},
      {64, {{5}, {6}}},
      {64, {{10}, {40}, {50}}},
      {100, {{0}, {50}, {99}}},
      {256, {{17}, {200}}},
      {1024, {{3}, {517}, {1000}}},
      {8, {{1}, {6}}},
      {5, {{0}, {2}, {4}}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.n, c.culprits);
    SimulatedOracle oracle(world(c.n, c.culprits));
    auto v = find_culprits(changes(c.n), oracle);
    REQUIRE(v);
    CHECK(named(*v) == sorted_sets(c.culprits));
    CHECK(static_cast<int>(v->probes.size()) <= budget(c.n, c.culprits.size()));
    CHECK(memoised(*v));
    CHECK(v->rest_verified);
  }
}

TEST_CASE("every pair of culprits among 16 is named exactly", "[bisect][search]") {
  // The probe target bound + d + 2 cannot hold for every placement when the
  // number of culprits is unknown (docs/performance.md); the budget plan
  // keeps all but a few within it, none more than one probe over.
  int over = 0;
  for (std::size_t a = 0; a < 16; ++a) {
    for (std::size_t b = a + 1; b < 16; ++b) {
      CAPTURE(a, b);
      SimulatedOracle oracle(world(16, {{a}, {b}}));
      auto v = find_culprits(changes(16), oracle);
      REQUIRE(v);
      CHECK(named(*v) == std::vector<Subset>{{a}, {b}});
      CHECK(memoised(*v));
      int probes = static_cast<int>(v->probes.size());
      CHECK(probes <= budget(16, 2) + 1);
      if (probes > budget(16, 2)) ++over;
    }
  }
  CHECK(over <= 2);  // of 120 (3 before the plan)
}

TEST_CASE("few changes: every placement of one to three culprits within target",
          "[bisect][search][plan]") {
  // Includes three culprits among four, where each culprit is backed by a
  // single failing build unless the cuts are chosen with the re-runs in mind.
  for (std::size_t n : {3U, 4U, 5U}) {
    for (unsigned mask = 1; mask < (1U << n); ++mask) {
      std::vector<Subset> culprits;
      for (std::size_t c = 0; c < n; ++c) {
        if ((mask >> c) & 1U) culprits.push_back({c});
      }
      if (culprits.size() > 3 || culprits.size() >= n) continue;
      CAPTURE(n, culprits);
      SimulatedOracle oracle(world(n, culprits));
      auto v = find_culprits(changes(n), oracle);
      REQUIRE(v);
      CHECK(named(*v) == sorted_sets(culprits));
      CHECK(static_cast<int>(v->probes.size()) <= budget(n, culprits.size()));
      CHECK(memoised(*v));
      CHECK(v->rest_verified);
    }
  }
}

TEST_CASE("an interacting pair is named as a set, minimal", "[bisect][search]") {
  const auto list = changes(16);
  SimulatedOracle oracle(world(16, {{3, 9}}));
  auto v = find_culprits(list, oracle);
  REQUIRE(v);
  REQUIRE(named(*v) == std::vector<Subset>{{3, 9}});
  // Minimal: each member alone passes.
  CHECK(oracle.truth({3}) == Outcome::pass);
  CHECK(oracle.truth({9}) == Outcome::pass);
  CHECK(v->decision_per_change[3] == Decision::blamed);
  CHECK(v->decision_per_change[9] == Decision::blamed);
  CHECK(v->explanation_per_change[3].rfind("blamed (culprit 1) together with c9", 0) == 0);
  CHECK(memoised(*v));
}

TEST_CASE("an interacting pair next to an independent culprit", "[bisect][search]") {
  for (auto culprits : {std::vector<Subset>{{2, 12}, {7}}, std::vector<Subset>{{1}, {5, 6}},
                        std::vector<Subset>{{0, 31}, {15}}}) {
    CAPTURE(culprits);
    SimulatedOracle oracle(world(32, culprits));
    auto v = find_culprits(changes(32), oracle);
    REQUIRE(v);
    CHECK(named(*v) == sorted_sets(culprits));
    CHECK(v->rest_verified);
    CHECK(memoised(*v));
  }
}

TEST_CASE("a change that needs another to install", "[bisect][search][unresolved]") {
  // "Change 3 requires change 5": any candidate with 3 but not 5 is unresolved.
  World w = world(8, {{3}});
  w.needs = {{3, 5}};
  SimulatedOracle oracle(w);
  auto v = find_culprits(changes(8), oracle);
  REQUIRE(v);
  REQUIRE(v->culprits.size() == 1);
  CHECK(v->culprits[0].changes == Subset{3});
  CHECK(v->culprits[0].needs == Subset{5});
  CHECK(v->decision_per_change[5] == Decision::needed);
  CHECK(v->explanation_per_change[3].find("it cannot be installed without c5") !=
        std::string::npos);

  // The same constraint with the culprit elsewhere changes nothing.
  World other = world(8, {{6}});
  other.needs = {{3, 5}};
  SimulatedOracle oracle2(other);
  auto v2 = find_culprits(changes(8), oracle2);
  REQUIRE(v2);
  CHECK(named(*v2) == std::vector<Subset>{{6}});
  CHECK(v2->culprits[0].needs.empty());
}

TEST_CASE("changes no installable candidate separates are unresolved, not blamed",
          "[bisect][search][unresolved]") {
  // Changes 1 and 2 install only together; the failure comes with 1.
  FunctionOracle oracle([](const Subset& s) {
    if (has(s, 1) != has(s, 2)) return Outcome::unresolved;
    return has(s, 1) ? Outcome::fail : Outcome::pass;
  });
  auto v = find_culprits(changes(4), oracle);
  REQUIRE(v);
  CHECK(v->culprits.empty());
  CHECK(v->unresolved == std::vector<std::size_t>{1, 2});
  CHECK(v->decision_per_change[1] == Decision::unresolved);
  CHECK(v->explanation_per_change[1].rfind(
            "unresolved: not blamed; it could not be separated from c2", 0) == 0);
  CHECK(v->rest_verified);
}

TEST_CASE("random uninstallable subsets still give the culprits", "[bisect][search][unresolved]") {
  int exact = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    World w = world(32, {{seed % 32}, {(seed * 7 + 3) % 32}});
    if (w.culprits[0] == w.culprits[1]) w.culprits.pop_back();
    w.unresolved_rate = 0.10;
    w.seed = seed;
    SimulatedOracle oracle(w);
    auto v = find_culprits(changes(32), oracle);
    REQUIRE(v);
    CHECK(memoised(*v));
    if (named(*v) == w.culprits) ++exact;
  }
  CHECK(exact >= 38);
}

TEST_CASE("a spurious failure is reported as flaky, not blamed", "[bisect][search][flaky]") {
  // The first build (changes 0-4, no culprit) fails once by accident.
  class Flaky final : public Oracle {
   public:
    std::vector<Outcome> probe(std::span<const ProbeRequest> batch) override {
      auto out = m_world.probe(batch);
      if (m_calls++ == 0) out[0] = Outcome::fail;
      return out;
    }

   private:
    SimulatedOracle m_world{world(16, {{9}})};
    int m_calls = 0;
  } oracle;
  auto v = find_culprits(changes(16), oracle);
  REQUIRE(v);
  CHECK(named(*v) == std::vector<Subset>{{9}});
  CHECK(v->flakiness_seen);
  REQUIRE_FALSE(v->probes.empty());
  CHECK(v->probes[0].subset == Subset{0, 1, 2, 3, 4});
  CHECK(v->flaky == std::vector<std::size_t>{4});
  CHECK(v->decision_per_change[4] == Decision::flaky);
  CHECK(v->explanation_per_change[4] ==
        "flaky: a failure pointed at it (#1), but probe #7 passed with it applied; not blamed");
  CHECK(memoised(*v));
}

namespace {

// A reliable world plus scripted spurious failures of given (subset, run) probes.
class Scripted final : public Oracle {
 public:
  Scripted(World w, std::set<std::pair<Subset, int>> flakes)
      : m_world(std::move(w)), m_flakes(std::move(flakes)) {}
  std::vector<Outcome> probe(std::span<const ProbeRequest> batch) override {
    auto out = m_world.probe(batch);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (m_flakes.count({batch[i].subset, batch[i].run}) > 0) out[i] = Outcome::fail;
    }
    return out;
  }

 private:
  SimulatedOracle m_world;
  std::set<std::pair<Subset, int>> m_flakes;
};

}  // namespace

TEST_CASE("the spare probe re-checks the weakest blame", "[bisect][search][flaky]") {
  // c9 is the culprit. After it is found, "are there more?" fails spuriously
  // and so does c14 alone: two runs implicate c14, three implicate c9. The
  // one probe left under the target goes to c14, which then passes alone.
  Subset all_but_9;
  for (std::size_t c = 0; c < 16; ++c) {
    if (c != 9) all_but_9.push_back(c);
  }
  Scripted oracle(world(16, {{9}}), {{all_but_9, 0}, {Subset{14}, 0}});
  auto v = find_culprits(changes(16), oracle);
  REQUIRE(v);
  CHECK(named(*v) == std::vector<Subset>{{9}});
  CHECK(v->flaky == std::vector<std::size_t>{14});
  CHECK(v->flakiness_seen);
  CHECK(memoised(*v));
  bool rechecked = false;
  for (const Probe& p : v->probes) {
    if (p.purpose == "confirm: re-check a culprit") {
      CHECK(p.subset == Subset{14});
      rechecked = true;
    }
  }
  CHECK(rechecked);
}

TEST_CASE("flaky tests, seeded: more than three blames need more evidence",
          "[bisect][search][flaky]") {
  // Three real culprits and 20% spurious failures: a fourth, innocent change
  // that looks guilty is re-checked until it fails to reproduce.
  int exact = 0;
  int wrong = 0;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    World w = world(48, {{seed % 48}, {(seed * 7 + 5) % 48}, {(seed * 13 + 11) % 48}});
    w.culprits.erase(std::unique(w.culprits.begin(), w.culprits.end()), w.culprits.end());
    w.flake_rate = 0.20;
    w.seed = seed;
    SimulatedOracle oracle(w);
    auto v = find_culprits(changes(48), oracle);
    REQUIRE(v);
    CHECK(memoised(*v));
    if (named(*v) == w.culprits) ++exact;
    for (const Subset& s : named(*v)) {
      if (!std::binary_search(w.culprits.begin(), w.culprits.end(), s)) {
        ++wrong;
        break;
      }
    }
  }
  CHECK(exact >= 97);  // 86 before the extra re-checks
  CHECK(wrong <= 3);
}

TEST_CASE("flaky tests, seeded: careful mode names the culprits", "[bisect][search][flaky]") {
  int exact = 0;
  int trials = 0;
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    World w = world(24, {{seed % 24}});
    w.flake_rate = 0.20;
    w.seed = seed;
    SimulatedOracle oracle(w);
    SearchOptions options;
    options.flakiness = Flakiness::expect;
    auto v = find_culprits(changes(24), oracle, options);
    REQUIRE(v);
    CHECK(memoised(*v));
    ++trials;
    if (named(*v) == w.culprits) ++exact;
  }
  CHECK(exact >= trials - 1);
}

TEST_CASE("flaky tests, seeded: detect mode at 5%", "[bisect][search][flaky]") {
  int exact = 0;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    World w = world(24, {{(seed * 5) % 24}, {(seed * 11 + 1) % 24}});
    if (w.culprits[0] == w.culprits[1]) w.culprits.pop_back();
    w.flake_rate = 0.05;
    w.seed = seed;
    SimulatedOracle oracle(w);
    auto v = find_culprits(changes(24), oracle);
    REQUIRE(v);
    if (named(*v) == w.culprits) ++exact;
  }
  CHECK(exact >= 95);
}

TEST_CASE("a full candidate that passes on a re-run blames nothing", "[bisect][search][flaky]") {
  SimulatedOracle oracle(world(8, {}));
  auto v = find_culprits(changes(8), oracle);
  REQUIRE(v);
  CHECK(v->culprits.empty());
  CHECK_FALSE(v->full_failure_reproduced);
  CHECK(v->flakiness_seen);

  SimulatedOracle again(world(8, {}));
  SearchOptions options;
  options.flakiness = Flakiness::expect;
  auto careful = find_culprits(changes(8), again, options);
  REQUIRE(careful);
  CHECK(careful->culprits.empty());
  CHECK_FALSE(careful->full_failure_reproduced);
  REQUIRE(careful->probes.size() == 1);
  CHECK(careful->probes[0].run == 1);
  CHECK(careful->probes[0].purpose == "full candidate: confirm it fails");
}

TEST_CASE("an infrastructure error aborts without blaming", "[bisect][search][error]") {
  SimulatedOracle oracle(world(16, {{9}}));
  oracle.fail_probe(3);
  auto v = find_culprits(changes(16), oracle);
  REQUIRE_FALSE(v);
  CHECK(v.error().kind == ErrorKind::infrastructure);
  CHECK(v.error().message ==
        "probe #3 (12 changes applied) failed for infrastructure reasons; culprit search "
        "aborted without blaming any change");

  SimulatedOracle parallel(world(64, {{40}}));
  parallel.fail_probe(2);
  SearchOptions options;
  options.jobs = 4;
  auto p = find_culprits(changes(64), parallel, options);
  REQUIRE_FALSE(p);
  CHECK(p.error().kind == ErrorKind::infrastructure);
  CHECK(p.error().message.rfind("probe #2 (", 0) == 0);
}

TEST_CASE("oracle and budget failures are infrastructure errors", "[bisect][search][error]") {
  class Short final : public Oracle {
   public:
    std::vector<Outcome> probe(std::span<const ProbeRequest>) override { return {}; }
  } mute;
  auto v = find_culprits(changes(4), mute);
  REQUIRE_FALSE(v);
  CHECK(v.error().kind == ErrorKind::infrastructure);
  CHECK(v.error().message == "the oracle returned 0 outcomes for a batch of 1");

  SimulatedOracle oracle(world(64, {{40}}));
  SearchOptions options;
  options.max_probes = 3;
  auto capped = find_culprits(changes(64), oracle, options);
  REQUIRE_FALSE(capped);
  CHECK(capped.error().kind == ErrorKind::infrastructure);
  CHECK(capped.error().message == "culprit search gave up: max_probes (3) reached");
}

TEST_CASE("input errors", "[bisect][search][error]") {
  SimulatedOracle oracle(world(4, {{1}}));
  struct Case {
    std::size_t n;
    SearchOptions options;
    std::string message;
  };
  SearchOptions no_jobs;
  no_jobs.jobs = 0;
  SearchOptions no_confirmations;
  no_confirmations.confirmations = 0;
  SearchOptions negative;
  negative.max_probes = -1;
  const std::vector<Case> cases = {
      {0, {}, "culprit search needs at least one change"},
      {4, no_jobs, "jobs must be at least 1, not 0"},
      {4, no_confirmations, "confirmations must be at least 1, not 0"},
      {4, negative,
       "max_probes, max_split_attempts and full_candidate_failures must not be negative "
       "(max_split_attempts at least 1)"},
  };
  for (const Case& c : cases) {
    auto v = find_culprits(changes(c.n), oracle, c.options);
    REQUIRE_FALSE(v);
    CHECK(v.error().kind == ErrorKind::input);
    CHECK(v.error().message == c.message);
  }
}

TEST_CASE("parallel probes: same culprits in fewer rounds", "[bisect][search][jobs]") {
  for (auto culprits :
       {std::vector<Subset>{{40}}, std::vector<Subset>{{7}, {50}}, std::vector<Subset>{{3, 60}}}) {
    CAPTURE(culprits);
    std::vector<int> rounds;
    for (int jobs : {1, 2, 4}) {
      SimulatedOracle oracle(world(64, culprits));
      SearchOptions options;
      options.jobs = jobs;
      auto v = find_culprits(changes(64), oracle, options);
      REQUIRE(v);
      CHECK(named(*v) == sorted_sets(culprits));
      CHECK(memoised(*v));
      CHECK(static_cast<int>(oracle.calls()) == v->rounds);
      for (const Probe& p : v->probes) CHECK(p.round <= v->rounds);
      rounds.push_back(v->rounds);
    }
    CHECK(rounds[1] < rounds[0]);
    CHECK(rounds[2] < rounds[1]);
  }
}

TEST_CASE("the same outcomes give the same search", "[bisect][search][replay]") {
  World w = world(48, {{5}, {30}});
  w.flake_rate = 0.2;
  w.seed = 7;
  auto record = [&](int jobs) {
    SimulatedOracle oracle(w);
    RecordingOracle recording(oracle);
    SearchOptions options;
    options.jobs = jobs;
    auto v = find_culprits(changes(48), recording, options);
    REQUIRE(v);
    return std::make_pair(*v, recording.record());
  };
  for (int jobs : {1, 3}) {
    auto [first, first_record] = record(jobs);
    auto [second, second_record] = record(jobs);
    REQUIRE(first.probes.size() == second.probes.size());
    for (std::size_t i = 0; i < first.probes.size(); ++i) {
      CHECK(first.probes[i].subset == second.probes[i].subset);
      CHECK(first.probes[i].run == second.probes[i].run);
      CHECK(first.probes[i].outcome == second.probes[i].outcome);
      CHECK(first.probes[i].round == second.probes[i].round);
      CHECK(first.probes[i].purpose == second.probes[i].purpose);
    }
    CHECK(named(first) == named(second));
    CHECK(first.explanation_per_change == second.explanation_per_change);
  }
}

TEST_CASE("an interrupted search resumes from its record", "[bisect][search][replay]") {
  World w = world(64, {{12}, {45}});
  SimulatedOracle full_world(w);
  RecordingOracle recording(full_world);
  auto full = find_culprits(changes(64), recording);
  REQUIRE(full);
  const auto& record = recording.record();
  REQUIRE(record.size() > 6);

  // The first run stopped after 6 probes; the second answers those from the
  // record and builds only the rest.
  std::vector<RecordedProbe> partial(record.begin(), record.begin() + 6);
  SimulatedOracle fresh(w);
  ReplayOracle resume(partial, &fresh);
  auto resumed = find_culprits(changes(64), resume);
  REQUIRE(resumed);
  CHECK(named(*resumed) == named(*full));
  CHECK(resumed->probes.size() == full->probes.size());
  CHECK(resume.replayed() == 6);
  CHECK(resume.forwarded() == record.size() - 6);
  CHECK(fresh.probes() == record.size() - 6);
}

TEST_CASE("changes are cut along publish time", "[bisect][search]") {
  // Published in reverse index order: the first cut holds the newest indices.
  auto list = changes(8);
  for (std::size_t i = 0; i < 8; ++i) {
    list[i].published = Timestamp(std::chrono::seconds(1'700'000'000 - 3600 * i));
  }
  list[2].published.reset();  // undated: after every dated change
  SimulatedOracle oracle(world(8, {{0}}));
  auto v = find_culprits(list, oracle);
  REQUIRE(v);
  CHECK(named(*v) == std::vector<Subset>{{0}});
  REQUIRE_FALSE(v->probes.empty());
  const Subset& first = v->probes[0].subset;
  CHECK(std::find(first.begin(), first.end(), 7) != first.end());
  CHECK(std::find(first.begin(), first.end(), 2) == first.end());
}

TEST_CASE("outcome and decision names", "[bisect][search]") {
  CHECK(to_string(Outcome::pass) == "pass");
  CHECK(to_string(Outcome::fail) == "fail");
  CHECK(to_string(Outcome::unresolved) == "unresolved");
  CHECK(to_string(Outcome::error) == "error");
  CHECK(to_string(Decision::cleared) == "cleared");
  CHECK(to_string(Decision::blamed) == "blamed");
  CHECK(to_string(Decision::needed) == "needed");
  CHECK(to_string(Decision::unresolved) == "unresolved");
  CHECK(to_string(Decision::flaky) == "flaky");
}

TEST_CASE("information bound", "[bisect][search]") {
  struct Case {
    std::size_t n, d;
    int bound;
  };
  for (Case c :
       {Case{1, 1, 0}, Case{2, 1, 1}, Case{16, 1, 4}, Case{33, 1, 6}, Case{16, 2, 7},
        Case{1024, 1, 10}, Case{1024, 2, 19}, Case{1024, 3, 28}, Case{4, 3, 2}, Case{8, 0, 0}}) {
    CAPTURE(c.n, c.d);
    CHECK(information_bound(c.n, c.d) == c.bound);
  }
}

TEST_CASE("changes given up on because failures did not repeat are not called uninstallable",
          "[bisect][search][flaky]") {
  // c3 breaks the image; the candidate of every other change fails its first
  // four builds (flakes), which sends the careful partner search down a chain
  // it abandons.
  int rest_builds = 0;
  FunctionOracle oracle([&](const Subset& s) {
    if (has(s, 3)) return Outcome::fail;
    if (s == Subset{0, 1, 2, 4, 5} && ++rest_builds <= 4) return Outcome::fail;
    return Outcome::pass;
  });
  SearchOptions options;
  options.flakiness = Flakiness::expect;
  options.confirmations = 3;
  auto v = find_culprits(changes(6), oracle, options);
  REQUIRE(v);
  CHECK(named(*v) == std::vector<Subset>{{3}});
  REQUIRE_FALSE(v->unresolved.empty());
  for (std::size_t c : v->unresolved) {
    INFO(v->explanation_per_change[c]);
    CHECK(v->explanation_per_change[c].find("could not be installed") == std::string::npos);
    CHECK(v->explanation_per_change[c].find("did not repeat consistently") != std::string::npos);
  }
}
