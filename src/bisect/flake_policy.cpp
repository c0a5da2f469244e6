#include "bisect/flake_policy.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace driftlock::bisect {
namespace {

struct Counts {
  int passes = 0;
  int failures = 0;
};

FlakeHistory from_counts(const std::map<std::string, Counts>& per_candidate) {
  FlakeHistory history;
  for (const auto& [candidate, counts] : per_candidate) {
    if (counts.passes == 0) continue;
    history.passing_builds += counts.passes + counts.failures;
    history.flakes += counts.failures;
  }
  return history;
}

void count(Counts& counts, Outcome outcome) {
  if (outcome == Outcome::pass) ++counts.passes;
  if (outcome == Outcome::fail) ++counts.failures;
}

std::string percent(double rate) {
  return fmt::format("{:.0f}%", rate * 100.0);
}

std::string evidence_text(const FlakeHistory& history) {
  return fmt::format(
      "{} in {} of candidates that also passed",
      history.flakes == 1 ? "1 failing build" : fmt::format("{} failing builds", history.flakes),
      history.passing_builds == 1 ? "1 build" : fmt::format("{} builds", history.passing_builds));
}

}  // namespace

FlakeHistory& FlakeHistory::operator+=(const FlakeHistory& other) {
  passing_builds += other.passing_builds;
  flakes += other.flakes;
  return *this;
}

FlakeHistory tally(std::span<const BuildRecord> builds) {
  std::map<std::string, Counts> per_candidate;
  for (const BuildRecord& build : builds) count(per_candidate[build.candidate], build.outcome);
  return from_counts(per_candidate);
}

FlakeHistory tally(std::span<const Probe> probes) {
  std::map<std::string, Counts> per_candidate;
  for (const Probe& probe : probes) {
    count(per_candidate[fmt::format("{}", fmt::join(probe.subset, ","))], probe.outcome);
  }
  return from_counts(per_candidate);
}

double estimated_flake_rate(const FlakeHistory& history) {
  if (history.flakes <= 0) return 0.0;
  const double rate = (history.flakes + 1.0) / (history.passing_builds + 2.0);
  return std::min(rate, kMaxFlakeRate);
}

SearchPlan plan_search(FlakyTests setting, const FlakeHistory& history,
                       std::optional<int> confirmations) {
  SearchPlan plan;
  plan.setting = setting;
  plan.fixed_confirmations = confirmations;
  const double estimate = estimated_flake_rate(history);
  auto careful = [&](std::string reason) {
    plan.flakiness = Flakiness::expect;
    plan.flake_rate = estimate > 0.0 ? estimate : kAssumedFlakeRate;
    plan.recheck_stops = true;
    const std::string builds = [&] {
      const int x = confirmations.value_or(confirmations_for(plan.flake_rate, kBlameConfidence));
      plan.confirmations = x;
      return x == 1 ? std::string("1 failing build") : fmt::format("{} failing builds", x);
    }();
    plan.why =
        confirmations
            ? fmt::format("{}: every failure must repeat; each blame needs {} (--confirmations)",
                          reason, builds)
            : fmt::format(
                  "{}: every failure must repeat; each blame needs {} for {} confidence "
                  "at an estimated flake rate of {}",
                  reason, builds, percent(kBlameConfidence), percent(plan.flake_rate));
  };
  switch (setting) {
    case FlakyTests::trust:
      plan.flakiness = Flakiness::trust;
      plan.confirmations = 1;
      plan.flake_rate = 0.0;
      plan.recheck_stops = false;
      plan.why = "flaky-tests = trust: every outcome is believed, no build is run twice";
      break;
    case FlakyTests::expect:
      careful(estimate > 0.0 ? fmt::format("flaky-tests = expect ({})", evidence_text(history))
                             : "flaky-tests = expect (no flake recorded yet: assumed)");
      break;
    case FlakyTests::automatic:
      if (estimate > 0.0) {
        careful(fmt::format("flaky-tests = auto, careful: {}", evidence_text(history)));
      } else {
        plan.flakiness = Flakiness::trust;
        plan.confirmations = 1;
        plan.flake_rate = 0.0;
        plan.recheck_stops = true;
        plan.why = fmt::format(
            "flaky-tests = auto, trusting: {} (a failure that stops the run is re-checked; "
            "outcomes that contradict each other switch to careful)",
            history.passing_builds == 0 ? std::string("no build on record yet")
            : history.passing_builds == 1
                ? std::string("no flake in 1 build of a passing candidate")
                : fmt::format("no flake in {} builds of passing candidates",
                              history.passing_builds));
      }
      break;
  }
  return plan;
}

bool is_suspected(const Culprit& culprit) {
  return culprit.flake_chance > 1.0 - kBlameConfidence + 1e-12;
}

namespace {

void apply(const SearchPlan& plan, SearchOptions& options, std::size_t n, int given_max) {
  options.flakiness = plan.flakiness;
  options.confirmations = plan.confirmations;
  options.flake_rate = plan.flake_rate;
  // A careful search spends about 4 builds per confirmation on each culprit
  // when most changes are culprits: the default budget (8n + 64) would stop
  // it half-way at 3 or more confirmations.
  if (given_max == 0 && plan.flakiness != Flakiness::trust) {
    options.max_probes = (4 * plan.confirmations + 2) * static_cast<int>(n) + 64;
  } else {
    options.max_probes = given_max;
  }
}

// A trusting blame whose one failing build is the full candidate's (the
// caller's observation, not a probe): the blame a single flaky build makes.
// Only for a lone culprit: with several, the full candidate's failure is
// not this one's alone to explain.
bool rests_on_full_candidate(const Culprit& culprit, const Verdict& verdict) {
  if (verdict.culprits.size() != 1 || culprit.failing_builds != 1) return false;
  return std::none_of(culprit.evidence.begin(), culprit.evidence.end(), [&](std::size_t number) {
    return number >= 1 && number <= verdict.probes.size() &&
           verdict.probes[number - 1].outcome == Outcome::fail;
  });
}

}  // namespace

Result<Verdict> search_with_plan(std::span<const ChangeInfo> changes, Oracle& oracle,
                                 SearchOptions options, SearchPlan& plan,
                                 const std::function<FlakeHistory()>& evidence) {
  const int given_max = options.max_probes;
  apply(plan, options, changes.size(), given_max);
  auto verdict = find_culprits(changes, oracle, options);
  if (!verdict || plan.setting != FlakyTests::automatic || plan.flakiness != Flakiness::trust) {
    return verdict;
  }
  if (!verdict->flakiness_seen &&
      std::any_of(verdict->culprits.begin(), verdict->culprits.end(),
                  [&](const Culprit& c) { return rests_on_full_candidate(c, *verdict); })) {
    // Nothing but the full candidate's build points at the blamed change:
    // built once more, it either fails again (a second failing build) or
    // shows the night's only failure was a flake.
    Subset all(changes.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    const ProbeRequest request{all, 1};
    const std::vector<Outcome> outcome = oracle.probe(std::span(&request, 1));
    if (outcome.size() != 1 || outcome[0] == Outcome::error) {
      return fail(ErrorKind::infrastructure, "a probe reported an infrastructure error");
    }
    const int round = verdict->rounds + 1;
    verdict->rounds = round;
    verdict->probes.push_back(Probe{verdict->probes.size() + 1, all, 1, outcome[0], round,
                                    "confirm: the full candidate again (the blame rests on its "
                                    "one failing build)"});
    if (outcome[0] == Outcome::fail) {
      for (Culprit& culprit : verdict->culprits) {
        if (!rests_on_full_candidate(culprit, *verdict)) continue;
        culprit.failing_builds += 1;
        culprit.evidence.push_back(verdict->probes.size());
      }
      return verdict;
    }
    // Passes are believed in every mode: with every change applied the image
    // passes, so nothing is to blame and no search is needed.
    verdict->culprits.clear();
    verdict->flakiness_seen = true;
    verdict->full_failure_reproduced = false;
    verdict->rest_verified = true;
    for (Decision& decision : verdict->decision_per_change) decision = Decision::cleared;
    for (std::string& why : verdict->explanation_per_change) {
      why = fmt::format(
          "cleared: the full candidate passed when built again (probe #{}); its first failure "
          "was a flake",
          verdict->probes.size());
    }
    FlakeHistory seen = evidence ? evidence() : tally(verdict->probes);
    if (seen.flakes == 0) seen.flakes = 1;
    plan = plan_search(FlakyTests::automatic, seen, plan.fixed_confirmations);
    plan.why += " (the full candidate failed once and passed when built again)";
    return verdict;
  }
  if (!verdict->flakiness_seen) return verdict;
  // The trusting search saw a flake: its blames may rest on one. Search again
  // carefully; the first builds it repeats come from the memo.
  FlakeHistory seen = evidence ? evidence() : tally(verdict->probes);
  if (seen.flakes == 0) seen.flakes = 1;  // the contradiction itself
  std::vector<Probe> first = std::move(verdict->probes);
  plan = plan_search(FlakyTests::automatic, seen, plan.fixed_confirmations);
  plan.why += " (outcomes in this run contradicted each other)";
  apply(plan, options, changes.size(), given_max);
  auto careful = find_culprits(changes, oracle, options);
  if (!careful) return careful;
  // One probe log: the trusting search's, then the careful one's.
  const std::size_t offset = first.size();
  const int rounds = first.empty() ? 0 : first.back().round;
  for (Probe& probe : careful->probes) {
    probe.number += offset;
    probe.round += rounds;
  }
  for (Culprit& culprit : careful->culprits) {
    for (std::size_t& number : culprit.evidence) number += offset;
  }
  first.insert(first.end(), careful->probes.begin(), careful->probes.end());
  careful->probes = std::move(first);
  careful->rounds += rounds;
  careful->flakiness_seen = true;
  return careful;
}

}  // namespace driftlock::bisect
