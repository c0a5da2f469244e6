#include "pipeline/prober.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <thread>

#include "core/exporter.hpp"
#include "publish/run_render.hpp"

namespace driftlock::pipeline {
namespace {

Timestamp now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

// The memo keeps the reason as the first line of the tail, so a recalled
// outcome still explains itself.
std::string pack_tail(const build::Verdict& verdict) {
  std::string out = verdict.reason;
  for (const std::string& line : verdict.tail) out += "\n" + line;
  return out;
}

build::Verdict recall(const store::MemoisedOutcome& memo) {
  build::Verdict verdict;
  verdict.outcome = memo.outcome;
  verdict.phase = memo.details.failing_tests.empty() ? build::Phase::build : build::Phase::test;
  const std::string& packed = memo.details.log_tail;
  const std::size_t newline = packed.find('\n');
  verdict.reason = packed.substr(0, newline);
  for (std::size_t at = newline; at != std::string::npos;) {
    const std::size_t next = packed.find('\n', at + 1);
    verdict.tail.push_back(packed.substr(at + 1, next == std::string::npos ? next : next - at - 1));
    at = next;
  }
  verdict.newly_failing = memo.details.failing_tests;
  verdict.log = memo.details.log_path;
  verdict.duration = memo.duration;
  verdict.notes.push_back("outcome recalled from an earlier build of the same candidate");
  return verdict;
}

}  // namespace

std::string describe_change(const Change& change) {
  return publish::change_label(change);
}

std::vector<bisect::ChangeInfo> change_infos(std::span<const Change> changes) {
  std::vector<bisect::ChangeInfo> infos;
  for (const Change& change : changes) {
    bisect::ChangeInfo info;
    info.label = describe_change(change);
    if (change.after && change.after->published) {
      if (auto t = parse_timestamp(*change.after->published)) info.published = *t;
    }
    infos.push_back(std::move(info));
  }
  return infos;
}

Prober::Prober(ProberSettings settings, exec::CommandRunner& runner, store::ProbeStore* store)
    : m_settings(std::move(settings)), m_runner(runner), m_store(store) {}

void Prober::set_baseline_tests(std::optional<build::TestResults> tests) {
  m_settings.baseline_tests = std::move(tests);
}

bisect::Subset Prober::everything() const {
  bisect::Subset all(m_settings.changes.size());
  std::iota(all.begin(), all.end(), std::size_t{0});
  return all;
}

bisect::Subset Prober::all_but(const std::vector<std::size_t>& left_out) const {
  bisect::Subset rest;
  for (std::size_t i = 0; i < m_settings.changes.size(); ++i) {
    if (std::find(left_out.begin(), left_out.end(), i) == left_out.end()) rest.push_back(i);
  }
  return rest;
}

Result<ProbeResult> Prober::prepare(const bisect::Subset& subset) {
  std::vector<const Change*> selected;
  for (std::size_t i : subset) {
    if (i >= m_settings.changes.size()) return fail_input("probe names an unknown change");
    selected.push_back(&m_settings.changes[i]);
  }
  auto dependencies = build::apply_changes(m_settings.baseline, selected);
  if (!dependencies) return std::unexpected(std::move(dependencies.error()));
  auto candidate = build::make_candidate(m_settings.manifest->image, std::move(*dependencies));
  if (!candidate) return std::unexpected(std::move(candidate.error()));
  auto folder = build::materialize(*candidate, m_settings.state_folder / "candidates",
                                   m_settings.ecosystems, export_options(*m_settings.manifest));
  if (!folder) return std::unexpected(std::move(folder.error()));
  ProbeResult result;
  result.candidate = std::move(*candidate);
  result.env = std::move(folder->env);
  return result;
}

Result<ProbeResult> Prober::evaluate_one(const bisect::Subset& subset, int attempt,
                                         const std::string& purpose) {
  const bisect::ProbeRequest request{subset, attempt};
  auto results = evaluate(std::span(&request, 1), std::span(&purpose, 1));
  if (!results) return std::unexpected(std::move(results.error()));
  return std::move(results->front());
}

Result<std::vector<ProbeResult>> Prober::evaluate(std::span<const bisect::ProbeRequest> batch,
                                                  std::span<const std::string> purposes) {
  std::vector<ProbeResult> results;
  std::vector<std::size_t> to_build;
  std::vector<build::JudgeRequest> requests(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto prepared = prepare(batch[i].subset);
    if (!prepared) return std::unexpected(std::move(prepared.error()));
    results.push_back(std::move(*prepared));
    ProbeResult& result = results.back();
    if (batch[i].run == 0 && m_store != nullptr) {
      auto memo = m_store->lookup_outcome(result.candidate.id, m_settings.builder_revision);
      if (!memo) return std::unexpected(std::move(memo.error()));
      // A baseline judged per test needs its JUnit results: build it again.
      const bool needs_tests = batch[i].subset.empty() && m_settings.manifest->commands.junit;
      if (*memo && !needs_tests) {
        result.verdict = recall(**memo);
        result.memoised = true;
        continue;
      }
    }
    build::JudgeRequest& request = requests[i];
    request.work_dir = m_settings.manifest->dir;
    request.commands = m_settings.manifest->commands;
    request.env = result.env;
    request.candidate_id = result.candidate.id;
    request.log = m_settings.state_folder / "logs" / fmt::format("run-{}", m_settings.run_id) /
                  fmt::format("{:03}-{}-{}.log", ++m_sequence, result.candidate.id, batch[i].run);
    if (!batch[i].subset.empty()) request.baseline_tests = m_settings.baseline_tests;
    to_build.push_back(i);
  }

  // Up to `jobs` builds at once; judge() never throws and the runner is
  // thread-safe, so plain threads do.
  const std::size_t jobs =
      static_cast<std::size_t>(std::max(1, m_settings.manifest->commands.jobs));
  for (std::size_t start = 0; start < to_build.size(); start += jobs) {
    const std::size_t end = std::min(to_build.size(), start + jobs);
    if (end - start == 1) {
      const std::size_t i = to_build[start];
      results[i].verdict = build::judge(m_runner, requests[i]);
      continue;
    }
    std::vector<std::thread> threads;
    for (std::size_t k = start; k < end; ++k) {
      const std::size_t i = to_build[k];
      threads.emplace_back([this, &results, &requests, i] {
        results[i].verdict = build::judge(m_runner, requests[i]);
      });
    }
    for (std::thread& thread : threads) thread.join();
  }
  m_builds += static_cast<int>(to_build.size());

  for (std::size_t i = 0; i < batch.size(); ++i) {
    const ProbeResult& result = results[i];
    const build::Verdict& verdict = result.verdict;
    if (m_store == nullptr) continue;
    if (!result.memoised && verdict.outcome != Outcome::error) {
      store::MemoisedOutcome memo;
      memo.outcome = verdict.outcome;
      memo.details.failing_tests = verdict.newly_failing;
      memo.details.log_path = verdict.log.string();
      memo.details.log_tail = pack_tail(verdict);
      memo.duration = verdict.duration;
      memo.recorded_at = now();
      auto recorded =
          m_store->record_outcome(result.candidate.id, m_settings.builder_revision, memo);
      if (!recorded) return std::unexpected(std::move(recorded.error()));
    }
    if (m_settings.run_id > 0) {
      store::ProbeRecord record;
      record.candidate_id = result.candidate.id;
      record.subset = batch[i].subset;
      record.attempt = batch[i].run;
      record.outcome = verdict.outcome;
      record.purpose = i < purposes.size() ? purposes[i] : std::string();
      record.duration = verdict.duration;
      record.recorded_at = now();
      auto logged = m_store->append_probe(m_settings.run_id, record);
      if (!logged) return std::unexpected(std::move(logged.error()));
    }
  }
  return results;
}

std::vector<Outcome> ProberOracle::probe(std::span<const bisect::ProbeRequest> batch) {
  std::vector<Outcome> outcomes(batch.size(), Outcome::error);
  if (m_failure) return outcomes;
  std::vector<std::string> purposes(batch.size(), "culprit search");
  auto results = m_prober.evaluate(batch, purposes);
  if (!results) {
    m_failure = std::move(results.error());
    return outcomes;
  }
  for (std::size_t i = 0; i < results->size(); ++i) {
    outcomes[i] = (*results)[i].verdict.outcome;
    m_results.push_back(std::move((*results)[i]));
  }
  return outcomes;
}

}  // namespace driftlock::pipeline
