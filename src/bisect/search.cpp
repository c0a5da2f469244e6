#include "bisect/search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "bisect/searcher.hpp"

namespace driftlock::bisect {

std::string_view to_string(Decision decision) {
  switch (decision) {
    case Decision::cleared:
      return "cleared";
    case Decision::blamed:
      return "blamed";
    case Decision::needed:
      return "needed";
    case Decision::unresolved:
      return "unresolved";
    case Decision::flaky:
      return "flaky";
  }
  return "?";
}

int confirmations_for(double flake_rate, double confidence) {
  if (!(flake_rate > 0.0)) return 1;
  // Beyond these the rule asks for ever more builds that cannot help.
  const double f = std::min(flake_rate, 0.99);
  const double c = std::clamp(confidence, 0.0, 1.0 - 1e-12);
  const double runs = std::ceil(std::log(1.0 - c) / std::log(f) - 1e-9);
  return std::max(1, static_cast<int>(runs));
}

int information_bound(std::size_t n, std::size_t d) {
  if (d == 0 || d >= n) return 0;
  double ln = std::lgamma(static_cast<double>(n) + 1) - std::lgamma(static_cast<double>(d) + 1) -
              std::lgamma(static_cast<double>(n - d) + 1);
  return static_cast<int>(std::ceil(ln / std::log(2.0) - 1e-9));
}

Result<Verdict> find_culprits(std::span<const ChangeInfo> changes, Oracle& oracle,
                              const SearchOptions& options) {
  if (changes.empty()) return fail_input("culprit search needs at least one change");
  if (options.jobs < 1)
    return fail_input(fmt::format("jobs must be at least 1, not {}", options.jobs));
  if (options.confirmations < 1) {
    return fail_input(
        fmt::format("confirmations must be at least 1, not {}", options.confirmations));
  }
  if (!(options.flake_rate >= 0.0 && options.flake_rate < 1.0)) {
    return fail_input(fmt::format("flake_rate must be in [0, 1), not {}", options.flake_rate));
  }
  if (options.max_probes < 0 || options.max_split_attempts < 1 ||
      options.full_candidate_failures < 0) {
    return fail_input(
        "max_probes, max_split_attempts and full_candidate_failures must not be "
        "negative (max_split_attempts at least 1)");
  }
  Searcher searcher(changes, oracle, options);
  return searcher.run();
}

}  // namespace driftlock::bisect
