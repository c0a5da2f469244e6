// How far the culprit search believes a failing build, from the flaky-tests
// setting and the evidence: which Flakiness mode, how many failing builds a
// blame needs, and whether a conclusion that stops a run ("baseline broken",
// "no change is to blame") is re-checked first. Pure: the pipeline hands in
// the builds its state database recorded; tools/bench/bisect_sim simulated ones.
//
// Evidence. A candidate (the same pins, built by the same builder revision)
// that passed at least once is a passing candidate; each of its builds that
// failed was a flake. The flake rate is estimated with the rule of succession,
// f̂ = (flakes + 1) / (builds of passing candidates + 2), which stays cautious
// on a short history (one flake in eight builds: 0.2, not 0.125) and tends to
// the observed share as the history grows. Builds answered from the memo are
// not evidence: they were counted when they ran.
//
// Modes (FlakyTests):
//  - trust: Flakiness::trust, no re-checks, nothing suspected.
//  - expect: Flakiness::expect with x = confirmations_for(f̂, C) failing
//    builds per blame (the FACF rule), f̂ assumed kAssumedFlakeRate until a
//    flake is seen.
//  - automatic: trust while no flake was ever seen; expect (as above) once
//    the history or this run shows one. Stopping conclusions are re-checked.
// C = kBlameConfidence. A blame whose chance of resting only on flakes,
// f̂^failing builds, exceeds 1 - C is "suspected": reported, never held.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>

#include "bisect/search.hpp"
#include "core/manifest.hpp"

namespace driftlock::bisect {

inline constexpr double kBlameConfidence = 0.99;
// What `expect` assumes before the history shows a flake: one build in five.
inline constexpr double kAssumedFlakeRate = 0.2;
// Above this the estimate is capped: tests that flaky need fixing, and the
// FACF rule would ask for more re-runs than any blame is worth (0.35: 5).
inline constexpr double kMaxFlakeRate = 0.35;

// One real build: its candidate (pins and builder revision, as one key) and
// its outcome.
struct BuildRecord {
  std::string candidate;
  Outcome outcome = Outcome::pass;
};

struct FlakeHistory {
  int passing_builds = 0;  // builds of candidates that passed at least once
  int flakes = 0;          // of those, the builds that failed

  FlakeHistory& operator+=(const FlakeHistory& other);
};

FlakeHistory tally(std::span<const BuildRecord> builds);
// The same rule over a search's own probes (a subset is a candidate).
FlakeHistory tally(std::span<const Probe> probes);

// The rule of succession, capped at kMaxFlakeRate; 0 while no flake was seen.
double estimated_flake_rate(const FlakeHistory& history);

struct SearchPlan {
  FlakyTests setting = FlakyTests::automatic;
  Flakiness flakiness = Flakiness::trust;
  int confirmations = 1;                   // failing builds per blame (careful mode)
  double flake_rate = 0.0;                 // f̂ used for confirmations and flake chances
  bool recheck_stops = true;               // re-run the build behind a stopping conclusion
  std::string why;                         // one line for --explain
  std::optional<int> fixed_confirmations;  // set by the user instead of the FACF rule
};

// `confirmations`, when given, replaces the FACF rule in careful mode.
SearchPlan plan_search(FlakyTests setting, const FlakeHistory& history,
                       std::optional<int> confirmations = std::nullopt);

// Whether a blame's chance of resting only on flakes is above 1 - C.
bool is_suspected(const Culprit& culprit);

// The search under a plan. With `automatic` while trusting:
//  - a lone blame whose one failing build is the full candidate's (the
//    caller's observation: nothing the search built failed for it) is what
//    a single flaky build would produce, so the full candidate is built once
//    more (run 1): failing again, the blame stands on two builds; passing,
//    the night's failure was a flake and nothing is blamed (passes are
//    believed: Verdict::full_failure_reproduced is false), and the plan
//    turns careful. This costs a build only when the one culprit is the
//    newest change.
//  - when outcomes contradicted each other (Verdict::flakiness_seen), a
//    careful search follows, planned from `evidence()` (which must by then
//    include this search's builds).
// `plan` is updated to what the final search used. A careful plan with
// max_probes left at 0 gets (4 x confirmations + 2) n + 64 probes: about
// what a careful search spends when most changes are culprits. The caller's
// oracle should answer repeated first builds from its memo.
Result<Verdict> search_with_plan(std::span<const ChangeInfo> changes, Oracle& oracle,
                                 SearchOptions options, SearchPlan& plan,
                                 const std::function<FlakeHistory()>& evidence);

}  // namespace driftlock::bisect
