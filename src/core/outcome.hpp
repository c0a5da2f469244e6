// The outcome of building and testing a candidate (DESIGN.md, Vocabulary).
// Shared by build/ (which decides it) and bisect/ (which searches with it).
#pragma once

#include <optional>
#include <string_view>

namespace driftlock {

enum class Outcome {
  pass,        // at least as good as the baseline
  fail,        // worse than the baseline: a dependency may be to blame
  unresolved,  // the set cannot be installed together (build exit == unresolved-exit)
  error,       // infrastructure (timeout, signal, runner failure): never a culprit
};

constexpr std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::pass:
      return "pass";
    case Outcome::fail:
      return "fail";
    case Outcome::unresolved:
      return "unresolved";
    case Outcome::error:
      return "error";
  }
  return "error";
}

constexpr std::optional<Outcome> parse_outcome(std::string_view text) {
  for (Outcome o : {Outcome::pass, Outcome::fail, Outcome::unresolved, Outcome::error}) {
    if (to_string(o) == text) return o;
  }
  return std::nullopt;
}

}  // namespace driftlock
