// What `driftlock run`, `check` and `bisect` tell their reader: the changes,
// the culprits with the evidence against them, what shipped. Plain data;
// pipeline/ fills it, publish/run_render.cpp prints it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/diff.hpp"
#include "core/outcome.hpp"

namespace driftlock {

enum class RunStatus {
  no_drift,           // nothing changed: exit 0
  planned,            // --dry-run: exit 0
  shipped,            // every change shipped: exit 0
  shipped_partially,  // culprits held back, the rest shipped: exit 1
  not_shipped,        // culprits named, nothing could ship: exit 1
  passed,             // check / bisect: the candidate passes: exit 0
  failed,             // check: the snapshot fails its build or tests: exit 1
  closure_captured,   // run: the passing baseline's closure was captured and committed: exit 0
};

std::string_view to_string(RunStatus status);
int exit_code(RunStatus status);

struct CulpritReport {
  std::vector<std::size_t> changes;  // indices into RunReport::changes; 2+: they break together
  std::vector<std::size_t> needs;    // installed alongside, not blamed
  std::string reason;                // "test exited with 1", "test: 2 tests newly failing: ..."
  std::vector<std::string> failing_tests;
  std::string log;                // the log of the build that showed it
  std::vector<std::string> tail;  // its last lines
  // The evidence: independent failing builds only this blame explains,
  // whether the set was built alone on the baseline (else it failed on top
  // of other changes and may break only together with one of them), and the
  // chance that every one of those builds failed spuriously (0 when the
  // tests are trusted).
  int failing_builds = 0;
  bool isolated = true;
  double flake_chance = 0.0;
};

// How the search treated failing builds ([policy] flaky-tests).
struct SearchModeReport {
  std::string setting;      // "auto", "expect", "trust"
  std::string mode;         // "trust" or "careful"
  double flake_rate = 0.0;  // the estimate the search used
  int confirmations = 1;    // failing builds per careful blame
  std::string why;          // one line: the setting and the evidence behind it
};

struct ProbeLine {
  std::size_t number = 0;
  std::vector<std::size_t> subset;
  int run = 0;
  int round = 0;
  Outcome outcome = Outcome::pass;
  std::string purpose;
};

struct RunReport {
  std::string command;  // "run", "check", "bisect"
  std::string image;
  RunStatus status = RunStatus::no_drift;
  std::vector<Change> changes;
  std::vector<CulpritReport> culprits;
  // Blames whose chance of resting only on flaky failures is above 1 - the
  // confidence: reported, left out of what ships, never held back.
  std::vector<CulpritReport> suspected;
  std::vector<std::size_t> flaky;       // looked guilty, did not reproduce
  std::vector<std::size_t> unresolved;  // could not be isolated: not blamed, not shipped
  std::vector<std::size_t> shipped;     // changes in the shipped snapshot
  bool pushed = false;
  std::string push_note;                        // "pushed", "--no-push", "no push command"
  std::string commit_note;                      // "committed", "not a git repository", ...
  std::optional<std::string> snapshot_written;  // the path, when written
  std::string snapshot_file;  // the snapshot relative to the manifest's folder ("" unknown)
  std::string message;        // one line for humans and history
  int builds = 0;             // builds actually run
  int probes = 0;             // search probes (memoised ones included)
  int rounds = 0;
  int bound = 0;  // information-theoretic minimum for the culprits found
  std::vector<ProbeLine> probe_log;
  std::vector<std::string> explanations;        // per change, from the search (--explain)
  std::optional<SearchModeReport> search_mode;  // set once a build was judged
  std::vector<std::string> rechecks;            // why each re-run outside the search was spent
};

}  // namespace driftlock
