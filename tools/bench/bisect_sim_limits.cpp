// What no culprit search can do: the evidence behind "Culprit search" in
// docs/performance.md. Standalone (no driftlock code):
//
//   g++ -std=c++23 -O2 tools/bench/bisect_sim_limits.cpp -o /tmp/bisect_sim_limits
//   /tmp/bisect_sim_limits exhaustive 6     # about a minute, 5.6 million states
//   /tmp/bisect_sim_limits frontier 29 16   # a second
//
// exhaustive N: every adaptive search with every possible build (any subset
// of the N changes), culprits independent, the baseline known to pass and
// the full candidate known to fail; a search ends once the culprits are
// certain and "every change but the culprits" has been built and passed.
// Prints the least possible worst overshoot over T(d) = min(B + d + 1, N + 1),
// B = ceil(log2 C(N, d)), over every placement of every number of culprits:
// 0 means some search meets every per-trial target; from N = 6 on it is 1.
//
// frontier N D: the release-time cuts the search uses (context + the oldest
// s candidates), in a world that holds either 1 or D culprits, each placement
// equally likely; for weights w on "1 culprit", the search with the fewest
// builds on average (exact dynamic programme) and its mean builds for each.
// Even knowing d is 1 or D, a mean within n + 1 for D costs one culprit more
// than B + 1.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

double choose(int n, int k) {
  if (k < 0 || k > n) return 0;
  double r = 1;
  for (int i = 0; i < k; ++i) r = r * (n - i) / (i + 1);
  return r;
}

int bound(int n, int d) {
  return d == 0 || d >= n ? 0 : static_cast<int>(std::ceil(std::log2(choose(n, d)) - 1e-9));
}

// ---- exhaustive ----------------------------------------------------------

struct Exhaustive {
  int n = 0;
  int full = 0;             // bit mask of every change
  std::vector<int> target;  // per configuration (a non-empty set of culprits)
  struct Key {
    std::uint64_t possible, verified;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return k.possible * 1000003ULL ^ k.verified * 7919ULL;
    }
  };
  std::unordered_map<Key, int, KeyHash> memo;

  // possible: configurations still consistent (bit k-1 for culprit set k);
  // verified: those whose "everything but the culprits" passed.
  int value(std::uint64_t possible, std::uint64_t verified, int depth) {
    if (std::popcount(possible) == 1 && (verified & possible) != 0) {
      return -target[static_cast<std::size_t>(std::countr_zero(possible))];
    }
    if (depth > n + 3) return 100;  // far beyond every target: cannot matter
    const Key key{possible, verified};
    if (auto it = memo.find(key); it != memo.end()) return it->second;
    int best = 1000;
    for (int build = 1; build < full; ++build) {
      std::uint64_t passes = 0;
      std::uint64_t fails = 0;
      for (std::uint64_t m = possible; m != 0; m &= m - 1) {
        const int k = std::countr_zero(m);
        (((k + 1) & build) != 0 ? fails : passes) |= std::uint64_t{1} << k;
      }
      std::uint64_t verified_pass = verified & passes;
      const int rest_of = full ^ build;  // the configuration whose rest this is
      if (rest_of > 0 && ((passes >> (rest_of - 1)) & 1U) != 0) {
        verified_pass |= std::uint64_t{1} << (rest_of - 1);
      }
      if ((passes == possible && verified_pass == verified) || fails == possible) continue;
      const int a = passes != 0 ? value(passes, verified_pass, depth + 1) : -1000;
      const int b = fails != 0 ? value(fails, verified & fails, depth + 1) : -1000;
      best = std::min(best, 1 + std::max(a, b));
    }
    memo[key] = best;
    return best;
  }

  int run(int changes) {
    n = changes;
    full = (1 << n) - 1;
    target.assign(static_cast<std::size_t>(full), 0);
    for (int k = 1; k <= full; ++k) {
      const int d = std::popcount(static_cast<unsigned>(k));
      target[static_cast<std::size_t>(k - 1)] = std::min(bound(n, d) + d + 1, n + 1);
    }
    const std::uint64_t all = full == 63 ? ~std::uint64_t{0} >> 1 : (std::uint64_t{1} << full) - 1;
    // Every culprit set is possible; the baseline (the rest of "all changes")
    // is known to pass.
    return value(all, std::uint64_t{1} << (full - 1), 0);
  }
};

// ---- frontier ------------------------------------------------------------

struct Frontier {
  int n = 0;
  std::vector<double> weight;  // per configuration with d culprits
  std::vector<std::vector<double>> c;
  std::vector<double> memo;
  std::vector<int> cut;

  double count(int x, int u, bool fail, int j) const {
    if (j < 0 || j > x + u) return 0;
    return c[static_cast<std::size_t>(x + u)][static_cast<std::size_t>(j)] -
           (fail ? c[static_cast<std::size_t>(u)][static_cast<std::size_t>(j)] : 0);
  }
  double mass(int x, int u, int f, bool fail) const {
    double total = 0;
    for (int j = 0; j <= x + u; ++j) {
      if (f + j > 0) total += count(x, u, fail, j) * weight[static_cast<std::size_t>(f + j)];
    }
    return total;
  }
  std::size_t index(int x, int u, int f, bool fail) const {
    return ((static_cast<std::size_t>(x) * (n + 1) + u) * (n + 1) + f) * 2 + (fail ? 1 : 0);
  }
  // Candidates x (the cut is taken from them), u others unknown, f found;
  // returns mass * expected builds still to come.
  double value(int x, int u, int f, bool fail) {
    if (!fail && x == 0) return 0;
    if (fail && x == 1) return value(u, 0, f + 1, false);
    const std::size_t i = index(x, u, f, fail);
    if (memo[i] >= 0) return memo[i];
    double best = 1e300;
    for (int s = 1; s <= (fail ? x - 1 : x); ++s) {
      const double v = mass(x, u, f, fail) + value(x - s, u, f, fail) +
                       value(s, fail ? u + x - s : x - s, f, true);
      if (v < best * (1 - 1e-12)) {
        best = v;
        cut[i] = s;
      }
    }
    memo[i] = best;
    return best;
  }
  // Mean builds over the placements of exactly d culprits.
  std::pair<double, double> builds(int x, int u, int f, bool fail, int d) {
    const double placements = count(x, u, fail, d - f);
    if (d < f || placements <= 0) return {0, 0};
    if (!fail && x == 0) return {0, 1};
    if (fail && x == 1) return builds(u, 0, f + 1, false, d);
    value(x, u, f, fail);
    const int s = cut[index(x, u, f, fail)];
    auto [pass_sum, pass_n] = builds(x - s, u, f, fail, d);
    auto [fail_sum, fail_n] = builds(s, fail ? u + x - s : x - s, f, true, d);
    return {pass_sum + fail_sum + pass_n + fail_n, pass_n + fail_n};
  }

  void run(int changes, int many) {
    n = changes;
    c.assign(static_cast<std::size_t>(n + 1), std::vector<double>(static_cast<std::size_t>(n + 1)));
    for (int a = 0; a <= n; ++a) {
      for (int b = 0; b <= a; ++b)
        c[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)] = choose(a, b);
    }
    std::printf("n = %d, d = 1 or %d: B + 1 = %d, n + 1 = %d\n", n, many, bound(n, 1) + 1, n + 1);
    std::printf(
        "| weight on d = 1 | mean builds, d = 1 | mean builds, d = %d |\n|---:|---:|---:|\n", many);
    for (double w : {0.1, 0.3, 0.5, 0.6, 0.7, 0.9}) {
      weight.assign(static_cast<std::size_t>(n + 1), 1e-12);
      weight[1] = w / choose(n, 1);
      weight[static_cast<std::size_t>(many)] = (1 - w) / choose(n, many);
      const std::size_t size = static_cast<std::size_t>(n + 1) * (n + 1) * (n + 1) * 2;
      memo.assign(size, -1);
      cut.assign(size, 0);
      auto [one_sum, one_n] = builds(n, 0, 0, true, 1);
      auto [many_sum, many_n] = builds(n, 0, 0, true, many);
      std::printf("| %.1f | %.2f | %.2f |\n", w, one_sum / one_n, many_sum / many_n);
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  const std::string what = argc > 1 ? argv[1] : "";
  if (what == "exhaustive" && argc > 2) {
    const int n = std::atoi(argv[2]);
    if (n < 1 || n > 6) {
      std::fprintf(stderr, "exhaustive: 1 <= N <= 6\n");
      return 2;
    }
    Exhaustive e;
    std::printf("n = %d: least worst overshoot over min(B + d + 1, n + 1): %d\n", n, e.run(n));
    return 0;
  }
  if (what == "frontier" && argc > 3) {
    Frontier f;
    f.run(std::atoi(argv[2]), std::atoi(argv[3]));
    return 0;
  }
  std::fprintf(stderr, "usage: bisect_sim_limits exhaustive N | frontier N D\n");
  return 2;
}
