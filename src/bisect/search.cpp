#include "bisect/search.hpp"

#include <fmt/format.h>

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
