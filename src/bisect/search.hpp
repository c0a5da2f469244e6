// Culprit search: which of the changed dependencies broke the candidate?
//
// Pure and oracle-driven. The search only asks an Oracle "what is the outcome
// of the baseline with exactly these changes applied?", in batches; it knows
// nothing of builds, processes or networks, so it is tested with simulated
// oracles at large n.
//
// Preconditions (the caller has just observed them): the baseline passes and
// the full candidate (every change) failed `full_candidate_failures` times.
//
// Model. A culprit is a minimal set of changes whose presence makes a passing
// candidate fail: usually one change, sometimes an interacting set. Failure is
// assumed monotone (adding changes never fixes a culprit's failure): a subset
// of a passing candidate passes, a superset of a failing one fails.
//
// Strategy. Changes are ordered by publish time (undated ones last).
//  1. Narrow: probe "everything already cleared + the oldest k of the
//     remaining changes" (release-time cuts, which tend to install together)
//     to find the change that completes the first failing cut. Cut sizes
//     balance the configurations still possible, each weighted by the probe
//     budget its number of culprits allows (about 2^-log2 C(n,d)), snapped to
//     powers of two; "are there any more?" is simply the cut that takes every
//     remaining change. For n <= 64 an exact plan (bisect/plan.hpp) overrides
//     a size where it would cost some placement of 1-3 culprits its probe
//     target. With two candidates left, one is built alone on the
//     baseline: if it fails it is located and verified by the same probe.
//  2. Isolate: the change is built alone on the baseline (the "baseline +
//     culprit fails" verification). If it passes it is part of an
//     interacting set: the same narrowing over the passing cut finds the
//     partner that completes it, until the set fails alone (ddmin-style
//     minimal: leaving out any member gives a candidate known to pass).
//  3. Hold the culprit back and continue with the changes set aside; done
//     when "every change except the culprits" has been built and passed.
// With jobs = p each round probes p nested cuts (k-ary splitting: about
// log_{p+1} n rounds) and the last two candidates together.
//
// Trusted outcomes (Flakiness::trust). The same narrowing, but the cut
// sizes weigh every possible number of culprits (bisect/trust_split.hpp), so
// the search turns from binary splitting to testing changes one at a time as
// failures keep coming (with jobs = p, p changes each on its own per round),
// and a guard keeps every serial search within n + ceil(log2 n) + 3 builds.
// Nothing is built only to verify: the change that completes the first
// failing cut is blamed at once (its cut is the evidence; Culprit::isolation
// is with_others unless it was built alone anyway), and "every change except
// the culprits" is usually the last passing cut itself. A partner is searched
// for only when the ledger shows the change passing alone.
//
// Outcomes. `unresolved` (cannot be installed together) never steers: the
// search tries other cut sizes, then the newest changes instead of the
// oldest, then cuts on the bare baseline. A change that only installs with
// others is blamed with those listed as `needs`; changes that no installable
// candidate separates are reported unresolved, never blamed. `error` aborts
// the search with an infrastructure error.
//
// Flaky tests (Flakiness::detect, the default). Passes are trusted; a failure
// may be spurious. While no outcome contradicts another, failures steer at
// once, and a change is blamed once `confirmations` failing builds point at it
// that nothing else explains (the cut that exposed it, later cuts with it,
// and the change alone each count); only when the search did not produce that
// many is the change re-run alone. Probes left under the target bound + d + 2
// are spent one at a time on the culprit with the fewest such runs (on top of
// every other change, then alone again). More than three culprits at once are
// rarer than a run of spurious failures: then each needs confirmations + 2
// such runs, past the target if need be (it is stated for up to three).
// The first contradiction (a candidate both passing and failing, or a failing
// candidate inside a passing one) restarts the search in careful mode over
// what it has seen: every failure must repeat `confirmations` times before it
// steers, every culprit must fail again alone and on top of everything else,
// and changes that looked guilty but did not hold are reported as flaky.
// Flakiness::expect starts in careful mode (for suites known to be flaky).
// Partner searches run careful under detect as under expect (interacting
// sets are rare, flakes are not; under trust they believe every outcome too),
// and a chain of more than four partners is treated as flakiness.
//
// Memoisation and resume. No candidate is built twice except deliberate
// confirmation runs, which carry their run number. The search is a
// deterministic function of the outcomes it receives, so a caller resumes an
// interrupted search by answering from its record of (subset, run) -> outcome
// and building only what is missing (the pipeline's Prober memo does; the
// tests' tests/support/bisect_replay.hpp shows it).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/outcome.hpp"
#include "core/time.hpp"

namespace driftlock::bisect {

// pass, fail, unresolved, error: shared with build/, which decides it.
using driftlock::Outcome;

// Sorted change indices applied on top of the baseline.
using Subset = std::vector<std::size_t>;

struct ChangeInfo {
  std::string label;  // e.g. "npm:chalk 4.1.2 -> 5.3.0", used in explanations
  std::optional<Timestamp> published;
};

struct ProbeRequest {
  Subset subset;
  int run = 0;  // 0: first build of this subset; 1, 2...: confirmation re-runs

  friend bool operator==(const ProbeRequest&, const ProbeRequest&) = default;
};

class Oracle {
 public:
  virtual ~Oracle() = default;
  // Builds and tests every request (in parallel, up to SearchOptions::jobs) and
  // returns one outcome per request, in order.
  virtual std::vector<Outcome> probe(std::span<const ProbeRequest> batch) = 0;
};

// How much a failing build is believed.
//  detect: believe failures until outcomes contradict each other, then switch
//    to careful mode; blames still need `confirmations` failing builds, and
//    probes left under bound + d + 2 re-check the weakest blame.
//  expect: careful from the first probe (for test suites known to be flaky:
//    every failure must repeat).
//  trust: every outcome is believed and no build is ever run twice: the
//    fewest builds when tests are reliable (see bisect/trust_split.hpp). A
//    single change whose cut failed is blamed at once, without building it
//    alone (Culprit::isolation says so). A spurious failure is therefore
//    blamed on an innocent change; it cannot be noticed, because nothing is
//    built that could contradict it. Outcomes that do contradict each other
//    are settled in favour of the pass: the search starts over from what it
//    has seen and Verdict::flakiness_seen is set (a caller that wants
//    careful blames then searches again with expect; the memo makes that
//    cheap).
enum class Flakiness { detect, expect, trust };

// Whether a blamed set was built alone on the baseline.
enum class Isolation {
  alone,       // the set alone failed: it breaks the image by itself
  with_others  // it failed on top of changes that pass without it; not built
               // alone, so it may break only together with one of them
};

struct SearchOptions {
  int jobs = 1;                 // probes per round
  int confirmations = 2;        // careful mode: failing runs before a failure is believed (>= 1)
  int max_probes = 0;           // 0: 8 * n + 64
  int max_split_attempts = 12;  // unresolved cuts tried per step before giving up on it
  int full_candidate_failures = 1;  // failing runs of the full candidate the caller has seen
  Flakiness flakiness = Flakiness::detect;
  // Estimated chance that a build of a passing candidate reports a failure
  // (from the history of this image); 0 when unknown. Only reported: it is
  // each culprit's flake_chance. confirmations_for() turns it into
  // `confirmations`.
  double flake_rate = 0.0;
};

// Failing builds a careful blame needs so that the chance all of them were
// flakes is at most 1 - confidence: x = ceil(log(1 - C) / log f) (at least
// 1; 1 when flake_rate is 0). E.g. f = 0.2: C = 0.99 -> 3, C = 0.999 -> 5.
int confirmations_for(double flake_rate, double confidence);

struct Probe {
  std::size_t number = 0;  // 1-based, in the order the oracle was asked
  Subset subset;
  int run = 0;
  Outcome outcome = Outcome::pass;
  int round = 0;  // 1-based oracle call
  std::string purpose;
};

struct Culprit {
  Subset changes;  // 1 change: a single culprit; 2+: an interacting set
  Subset needs;    // applied alongside because `changes` alone cannot be installed; not blamed
  std::vector<std::size_t> evidence;  // probe numbers the blame rests on
  // Independent failing builds only this set explains: each failed, and the
  // same candidate without the set is known to pass (the full candidate's
  // own failures count when it is the only culprit).
  int failing_builds = 0;
  Isolation isolation = Isolation::alone;
  // Chance that every one of those builds failed spuriously:
  // flake_rate ^ failing_builds; 0 when SearchOptions::flake_rate is 0.
  double flake_chance = 0.0;
};

enum class Decision { cleared, blamed, needed, unresolved, flaky };

std::string_view to_string(Decision decision);

struct Verdict {
  std::vector<Culprit> culprits;
  std::vector<std::size_t> flaky;       // looked guilty once, did not reproduce: not blamed
  std::vector<std::size_t> unresolved;  // could not be isolated: not blamed, not cleared
  std::vector<Probe> probes;
  int rounds = 0;
  bool flakiness_seen = false;          // some outcome contradicted another
  bool full_failure_reproduced = true;  // false: the full candidate passed on a re-run
  bool rest_verified = false;           // "all changes minus culprits" was seen to pass
  std::vector<Decision> decision_per_change;
  std::vector<std::string> explanation_per_change;
};

// Errors: input when there are no changes or the options are out of range;
// infrastructure when a probe reports Outcome::error, the oracle answers a
// batch with the wrong number of outcomes, or max_probes is exhausted.
Result<Verdict> find_culprits(std::span<const ChangeInfo> changes, Oracle& oracle,
                              const SearchOptions& options = {});

// ceil(log2 C(n, d)): the information-theoretic minimum number of pass/fail
// probes that can name d culprits among n changes.
int information_bound(std::size_t n, std::size_t d);

}  // namespace driftlock::bisect
