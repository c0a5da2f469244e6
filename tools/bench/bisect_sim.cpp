// Culprit-search benchmark: simulated worlds, seeded, printed as Markdown.
//
//   bisect_sim [--trials N] [--flaky-trials N] [--sizes 4,16,...] [--only NAME]
//
// NAME is one of: singles, pair, unresolved, flaky, rounds. See
// tools/bench/bisect_sim.md for the build command and what each column means.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "bisect/search.hpp"
#include "bisect/simulation.hpp"

namespace {

using namespace driftlock;
using namespace driftlock::bisect;

struct Config {
  int trials = 1000;
  int flaky_trials = 1000;
  std::vector<std::size_t> sizes = {4, 16, 64, 256, 1024};
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
};

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
    auto verdict = find_culprits(changes, oracle, options);
    ++row.trials;
    if (!verdict) continue;
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
    if (static_cast<int>(verdict->probes.size()) > budget) ++row.over_budget;
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
  fmt::print("Target at 20%: culprits exactly right in >= 99% of trials.\n\n");
  fmt::print(
      "| n | d | flake rate | flakiness | trials | mean probes | max probes | exact | wrong blame "
      "|\n");
  fmt::print("|---:|---:|---:|---|---:|---:|---:|---:|---:|\n");
  for (std::size_t n : cfg.sizes) {
    for (std::size_t d = 1; d <= 3 && d < n; ++d) {
      for (double rate : {0.0, 0.05, 0.20}) {
        for (Flakiness mode : {Flakiness::detect, Flakiness::expect}) {
          Scenario sc{n, d, false, 0, rate, 1, mode};
          Row r = run(sc, cfg.flaky_trials,
                      n * 10'000 + d * 100 + static_cast<std::size_t>(rate * 100));
          fmt::print("| {} | {} | {:.0f}% | {} | {} | {:.2f} | {:.0f} | {} | {} |\n", n, d,
                     rate * 100, mode == Flakiness::detect ? "detect" : "expect", r.trials,
                     r.probes.mean(), r.probes.max, pct(r.exact, r.trials), pct(r.wrong, r.trials));
        }
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
    if (flag == "--only") cfg.only = value;
  }
  auto want = [&](std::string_view name) { return cfg.only.empty() || cfg.only == name; };
  auto start = std::chrono::steady_clock::now();
  if (want("singles")) singles(cfg);
  if (want("rounds")) rounds(cfg);
  if (want("pair")) pair(cfg);
  if (want("unresolved")) unresolved(cfg);
  if (want("flaky")) flaky(cfg);
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("_{:.1f} s_\n", secs);
  return 0;
}
