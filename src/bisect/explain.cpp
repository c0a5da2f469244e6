#include "bisect/explain.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace driftlock::bisect {
namespace {

class Explainer {
 public:
  explicit Explainer(const ExplainInput& in) : m_in(in) {
    for (const Probe& p : in.probes) m_sets.push_back(Bits::of(in.changes.size(), p.subset));
  }

  std::string label(std::size_t c) const {
    const std::string& l = m_in.changes[c].label;
    return l.empty() ? fmt::format("change {}", c) : l;
  }

  std::string labels(const std::vector<std::size_t>& cs) const {
    std::string out;
    for (std::size_t c : cs) out += (out.empty() ? "" : ", ") + label(c);
    return out;
  }

  // Probe numbers (1-based) of runs of exactly `set` with the given outcome.
  std::vector<std::size_t> runs_of(const Bits& set, Outcome outcome) const {
    std::vector<std::size_t> out;
    if (const Observation* o = m_in.ledger.find(set)) {
      for (std::size_t number : o->probes) {
        if (m_in.probes[number - 1].outcome == outcome) out.push_back(number);
      }
    }
    return out;
  }

  // The first probe that passed with every change of `set` applied.
  std::optional<std::size_t> first_pass_containing(const Bits& set) const {
    for (std::size_t i = 0; i < m_sets.size(); ++i) {
      if (m_in.probes[i].outcome == Outcome::pass && set.subset_of(m_sets[i])) return i + 1;
    }
    return std::nullopt;
  }

  std::vector<std::size_t> unresolved_containing(std::size_t c) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < m_sets.size(); ++i) {
      if (m_in.probes[i].outcome == Outcome::unresolved && m_sets[i].test(c)) out.push_back(i + 1);
    }
    return out;
  }

  static std::string numbers(const std::vector<std::size_t>& ns) {
    std::string out;
    for (std::size_t n : ns) out += fmt::format("{}#{}", out.empty() ? "" : ", ", n);
    return out.empty() ? "the caller's run" : out;
  }

  const ExplainInput& m_in;
  std::vector<Bits> m_sets;
};

std::vector<std::size_t> sorted(std::vector<std::size_t> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

}  // namespace

void explain(const ExplainInput& in, Verdict& v) {
  const std::size_t n = in.changes.size();
  Explainer ex(in);
  v.decision_per_change.assign(n, Decision::cleared);
  v.explanation_per_change.assign(n, "");
  std::vector<bool> decided(n, false);

  for (std::size_t k = 0; k < in.found.size(); ++k) {
    const Found& f = in.found[k];
    std::vector<std::size_t> applied = f.members;
    applied.insert(applied.end(), f.needs.begin(), f.needs.end());
    const Bits alone = Bits::of(n, applied);
    Culprit culprit{sorted(f.members), sorted(f.needs), {}};
    std::vector<std::size_t> alone_fails = ex.runs_of(alone, Outcome::fail);
    std::vector<std::size_t> steer_fails = ex.runs_of(f.steering, Outcome::fail);
    std::optional<std::size_t> below = ex.first_pass_containing(f.context);
    std::vector<std::size_t> evidence = alone_fails;
    evidence.insert(evidence.end(), steer_fails.begin(), steer_fails.end());
    if (below) evidence.push_back(*below);
    for (const Bits& e : f.member_evidence) {
      auto more = ex.runs_of(e, Outcome::fail);
      evidence.insert(evidence.end(), more.begin(), more.end());
    }
    culprit.evidence = sorted(std::move(evidence));
    culprit.failing_builds = in.ledger.implicating_fails(Bits::of(n, f.members));
    culprit.isolation = alone_fails.empty() ? Isolation::with_others : Isolation::alone;
    if (in.flake_rate > 0) {
      culprit.flake_chance = std::pow(in.flake_rate, culprit.failing_builds);
    }

    const std::string below_text =
        below ? fmt::format("probe #{} passed without it", *below) : "the baseline passes";
    for (std::size_t c : f.members) {
      v.decision_per_change[c] = Decision::blamed;
      decided[c] = true;
      std::vector<std::size_t> others;
      for (std::size_t o : f.members) {
        if (o != c) others.push_back(o);
      }
      if (alone_fails.empty()) {
        // Trusted outcomes: blamed on its cut, never built alone.
        v.explanation_per_change[c] = fmt::format(
            "blamed (culprit {}){}: the release-time cut that added it failed ({}) while {}; "
            "not built alone, so it may fail only together with a change applied below it",
            k + 1,
            others.empty() ? std::string() : fmt::format(" together with {}", ex.labels(others)),
            ex.numbers(steer_fails), below_text);
      } else if (f.members.size() == 1) {
        v.explanation_per_change[c] = fmt::format(
            "blamed (culprit {}): it fails on its own (probe {}); the release-time cut that "
            "added it failed ({}) while {}",
            k + 1, ex.numbers(alone_fails), ex.numbers(steer_fails), below_text);
      } else {
        v.explanation_per_change[c] = fmt::format(
            "blamed (culprit {}) together with {}: the set fails on its own (probe {}) and "
            "passes whenever one member is left out",
            k + 1, ex.labels(others), ex.numbers(alone_fails));
      }
      if (!f.needs.empty()) {
        v.explanation_per_change[c] +=
            fmt::format("; it cannot be installed without {}", ex.labels(f.needs));
      }
    }
    for (std::size_t c : f.needs) {
      v.decision_per_change[c] = Decision::needed;
      decided[c] = true;
      v.explanation_per_change[c] = fmt::format(
          "not blamed: applied with culprit {} ({}) because without it that candidate could not "
          "be installed",
          k + 1, ex.labels(f.members));
    }
    v.culprits.push_back(std::move(culprit));
  }

  for (const Order& group : in.unresolved) {
    for (std::size_t c : group) {
      if (decided[c]) continue;
      decided[c] = true;
      v.unresolved.push_back(c);
      v.decision_per_change[c] = Decision::unresolved;
      auto tries = ex.unresolved_containing(c);
      std::vector<std::size_t> others;
      for (std::size_t o : group) {
        if (o != c) others.push_back(o);
      }
      // No uninstallable probe holds it: the search gave up because the
      // outcomes did not repeat (a partner chain treated as flakiness).
      if (tries.empty()) {
        v.explanation_per_change[c] =
            group.size() == 1
                ? std::string(
                      "unresolved: not blamed, not shipped; its failures did not repeat "
                      "consistently enough to blame it (flaky tests?)")
                : fmt::format(
                      "unresolved: not blamed, not shipped; it could not be separated from "
                      "{}: their failures did not repeat consistently (flaky tests?)",
                      ex.labels(others));
        continue;
      }
      v.explanation_per_change[c] =
          group.size() == 1
              ? fmt::format(
                    "unresolved: not blamed; no candidate that isolates it could be "
                    "installed (probes {})",
                    ex.numbers(tries))
              : fmt::format(
                    "unresolved: not blamed; it could not be separated from {} because "
                    "the candidates that would separate them could not be installed "
                    "(probes {})",
                    ex.labels(others), ex.numbers(tries));
    }
  }

  for (std::size_t c = 0; c < n; ++c) {
    if (decided[c]) continue;
    Bits just(n);
    just.set(c);
    std::optional<std::size_t> cleared = ex.first_pass_containing(just);
    if (in.suspected[c]) {
      v.flaky.push_back(c);
      v.decision_per_change[c] = Decision::flaky;
      std::vector<std::size_t> looked = ex.runs_of(*in.suspected[c], Outcome::fail);
      std::optional<std::size_t> refuted = ex.first_pass_containing(*in.suspected[c]);
      if (!refuted) refuted = cleared;
      v.explanation_per_change[c] =
          fmt::format("flaky: a failure pointed at it ({}), but {}; not blamed", ex.numbers(looked),
                      refuted ? fmt::format("probe #{} passed with it applied", *refuted)
                              : std::string("it did not reproduce"));
      continue;
    }
    v.explanation_per_change[c] =
        cleared ? fmt::format("cleared: probe #{} passed with it applied", *cleared)
                : std::string("not blamed: never part of a failing candidate the search kept");
  }
  std::sort(v.unresolved.begin(), v.unresolved.end());
}

}  // namespace driftlock::bisect
