// Culprit-search benchmark: simulated worlds, seeded, printed as Markdown.
//
//   bisect_sim [--trials N] [--flaky-trials N] [--grid-trials N] [--sizes 4,16,...]
//              [--trust-sizes 2,3,...] [--grid-max N] [--only NAME]
//
// NAME is one of: singles, pair, unresolved, flaky, rounds (Flakiness::detect,
// the default, and the flaky table for every mode), trust, trust-grid,
// trust-rounds, trust-pair, trust-unresolved (Flakiness::trust). See
// tools/bench/bisect_sim.md for the build command and what each column means.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <vector>

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
  if (cfg.only == "trust-grid") trust_grid(cfg);
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("_{:.1f} s_\n", secs);
  return 0;
}
