#include "pipeline/culprit_search.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace driftlock::pipeline {
namespace {

std::vector<std::size_t> to_global(const std::vector<std::size_t>& local,
                                   const std::vector<std::size_t>& scope) {
  std::vector<std::size_t> out;
  out.reserve(local.size());
  for (std::size_t i : local) out.push_back(scope.at(i));
  return out;
}

}  // namespace

Planner::Planner(FlakyTests setting, std::optional<int> confirmations, store::ProbeStore& probes)
    : m_setting(setting), m_confirmations(confirmations), m_probes(probes) {
  m_plan = bisect::plan_search(m_setting, history(), m_confirmations);
}

bisect::FlakeHistory Planner::history() const {
  auto built = m_probes.built_outcomes();
  // Lost evidence costs accuracy under `auto`, never safety: every build is
  // still judged, and the run goes on.
  if (!built) return {};
  std::vector<bisect::BuildRecord> records;
  records.reserve(built->size());
  for (const store::BuiltOutcome& one : *built) {
    // Probes logged before schema 2 name no revision and may be recalls.
    if (one.builder_revision.empty()) continue;
    records.push_back({one.candidate_id + "@" + one.builder_revision, one.outcome});
  }
  bisect::FlakeHistory tallied = bisect::tally(records);
  if (m_flake_seen && tallied.flakes == 0) tallied.flakes = 1;
  return tallied;
}

void Planner::saw_flake() {
  m_flake_seen = true;
  if (m_setting == FlakyTests::automatic && m_plan.flakiness == bisect::Flakiness::trust) {
    m_plan = bisect::plan_search(m_setting, history(), m_confirmations);
    m_plan.why += " (a failure in this run did not repeat)";
  }
}

SearchModeReport Planner::report() const {
  SearchModeReport out;
  out.setting = std::string(to_string(m_setting));
  out.mode = m_plan.flakiness == bisect::Flakiness::trust ? "trust" : "careful";
  out.flake_rate = m_plan.flake_rate;
  out.confirmations = m_plan.confirmations;
  out.why = m_plan.why;
  return out;
}

int next_attempt(const RunReport& report, const std::vector<std::size_t>& subset) {
  int next = 1;
  for (const ProbeLine& line : report.probe_log) {
    if (line.subset == subset) next = std::max(next, line.run + 1);
  }
  return next;
}

Result<SearchFound> search_culprits(Prober& prober, Planner& planner, RunReport& report,
                                    const std::vector<std::size_t>& scope) {
  ProberOracle oracle(prober, scope);
  // One culprit's bound plus the "everything but the culprits" build: what
  // progress lines announce until the search needs more.
  prober.expect_builds(bisect::information_bound(scope.size(), 1) + 1);
  bisect::SearchOptions options;
  options.jobs = std::max(1, prober.settings().manifest->commands.jobs);
  const std::vector<bisect::ChangeInfo> all = change_infos(report.changes);
  std::vector<bisect::ChangeInfo> infos;
  for (std::size_t i : scope) infos.push_back(all.at(i));
  auto verdict = bisect::search_with_plan(infos, oracle, options, planner.plan(),
                                          [&] { return planner.history(); });
  if (oracle.failure()) return std::unexpected(*oracle.failure());
  if (!verdict) {
    // An `error` probe: say which build and why.
    for (const ProbeResult& result : oracle.results()) {
      if (result.verdict.outcome == Outcome::error)
        return std::unexpected(build_error("candidate " + result.candidate.id, result));
    }
    return std::unexpected(std::move(verdict.error()));
  }
  if (verdict->flakiness_seen || !verdict->full_failure_reproduced) planner.saw_flake();

  const std::size_t first_number = report.probe_log.size();
  const int first_round = report.rounds;
  report.probes += static_cast<int>(verdict->probes.size());
  report.rounds += verdict->rounds;
  for (std::size_t i : to_global(verdict->flaky, scope)) report.flaky.push_back(i);
  for (std::size_t i : to_global(verdict->unresolved, scope)) report.unresolved.push_back(i);
  report.explanations.resize(report.changes.size());
  for (std::size_t i = 0; i < verdict->explanation_per_change.size() && i < scope.size(); ++i) {
    report.explanations[scope[i]] = verdict->explanation_per_change[i];
  }
  for (const bisect::Probe& probe : verdict->probes) {
    report.probe_log.push_back({first_number + probe.number, to_global(probe.subset, scope),
                                probe.run, first_round + probe.round, probe.outcome,
                                probe.purpose});
  }

  std::vector<std::size_t> left_out = to_global(verdict->unresolved, scope);
  for (const bisect::Culprit& culprit : verdict->culprits) {
    CulpritReport entry;
    entry.changes = to_global(culprit.changes, scope);
    entry.needs = to_global(culprit.needs, scope);
    // The evidence's first failing build explains the blame best.
    for (std::size_t number : culprit.evidence) {
      if (number == 0 || number > oracle.results().size()) continue;
      const ProbeResult& result = oracle.results()[number - 1];
      if (result.verdict.outcome != Outcome::fail) continue;
      entry.reason = result.verdict.reason;
      entry.failing_tests = result.verdict.newly_failing;
      entry.log = result.verdict.log.string();
      entry.tail = result.verdict.tail;
      break;
    }
    if (entry.reason.empty()) entry.reason = "fails only with this change";
    entry.failing_builds = culprit.failing_builds;
    entry.isolated = culprit.isolation == bisect::Isolation::alone;
    entry.flake_chance = culprit.flake_chance;
    left_out.insert(left_out.end(), entry.changes.begin(), entry.changes.end());
    if (bisect::is_suspected(culprit)) {
      report.suspected.push_back(std::move(entry));
    } else {
      report.culprits.push_back(std::move(entry));
    }
  }
  std::size_t blamed = 0;
  for (const CulpritReport& c : report.culprits) blamed += c.changes.size();
  report.bound = bisect::information_bound(report.changes.size(), std::max<std::size_t>(1, blamed));
  report.search_mode = planner.report();
  std::sort(left_out.begin(), left_out.end());
  left_out.erase(std::unique(left_out.begin(), left_out.end()), left_out.end());
  SearchFound found{std::move(left_out), std::nullopt};
  for (const bisect::Probe& probe : verdict->probes) {
    if (probe.subset.size() != scope.size() || probe.outcome != Outcome::pass) continue;
    if (probe.number == 0 || probe.number > oracle.results().size()) continue;
    found.scope_passed = oracle.results()[probe.number - 1];
  }
  return found;
}

}  // namespace driftlock::pipeline
