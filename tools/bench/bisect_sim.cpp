// Culprit-search benchmark: simulated worlds, seeded, printed as Markdown.
//
//   bisect_sim [--trials N] [--flaky-trials N] [--grid-trials N] [--sizes 4,16,...]
//              [--trust-sizes 2,3,...] [--grid-max N] [--only NAME]
//
// NAME is one of: singles, pair, unresolved, flaky, rounds (Flakiness::detect,
// the default, and the flaky table for every mode), trust, trust-grid,
// trust-rounds, trust-pair, trust-unresolved (Flakiness::trust), modes,
// modes-rounds (the flaky-tests settings as the pipeline plans them,
// bisect/flake_policy; only when asked for). See
// tools/bench/bisect_sim.md for the build command and what each column means.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "bisect/flake_policy.hpp"
#include "bisect/search.hpp"
#include "support/bisect_simulation.hpp"

namespace {

using namespace driftlock;
using namespace driftlock::bisect;

struct Config {
  int trials = 1000;
  int flaky_trials = 1000;
  int grid_trials = 50;
  std::vector<std::size_t> sizes = {4, 16, 64, 256, 1024};
  std::vector<std::size_t> trust_sizes = {2, 3, 4, 5, 8, 16, 29, 64, 128, 256};
  std::size_t grid_max = 256;
  std::string only;
};

std::vector<ChangeInfo> make_changes(std::size_t n) {
  std::vector<ChangeInfo> changes(n);
  for (std::size_t i = 0; i < n; ++i) {
    changes[i].label = fmt::format("c{}", i);
    changes[i].published = Timestamp(std::chrono::seconds(1'700'000'000 + 3600 * i));
  }
  return changes;
}

// d distinct random changes.
std::vector<std::size_t> pick(std::mt19937_64& rng, std::size_t n, std::size_t d) {
  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  std::shuffle(all.begin(), all.end(), rng);
  all.resize(d);
  return all;
}

std::vector<Subset> normalise(std::vector<Subset> sets) {
  for (Subset& s : sets) std::sort(s.begin(), s.end());
  std::sort(sets.begin(), sets.end());
  return sets;
}

struct Stats {
  double sum = 0;
  double max = 0;
  int count = 0;
  void add(double v) {
    sum += v;
    max = std::max(max, v);
    ++count;
  }
  double mean() const { return count == 0 ? 0 : sum / count; }
};

struct Row {
  Stats probes, rounds, rechecks;
  int exact = 0;
  int wrong = 0;  // named a set that is not a culprit
  int trials = 0;
  int over_budget = 0;
  int over_trial = 0;    // more probes than bound + d + 1
  int over_cap = 0;      // more probes than n + 1
  int not_isolated = 0;  // trials with a blame never built alone (Isolation::with_others)
  int errors = 0;        // the search returned an error
};

// "Halving that tests both halves", as batch merge bots bisect a failing
// batch: each failing set is split and both halves are built; recurse into
// the failing ones. No flakes, singles only: it is exact there.
int halving_probes(const SimulatedOracle& world, const Subset& set) {
  if (set.size() <= 1) return 0;
  Subset left(set.begin(), set.begin() + static_cast<std::ptrdiff_t>(set.size() / 2));
  Subset right(set.begin() + static_cast<std::ptrdiff_t>(set.size() / 2), set.end());
  int probes = 2;
  if (world.truth(left) == Outcome::fail) probes += halving_probes(world, left);
  if (world.truth(right) == Outcome::fail) probes += halving_probes(world, right);
  return probes;
}

struct Scenario {
  std::size_t n = 0;
  std::size_t d = 0;  // independent single culprits
  bool pair = false;  // plus one interacting pair
  double unresolved = 0;
  double flakes = 0;
  int jobs = 1;
  Flakiness flakiness = Flakiness::detect;
  int confirmations = 2;
};

std::string_view mode_name(Flakiness mode) {
  switch (mode) {
    case Flakiness::detect:
      return "detect";
    case Flakiness::expect:
      return "expect";
    case Flakiness::trust:
      return "trust";
  }
  return "?";
}

Row run(const Scenario& sc, int trials, std::uint64_t salt, double* halving_mean = nullptr) {
  Row row;
  const auto changes = make_changes(sc.n);
  const int bound = information_bound(sc.n, sc.d + (sc.pair ? 2 : 0));
  const int budget = bound + static_cast<int>(sc.d + (sc.pair ? 2 : 0)) + 2;
  Stats halving;
  for (int t = 0; t < trials; ++t) {
    std::mt19937_64 rng(salt * 1'000'003ULL + static_cast<std::uint64_t>(t));
    World w;
    w.changes = sc.n;
    std::vector<std::size_t> chosen = pick(rng, sc.n, sc.d + (sc.pair ? 2 : 0));
    for (std::size_t i = 0; i < sc.d; ++i) w.culprits.push_back({chosen[i]});
    if (sc.pair) w.culprits.push_back({chosen[sc.d], chosen[sc.d + 1]});
    w.culprits = normalise(w.culprits);
    w.unresolved_rate = sc.unresolved;
    w.flake_rate = sc.flakes;
    w.seed = rng();
    SimulatedOracle oracle(w);
    SearchOptions options;
    options.jobs = sc.jobs;
    options.flakiness = sc.flakiness;
    options.confirmations = sc.confirmations;
    auto verdict = find_culprits(changes, oracle, options);
    ++row.trials;
    if (!verdict) {
      ++row.errors;
      continue;
    }
    std::vector<Subset> named;
    for (const Culprit& c : verdict->culprits) named.push_back(c.changes);
    named = normalise(named);
    bool exact = named == w.culprits;
    row.exact += exact ? 1 : 0;
    for (const Subset& s : named) {
      if (!std::binary_search(w.culprits.begin(), w.culprits.end(), s)) {
        ++row.wrong;
        break;
      }
    }
    row.probes.add(static_cast<double>(verdict->probes.size()));
    // Re-checks spent from the budget left over once the culprits are known.
    row.rechecks.add(static_cast<double>(
        std::count_if(verdict->probes.begin(), verdict->probes.end(),
                      [](const Probe& p) { return p.purpose == "confirm: re-check a culprit"; })));
    row.rounds.add(verdict->rounds);
    const int probes = static_cast<int>(verdict->probes.size());
    const int blamed = static_cast<int>(sc.d + (sc.pair ? 2 : 0));
    if (probes > budget) ++row.over_budget;
    if (probes > bound + blamed + 1) ++row.over_trial;
    if (probes > static_cast<int>(sc.n) + 1) ++row.over_cap;
    row.not_isolated +=
        std::any_of(verdict->culprits.begin(), verdict->culprits.end(),
                    [](const Culprit& c) { return c.isolation == Isolation::with_others; })
            ? 1
            : 0;
    if (halving_mean != nullptr) {
      Subset all(sc.n);
      for (std::size_t i = 0; i < sc.n; ++i) all[i] = i;
      halving.add(halving_probes(oracle, all));
    }
  }
  if (halving_mean != nullptr) *halving_mean = halving.mean();
  return row;
}

std::string pct(int part, int whole) {
  return whole == 0 ? "-" : fmt::format("{:.1f}%", 100.0 * part / whole);
}

void singles(const Config& cfg) {
  fmt::print("### Independent culprits, no flakes, jobs = 1\n\n");
  fmt::print(
      "bound = ceil(log2 C(n,d)); target: every trial exact with at most bound + d + 2 "
      "probes (verification probes included).\n\n");
  fmt::print(
      "| n | d | trials | bound | target | mean probes | of which re-checks | max probes | "
      "over target | exact | each alone | halving (both halves) |\n");
  fmt::print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (std::size_t n : cfg.sizes) {
    for (std::size_t d = 1; d <= 3 && d < n; ++d) {
      double halving = 0;
      Row r = run({n, d, false, 0, 0, 1}, cfg.trials, n * 10 + d, &halving);
      int bound = information_bound(n, d);
      fmt::print("| {} | {} | {} | {} | {} | {:.2f} | {:.2f} | {:.0f} | {} | {} | {} | {:.1f} |\n",
                 n, d, r.trials, bound, bound + static_cast<int>(d) + 2, r.probes.mean(),
                 r.rechecks.mean(), r.probes.max, r.over_budget, pct(r.exact, r.trials), n,
                 halving);
    }
  }
  fmt::print("\n");
}

void rounds(const Config& cfg) {
  fmt::print("### Parallel probes (jobs = p): rounds and probes, no flakes\n\n");
  fmt::print(
      "| n | d | jobs | mean rounds | max rounds | ceil(log_(p+1) n) | mean probes | max "
      "probes | exact |\n");
  fmt::print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (std::size_t n : cfg.sizes) {
    for (std::size_t d = 1; d <= 3 && d < n; ++d) {
      for (int jobs : {1, 2, 4}) {
        Row r = run({n, d, false, 0, 0, jobs}, cfg.trials, n * 10 + d);
        double ideal = std::ceil(std::log(static_cast<double>(n)) / std::log(jobs + 1.0) - 1e-9);
        fmt::print("| {} | {} | {} | {:.2f} | {:.0f} | {:.0f} | {:.2f} | {:.0f} | {} |\n", n, d,
                   jobs, r.rounds.mean(), r.rounds.max, ideal, r.probes.mean(), r.probes.max,
                   pct(r.exact, r.trials));
      }
    }
  }
  fmt::print("\n");
}

void pair(const Config& cfg) {
  fmt::print("### Interacting pair (fails only with both), no flakes\n\n");
  fmt::print(
      "target: bound + m + 2 with m the changes blamed (2 for the pair, 3 with the single).\n\n");
  fmt::print(
      "| n | scenario | trials | bound | target | mean probes | max probes | over target | exact | "
      "each alone |\n");
  fmt::print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
  for (std::size_t n : cfg.sizes) {
    if (n < 4) continue;
    for (std::size_t singles : {0U, 1U}) {
      if (singles + 2 > n) continue;
      Row r = run({n, singles, true, 0, 0, 1}, cfg.trials, n * 100 + 7 + singles);
      const int bound = information_bound(n, 2 + singles);
      fmt::print("| {} | {} | {} | {} | {} | {:.2f} | {:.0f} | {} | {} | {} (misses the pair) |\n",
                 n, singles == 0 ? "pair" : "pair + single", r.trials, bound,
                 bound + static_cast<int>(singles) + 4, r.probes.mean(), r.probes.max,
                 r.over_budget, pct(r.exact, r.trials), n);
    }
  }
  fmt::print("\n");
}

void unresolved(const Config& cfg) {
  fmt::print("### 10% of subsets unresolved (cannot be installed), no flakes\n\n");
  fmt::print(
      "| n | d | trials | bound | target | mean probes | max probes | over target | exact | wrong "
      "blame |\n");
  fmt::print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (std::size_t n : cfg.sizes) {
    for (std::size_t d = 1; d <= 3 && d < n; ++d) {
      Row r = run({n, d, false, 0.10, 0, 1}, cfg.trials, n * 1000 + d);
      const int bound = information_bound(n, d);
      fmt::print("| {} | {} | {} | {} | {} | {:.2f} | {:.0f} | {} | {} | {} |\n", n, d, r.trials,
                 bound, bound + static_cast<int>(d) + 2, r.probes.mean(), r.probes.max,
                 r.over_budget, pct(r.exact, r.trials), pct(r.wrong, r.trials));
    }
  }
  fmt::print("\n");
}

void flaky(const Config& cfg) {
  fmt::print(
      "### Flaky tests: a passing candidate reports fail with the given chance, per run\n\n");
  fmt::print(
      "Target at 20% with expect: culprits exactly right in >= 99% of trials. \"expect, k "
      "confirmations\": expect with confirmations_for(rate, 0.99) (the FACF rule), shown where "
      "it differs from 2.\n\n");
  fmt::print(
      "| n | d | flake rate | flakiness | trials | mean probes | max probes | exact | wrong blame "
      "| error |\n");
  fmt::print("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
  for (std::size_t n : cfg.sizes) {
    for (std::size_t d = 1; d <= 3 && d < n; ++d) {
      for (double rate : {0.0, 0.05, 0.10, 0.20}) {
        // expect with the FACF rule: as many confirmations as the known
        // rate asks for at 99% confidence (1 when tests are reliable).
        const int facf = confirmations_for(rate, 0.99);
        for (int variant = 0; variant < 4; ++variant) {
          const Flakiness mode = variant == 0   ? Flakiness::detect
                                 : variant == 3 ? Flakiness::trust
                                                : Flakiness::expect;
          Scenario sc{n, d, false, 0, rate, 1, mode, variant == 2 ? facf : 2};
          if (variant == 2 && facf == 2) continue;  // the same as the row above
          // The seed does not depend on the mode: every mode meets the same worlds.
          Row r = run(sc, cfg.flaky_trials,
                      n * 10'000 + d * 100 + static_cast<std::size_t>(rate * 100));
          const std::string name =
              variant == 2 ? fmt::format("expect, {} confirmation{}", facf, facf == 1 ? "" : "s")
                           : std::string(mode_name(mode));
          fmt::print("| {} | {} | {:.0f}% | {} | {} | {:.2f} | {:.0f} | {} | {} | {} |\n", n, d,
                     rate * 100, name, r.trials, r.probes.mean(), r.probes.max,
                     pct(r.exact, r.trials), pct(r.wrong, r.trials), pct(r.errors, r.trials));
        }
      }
    }
  }
  fmt::print("\n");
}

// Numbers of culprits worth a row: every d for small n, else a spread up to n.
std::vector<std::size_t> culprit_counts(std::size_t n) {
  std::vector<std::size_t> out;
  for (std::size_t d = 1; d <= n; ++d) {
    const bool small = n <= 16 || d <= 6;
    const bool spread = d == n / 8 || d == n / 4 || d == n / 3 || d == n / 2 || d == (3 * n) / 4 ||
                        d + 1 == n || d == n;
    if (small || spread || (n == 29 && d == 16)) out.push_back(d);
  }
  return out;
}

Scenario trusted(std::size_t n, std::size_t d, int jobs = 1) {
  return Scenario{n, d, false, 0, 0, jobs, Flakiness::trust};
}

void trust(const Config& cfg) {
  fmt::print("### Trusted outcomes (Flakiness::trust), reliable tests, jobs = 1\n\n");
  fmt::print(
      "Search builds after the baseline and the full candidate, the final \"every change but "
      "the culprits\" included. B = ceil(log2 C(n,d)).\n\n");
  fmt::print(
      "| n | d | trials | B | mean | B + d | max | B + d + 1 | n + 1 | trials > B + d + 1 | "
      "trials > n + 1 | exact |\n");
  fmt::print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (std::size_t n : cfg.trust_sizes) {
    for (std::size_t d : culprit_counts(n)) {
      Row r = run(trusted(n, d), cfg.trials, n * 100'000 + d);
      const int bound = information_bound(n, d);
      const int target = bound + static_cast<int>(d);
      fmt::print("| {} | {} | {} | {} | {:.2f}{} | {} | {:.0f} | {} | {} | {} | {} | {} |\n", n, d,
                 r.trials, bound, r.probes.mean(), r.probes.mean() > target + 1e-9 ? " *" : "",
                 target, r.probes.max, target + 1, n + 1, r.over_trial, r.over_cap,
                 pct(r.exact, r.trials));
    }
  }
  fmt::print("\n* mean above B + d.\n\n");
}

void trust_grid(const Config& cfg) {
  fmt::print(
      "### Trusted outcomes over every n from 2 to 64, every 8th n up to {}, and every d from 1 "
      "to n ({} trials each)\n\n",
      cfg.grid_max, cfg.grid_trials);
  fmt::print(
      "Per n: how many d have a mean above B + d and the worst excess; the worst trial against "
      "B + d + 1 and against n + 1.\n\n");
  fmt::print(
      "| n | d with mean > B + d | worst mean - (B + d) (at d) | d=1 mean - (B+1) | worst max - "
      "(B + d + 1) (at d) | worst max - (n + 1) (at d) | exact |\n");
  fmt::print("|---:|---:|---:|---:|---:|---:|---:|\n");
  struct Worst {
    double by = -1e9;
    std::size_t at = 0;
    void add(double v, std::size_t d) {
      if (v > by) {
        by = v;
        at = d;
      }
    }
  };
  Worst all_mean, all_trial, all_cap;
  int all_exact = 0, all_trials = 0, all_over_mean = 0, all_rows = 0;
  for (std::size_t n = 2; n <= cfg.grid_max; n += n < 64 ? 1 : 8) {
    Worst mean, trial, cap;
    int over_mean = 0, exact = 0, trials = 0;
    double first = 0;
    for (std::size_t d = 1; d <= n; ++d) {
      Row r = run(trusted(n, d), cfg.grid_trials, n * 100'000 + d + 77);
      const int target = information_bound(n, d) + static_cast<int>(d);
      const double excess = r.probes.mean() - target;
      if (d == 1) first = excess;
      if (excess > 1e-9) ++over_mean;
      mean.add(excess, d);
      trial.add(r.probes.max - (target + 1), d);
      cap.add(r.probes.max - static_cast<double>(n + 1), d);
      exact += r.exact;
      trials += r.trials;
    }
    fmt::print("| {} | {} | {:+.2f} ({}) | {:+.2f} | {:+.0f} ({}) | {:+.0f} ({}) | {} |\n", n,
               over_mean, mean.by, mean.at, first, trial.by, trial.at, cap.by, cap.at,
               pct(exact, trials));
    all_mean.add(mean.by, n);
    all_trial.add(trial.by, n);
    all_cap.add(cap.by, n);
    all_exact += exact;
    all_trials += trials;
    all_over_mean += over_mean;
    all_rows += static_cast<int>(n);
  }
  fmt::print(
      "\nAll {} (n, d): mean above B + d in {}; worst mean excess {:+.2f} (n = {}), worst trial "
      "over B + d + 1 by {:+.0f} (n = {}), over n + 1 by {:+.0f} (n = {}); exact {}.\n\n",
      all_rows, all_over_mean, all_mean.by, all_mean.at, all_trial.by, all_trial.at, all_cap.by,
      all_cap.at, pct(all_exact, all_trials));
}

void trust_rounds(const Config& cfg) {
  fmt::print("### Trusted outcomes, parallel probes (jobs = p), reliable tests\n\n");
  fmt::print(
      "| n | d | jobs | mean rounds | max rounds | mean probes | max probes | B + d | exact |\n");
  fmt::print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (std::size_t n : cfg.trust_sizes) {
    if (n < 4) continue;
    for (std::size_t d : {std::size_t{1}, std::size_t{2}, std::size_t{3}, n / 2}) {
      if (d == 0 || d > n || (d == n / 2 && d <= 3)) continue;
      for (int jobs : {1, 2, 4}) {
        Row r = run(trusted(n, d, jobs), cfg.trials, n * 100'000 + d);
        fmt::print("| {} | {} | {} | {:.2f} | {:.0f} | {:.2f} | {:.0f} | {} | {} |\n", n, d, jobs,
                   r.rounds.mean(), r.rounds.max, r.probes.mean(), r.probes.max,
                   information_bound(n, d) + static_cast<int>(d), pct(r.exact, r.trials));
      }
    }
  }
  fmt::print("\n");
}

void trust_pair(const Config& cfg) {
  fmt::print("### Trusted outcomes, an interacting pair (fails only with both)\n\n");
  fmt::print(
      "exact: the pair named as a pair. not isolated: a blame rests on its cut alone "
      "(Isolation::with_others; the report says it may fail only together with another "
      "change).\n\n");
  fmt::print(
      "| n | scenario | trials | mean probes | max probes | exact | not isolated | wrong blame, "
      "not flagged |\n");
  fmt::print("|---:|---|---:|---:|---:|---:|---:|---:|\n");
  for (std::size_t n : cfg.trust_sizes) {
    if (n < 4) continue;
    for (std::size_t singles : {0U, 1U}) {
      Scenario sc{n, singles, true, 0, 0, 1, Flakiness::trust};
      Row r = run(sc, cfg.trials, n * 100 + 7 + singles);
      fmt::print("| {} | {} | {} | {:.2f} | {:.0f} | {} | {} | {} |\n", n,
                 singles == 0 ? "pair" : "pair + single", r.trials, r.probes.mean(), r.probes.max,
                 pct(r.exact, r.trials), pct(r.not_isolated, r.trials),
                 pct(std::max(0, r.wrong - r.not_isolated), r.trials));
    }
  }
  fmt::print("\n");
}

void trust_unresolved(const Config& cfg) {
  fmt::print("### Trusted outcomes, 10% of subsets unresolved\n\n");
  fmt::print("| n | d | trials | mean probes | max probes | B + d | exact | wrong blame |\n");
  fmt::print("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (std::size_t n : cfg.trust_sizes) {
    for (std::size_t d = 1; d <= 3 && d < n; ++d) {
      Scenario sc{n, d, false, 0.10, 0, 1, Flakiness::trust};
      Row r = run(sc, cfg.trials, n * 1000 + d);
      fmt::print("| {} | {} | {} | {:.2f} | {:.0f} | {} | {} | {} |\n", n, d, r.trials,
                 r.probes.mean(), r.probes.max, information_bound(n, d) + static_cast<int>(d),
                 pct(r.exact, r.trials), pct(r.wrong, r.trials));
    }
  }
  fmt::print("\n");
}

// The flaky-tests settings as the pipeline runs them: plan_search() from the
// evidence, search_with_plan() through the pipeline's memo.

// The pipeline's memo (pipeline/prober.hpp): a repeated first build (run 0)
// of a candidate is answered with its last recorded outcome; a deliberate
// re-run (run > 0) always builds. Every real build is kept as evidence, the
// caller's baseline (passed) and full candidate (failed) included.
class MemoOracle final : public Oracle {
 public:
  MemoOracle(Oracle& builder, std::size_t n) : m_builder(builder) {
    Subset all(n);
    for (std::size_t i = 0; i < n; ++i) all[i] = i;
    record({}, Outcome::pass);
    record(all, Outcome::fail);
  }

  std::vector<Outcome> probe(std::span<const ProbeRequest> batch) override {
    std::vector<Outcome> out(batch.size(), Outcome::pass);
    std::vector<ProbeRequest> build;
    std::vector<std::size_t> at;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      auto known = m_memo.find(key(batch[i].subset));
      if (batch[i].run == 0 && known != m_memo.end()) {
        out[i] = known->second;
      } else {
        build.push_back(batch[i]);
        at.push_back(i);
      }
    }
    if (build.empty()) return out;
    const std::vector<Outcome> built = m_builder.probe(build);
    for (std::size_t k = 0; k < build.size() && k < built.size(); ++k) {
      out[at[k]] = built[k];
      record(build[k].subset, built[k]);
    }
    return out;
  }

  // Builds run for the search (the baseline and the full candidate are the caller's).
  int search_builds() const { return static_cast<int>(m_records.size()) - 2; }
  // Every real build so far, as the pipeline's history counts them.
  FlakeHistory tallied() const { return tally(std::span<const BuildRecord>(m_records)); }

 private:
  static std::string key(const Subset& subset) { return fmt::format("{}", fmt::join(subset, ",")); }

  void record(const Subset& subset, Outcome outcome) {
    m_memo[key(subset)] = outcome;
    m_records.push_back(BuildRecord{key(subset), outcome});
  }

  Oracle& m_builder;
  std::map<std::string, Outcome> m_memo;
  std::vector<BuildRecord> m_records;
};

// d independent single culprits among n changes.
World single_culprits(std::mt19937_64& rng, std::size_t n, std::size_t d, double flakes) {
  World w;
  w.changes = n;
  for (std::size_t c : pick(rng, n, d)) w.culprits.push_back({c});
  w.culprits = normalise(w.culprits);
  w.flake_rate = flakes;
  w.seed = rng();
  return w;
}

struct Night {
  Result<Verdict> verdict;
  SearchPlan plan;    // the plan after the run (a passing re-check of auto's turns it careful)
  int builds = 0;     // distinct builds after the baseline and the full candidate
  FlakeHistory seen;  // this night's builds, tallied
};

// One pipeline run that searches for culprits: the plan from the setting and
// the history, a re-search (automatic) planned from the history and this
// run's builds so far.
Night search_night(std::span<const ChangeInfo> changes, const World& world, FlakyTests setting,
                   const FlakeHistory& history, int jobs = 1) {
  SimulatedOracle builder(world);
  MemoOracle memo(builder, world.changes);
  SearchPlan plan = plan_search(setting, history);
  auto evidence = [&] {
    FlakeHistory all = history;
    all += memo.tallied();
    return all;
  };
  SearchOptions options;
  options.jobs = jobs;
  auto verdict = search_with_plan(changes, memo, options, plan, evidence);
  return Night{std::move(verdict), plan, memo.search_builds(), memo.tallied()};
}

// The tally of `nights` earlier nights of the same kind of world (other
// seeds), each searched with `expect`; drawn again until some night showed a
// flake.
FlakeHistory flaky_history(std::span<const ChangeInfo> changes, std::size_t d, double rate,
                           int nights, std::uint64_t salt, int trial) {
  std::seed_seq seq{salt, static_cast<std::uint64_t>(trial), static_cast<std::uint64_t>(nights),
                    std::uint64_t{0x6e69676874}};
  std::mt19937_64 rng(seq);
  FlakeHistory history;
  for (int draw = 0; draw < 10'000; ++draw) {
    history = {};
    for (int k = 0; k < nights; ++k) {
      const World earlier = single_culprits(rng, changes.size(), d, rate);
      history += search_night(changes, earlier, FlakyTests::expect, {}).seen;
    }
    if (history.flakes > 0) break;
  }
  return history;
}

struct ModeSpec {
  std::string_view name;
  FlakyTests setting = FlakyTests::automatic;
  int nights = 0;  // earlier nights in the history (0: none)
};

constexpr ModeSpec kModes[] = {
    {"trust", FlakyTests::trust, 0},
    {"expect", FlakyTests::expect, 0},
    {"auto", FlakyTests::automatic, 0},
    {"auto, 1 flaky night", FlakyTests::automatic, 1},
    {"auto, 5 nights", FlakyTests::automatic, 5},
};

struct ModeRow {
  Stats builds, rounds;
  int trials = 0;
  int exact = 0;      // the culprits exactly, suspected blames not counted
  int innocent = 0;   // a change that is no culprit held back (blamed, not suspected)
  int suspected = 0;  // some blame suspected (reported, not held back)
  int careful = 0;    // the plan ended careful (a careful search, or auto's passing re-check)
  int errors = 0;
  int rebuilt = 0;         // a trusting search built the full candidate again (run 1)
  int rebuilt_failed = 0;  // ... and it failed again: the blame stood (else nothing blamed)
  std::map<int, int> confirmations;  // careful trials per failing builds a blame needed
};

bool guilty(const World& world, std::size_t change) {
  return std::any_of(world.culprits.begin(), world.culprits.end(), [&](const Subset& s) {
    return std::binary_search(s.begin(), s.end(), change);
  });
}

void judge(const World& world, const Night& night, ModeRow& row) {
  ++row.trials;
  if (night.plan.flakiness != Flakiness::trust) {
    ++row.careful;
    ++row.confirmations[night.plan.confirmations];
  }
  row.builds.add(night.builds);  // a search that gave up built them too
  if (!night.verdict) {
    ++row.errors;
    return;
  }
  for (const Probe& p : night.verdict->probes) {
    if (p.purpose.starts_with("confirm: the full candidate again")) {
      ++row.rebuilt;
      row.rebuilt_failed += p.outcome == Outcome::fail ? 1 : 0;
    }
  }
  std::vector<Subset> held;
  bool innocent = false;
  bool suspected = false;
  for (const Culprit& c : night.verdict->culprits) {
    if (is_suspected(c)) {
      suspected = true;
      continue;
    }
    held.push_back(c.changes);
    for (std::size_t change : c.changes) innocent = innocent || !guilty(world, change);
  }
  row.exact += normalise(held) == world.culprits ? 1 : 0;
  row.innocent += innocent ? 1 : 0;
  row.suspected += suspected ? 1 : 0;
  row.rounds.add(night.verdict->rounds);
}

std::uint64_t modes_salt(std::size_t n, std::size_t d, double rate) {
  return n * 10'000 + d * 100 + static_cast<std::size_t>(std::lround(rate * 100)) + 5;
}

ModeRow run_mode(std::size_t n, std::size_t d, double rate, const ModeSpec& mode, int trials,
                 int jobs = 1) {
  ModeRow row;
  const auto changes = make_changes(n);
  const std::uint64_t salt = modes_salt(n, d, rate);
  for (int t = 0; t < trials; ++t) {
    // The seed does not depend on the mode: every mode meets the same worlds.
    std::mt19937_64 rng(salt * 1'000'003ULL + static_cast<std::uint64_t>(t));
    const World world = single_culprits(rng, n, d, rate);
    const FlakeHistory history =
        mode.nights > 0 ? flaky_history(changes, d, rate, mode.nights, salt, t) : FlakeHistory{};
    judge(world, search_night(changes, world, mode.setting, history, jobs), row);
  }
  return row;
}

// "3: 71%, 2: 29%": the share of careful trials whose blames needed x failing builds.
std::string needs_text(const ModeRow& row) {
  if (row.careful == 0) return "-";
  std::vector<std::pair<int, int>> shares(row.confirmations.begin(), row.confirmations.end());
  std::sort(shares.begin(), shares.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (const auto& [x, count] : shares) {
    out += fmt::format("{}{}: {}", out.empty() ? "" : ", ", x, pct(count, row.careful));
  }
  return out;
}

struct ModeCase {
  std::size_t n = 0;
  std::size_t d = 0;
};

// d = 0: the full candidate's failure was itself a flake.
constexpr ModeCase kModeCases[] = {{4, 1}, {8, 1}, {16, 2}, {64, 1}, {64, 2}, {29, 16}, {64, 0}};

// A world without culprits fails only by a flake: not with reliable tests.
bool possible(const ModeCase& c, double rate) {
  return c.d > 0 || rate > 0;
}

void modes(const Config& cfg) {
  fmt::print(
      "### Flaky tests from evidence: the flaky-tests settings as the pipeline plans them\n\n");
  fmt::print(
      "plan_search(setting, history), then search_with_plan() through a memo that answers a "
      "repeated first build (run 0) as the pipeline's does. builds: distinct search builds. "
      "exact: the culprits exactly (suspected blames are not held back, so not counted). "
      "innocent: a change that is no culprit held back. careful: the plan ended careful (a "
      "careful search ran, or auto's re-check of the full candidate passed: nothing blamed, "
      "careful for the rest of the run); needs: failing builds per blame that plan asks for. "
      "History: nights of the same kind of world "
      "(other seeds) searched with expect, drawn until one showed a flake.\n\n");
  fmt::print(
      "| n | d | flaky failures | setting | trials | mean builds | max builds | exact | innocent "
      "held back | suspected blame | careful | needs | error |\n");
  fmt::print("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
  struct Target {
    std::string_view mode;
    double worst_exact = 101;
    double worst_innocent = -1;
  };
  std::vector<Target> targets = {{"expect"}, {"auto, 1 flaky night"}};
  std::vector<std::string> rebuilds;  // auto without history: the full candidate built again
  for (const ModeCase& c : kModeCases) {
    for (double rate : {0.0, 0.05, 0.10, 0.20}) {
      if (!possible(c, rate)) continue;
      for (const ModeSpec& mode : kModes) {
        if (rate == 0 && mode.nights > 0) continue;  // no night shows a flake
        const ModeRow r = run_mode(c.n, c.d, rate, mode, cfg.flaky_trials);
        fmt::print(
            "| {} | {} | {:.0f}% | {} | {} | {:.2f} | {:.0f} | {} | {} | {} | {} | {} | {} |\n",
            c.n, c.d, rate * 100, mode.name, r.trials, r.builds.mean(), r.builds.max,
            pct(r.exact, r.trials), pct(r.innocent, r.trials), pct(r.suspected, r.trials),
            pct(r.careful, r.trials), needs_text(r), pct(r.errors, r.trials));
        if (mode.setting == FlakyTests::automatic && mode.nights == 0 && r.rebuilt > 0) {
          rebuilds.push_back(
              fmt::format("- n = {}, d = {}, {:.0f}%: in {} of {} trials, failed again in {}", c.n,
                          c.d, rate * 100, r.rebuilt, r.trials, r.rebuilt_failed));
        }
        for (Target& target : targets) {
          if (rate != 0.20 || target.mode != mode.name || r.trials == 0) continue;
          target.worst_exact = std::min(target.worst_exact, 100.0 * r.exact / r.trials);
          target.worst_innocent = std::max(target.worst_innocent, 100.0 * r.innocent / r.trials);
        }
      }
    }
  }
  fmt::print("\nTargets at 20% flaky failures: exact >= 99% and innocent held back <= 0.1%.\n\n");
  for (const Target& target : targets) {
    const bool met = target.worst_exact >= 99.0 - 1e-9 && target.worst_innocent <= 0.1 + 1e-9;
    fmt::print("- {}: worst exact {:.1f}%, worst innocent held back {:.1f}%: {}\n", target.mode,
               target.worst_exact, target.worst_innocent, met ? "met" : "not met");
  }
  fmt::print(
      "\n`auto` without history: a lone trusting blame whose one failing build was the full "
      "candidate's made the search build the full candidate again (rows not listed: never); "
      "when it passed, nothing was blamed.\n\n");
  for (const std::string& line : rebuilds) fmt::print("{}\n", line);
  fmt::print("\n");
}

void modes_rounds(const Config& cfg) {
  fmt::print("### Flaky tests from evidence, parallel builds (jobs = p)\n\n");
  fmt::print(
      "The same worlds and histories as above (the earlier nights searched with jobs = 1).\n\n");
  fmt::print(
      "| n | d | flaky failures | setting | jobs | mean rounds | max rounds | mean builds | max "
      "builds | exact | innocent held back | error |\n");
  fmt::print("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  struct Pick {
    double rate = 0;
    std::size_t mode = 0;  // index into kModes
  };
  // Reliable tests: auto without history against trust (one build more when
  // a lone blame rests on the full candidate's failure alone); 20%: the careful
  // settings the targets are about.
  constexpr Pick kPicks[] = {{0.0, 0}, {0.0, 2}, {0.20, 1}, {0.20, 3}};
  for (const ModeCase& c : kModeCases) {
    for (const Pick& p : kPicks) {
      if (!possible(c, p.rate)) continue;
      for (int jobs : {1, 2, 4}) {
        const ModeSpec& mode = kModes[p.mode];
        const ModeRow r = run_mode(c.n, c.d, p.rate, mode, cfg.flaky_trials, jobs);
        fmt::print(
            "| {} | {} | {:.0f}% | {} | {} | {:.2f} | {:.0f} | {:.2f} | {:.0f} | {} | {} | {} |\n",
            c.n, c.d, p.rate * 100, mode.name, jobs, r.rounds.mean(), r.rounds.max, r.builds.mean(),
            r.builds.max, pct(r.exact, r.trials), pct(r.innocent, r.trials),
            pct(r.errors, r.trials));
      }
    }
  }
  fmt::print("\n");
}

std::vector<std::size_t> parse_sizes(std::string_view text) {
  std::vector<std::size_t> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    out.push_back(
        std::strtoull(std::string(text.substr(start, comma - start)).c_str(), nullptr, 10));
    start = comma + 1;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Config cfg;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string_view flag = argv[i];
    std::string_view value = argv[i + 1];
    if (flag == "--trials") cfg.trials = std::atoi(argv[i + 1]);
    if (flag == "--flaky-trials") cfg.flaky_trials = std::atoi(argv[i + 1]);
    if (flag == "--sizes") cfg.sizes = parse_sizes(value);
    if (flag == "--trust-sizes") cfg.trust_sizes = parse_sizes(value);
    if (flag == "--grid-trials") cfg.grid_trials = std::atoi(argv[i + 1]);
    if (flag == "--grid-max") cfg.grid_max = std::strtoull(argv[i + 1], nullptr, 10);
    if (flag == "--only") cfg.only = value;
  }
  auto want = [&](std::string_view name) { return cfg.only.empty() || cfg.only == name; };
  auto start = std::chrono::steady_clock::now();
  if (want("singles")) singles(cfg);
  if (want("rounds")) rounds(cfg);
  if (want("pair")) pair(cfg);
  if (want("unresolved")) unresolved(cfg);
  if (want("flaky")) flaky(cfg);
  if (want("trust")) trust(cfg);
  if (want("trust-rounds")) trust_rounds(cfg);
  if (want("trust-pair")) trust_pair(cfg);
  if (want("trust-unresolved")) trust_unresolved(cfg);
  // Minutes, not seconds: only when asked for.
  if (cfg.only == "modes") modes(cfg);
  if (cfg.only == "modes-rounds") modes_rounds(cfg);
  if (cfg.only == "trust-grid") trust_grid(cfg);
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("_{:.1f} s_\n", secs);
  return 0;
}
