#include "pipeline/prober.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <thread>

#include "core/exporter.hpp"
#include "core/text.hpp"
#include "publish/run_render.hpp"

namespace driftlock::pipeline {
namespace {

Timestamp now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

// The memo keeps the reason as the first line of the tail, so a recalled
// outcome still explains itself.
std::string pack_tail(const candidate::Verdict& verdict) {
  std::string out = verdict.reason;
  for (const std::string& line : verdict.tail) out += "\n" + line;
  return out;
}

candidate::Verdict recall(const store::MemoisedOutcome& memo) {
  candidate::Verdict verdict;
  verdict.outcome = memo.outcome;
  verdict.phase =
      memo.details.failing_tests.empty() ? candidate::Phase::build : candidate::Phase::test;
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

// The candidate's variables plus DRIFTLOCK_WORK_DIR, still sorted by name.
std::vector<exec::EnvVar> with_work_dir(std::vector<exec::EnvVar> env,
                                        const std::filesystem::path& dir) {
  exec::EnvVar var{"DRIFTLOCK_WORK_DIR", dir.string()};
  auto at = std::lower_bound(env.begin(), env.end(), var,
                             [](const auto& a, const auto& b) { return a.name < b.name; });
  env.insert(at, std::move(var));
  return env;
}

// Every test that failed in this build (not only the newly failing ones):
// the evidence store::ProbeStore::flaky_tests() reads.
std::vector<std::string> failing_tests(const candidate::TestResults& tests) {
  std::vector<std::string> out;
  for (const auto& [id, status] : tests) {
    if (status == candidate::TestStatus::failed || status == candidate::TestStatus::error) {
      out.push_back(id);
    }
  }
  return out;
}

}  // namespace

std::filesystem::path work_root(const std::filesystem::path& state_folder) {
  return state_folder / "work";
}

Error build_error(std::string_view what, const ProbeResult& result) {
  return Error{ErrorKind::infrastructure,
               fmt::format("the {} could not be built: {} (log: {})", what, result.verdict.reason,
                           result.verdict.log.string()),
               std::nullopt};
}

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
    : m_settings(std::move(settings)), m_runner(runner), m_store(store) {
  // One building command at a time holds the state folder: what an earlier
  // one left in work/ (failed probes kept for a look) is no longer needed.
  std::error_code ec;
  std::filesystem::remove_all(work_root(m_settings.state_folder), ec);
}

void Prober::expect_builds(int more) {
  m_expected = std::max(m_expected, m_builds) + more;
}

void Prober::set_baseline_tests(std::optional<candidate::TestResults> tests) {
  m_settings.baseline_tests = std::move(tests);
}

void Prober::set_requirements(RequirementCheck requirements) {
  m_settings.requirements = std::move(requirements);
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
  auto dependencies = candidate::apply_changes(m_settings.baseline, selected);
  if (!dependencies) return std::unexpected(std::move(dependencies.error()));
  auto candidate = candidate::make_candidate(m_settings.manifest->image, std::move(*dependencies));
  if (!candidate) return std::unexpected(std::move(candidate.error()));
  auto folder = candidate::materialize(*candidate, m_settings.state_folder / "candidates",
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
                                                  std::span<const std::string> purposes,
                                                  int round) {
  std::vector<ProbeResult> results;
  std::vector<std::size_t> to_build;
  std::vector<candidate::JudgeRequest> requests(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto prepared = prepare(batch[i].subset);
    if (!prepared) return std::unexpected(std::move(prepared.error()));
    results.push_back(std::move(*prepared));
    ProbeResult& result = results.back();
    // A pairing the registry says cannot install costs no build.
    if (auto conflict = m_settings.requirements.conflict(batch[i].subset)) {
      result.ruled_out = true;
      result.verdict.outcome = Outcome::unresolved;
      result.verdict.reason = "not built: " + *conflict;
      if (m_settings.progress) {
        m_settings.progress->note(fmt::format(
            "{} ({}): {}", i < purposes.size() ? purposes[i] : "probe",
            counted(batch[i].subset.size(), "change", "changes"), result.verdict.reason));
      }
      continue;
    }
    if (batch[i].run == 0 && m_store != nullptr && m_settings.recall == Recall::memo) {
      auto memo = m_store->lookup_outcome(result.candidate.id, m_settings.builder_revision);
      if (!memo) return std::unexpected(std::move(memo.error()));
      // A baseline judged per test needs its JUnit results: build it again.
      const bool needs_tests = batch[i].subset.empty() && m_settings.manifest->commands.junit;
      if (*memo && !needs_tests) {
        result.verdict = recall(**memo);
        result.memoised = true;
        if (m_settings.progress) {
          m_settings.progress->note(
              fmt::format("{} ({}): {} recalled from an earlier build of candidate {}",
                          i < purposes.size() ? purposes[i] : "probe",
                          counted(batch[i].subset.size(), "change", "changes"),
                          to_string(result.verdict.outcome), result.candidate.id));
        }
        continue;
      }
    }
    candidate::JudgeRequest& request = requests[i];
    const std::string stem =
        fmt::format("{:03}-{}-{}", ++m_sequence, result.candidate.id, batch[i].run);
    const std::filesystem::path run_folder = fmt::format("run-{}", m_settings.run_id);
    request.work_dir = m_settings.manifest->dir;
    request.probe_dir = work_root(m_settings.state_folder) / run_folder / stem;
    request.commands = m_settings.manifest->commands;
    request.env = with_work_dir(result.env, request.probe_dir);
    result.env = request.env;
    request.candidate_id = result.candidate.id;
    request.log = m_settings.state_folder / "logs" / run_folder / (stem + ".log");
    if (!batch[i].subset.empty()) {
      request.baseline_tests = m_settings.baseline_tests;
      request.known_flaky_tests = m_settings.known_flaky_tests;
    }
    to_build.push_back(i);
  }

  // Up to `jobs` builds at once; judge() never throws and the runner is
  // thread-safe, so plain threads do.
  const std::size_t jobs =
      static_cast<std::size_t>(std::max(1, m_settings.manifest->commands.jobs));
  auto build_one = [&](std::size_t i, int number) {
    candidate::JudgeRequest& request = requests[i];
    if (m_settings.progress) {
      ProbeStart start;
      start.number = number;
      start.expected_total = std::max(m_expected, number);
      start.changes = batch[i].subset.size();
      start.total_changes = m_settings.changes.size();
      start.round = round;
      start.attempt = batch[i].run;
      start.purpose = i < purposes.size() ? purposes[i] : std::string();
      start.candidate_id = results[i].candidate.id;
      for (std::size_t c : batch[i].subset) {
        start.labels.push_back(describe_change(m_settings.changes[c]));
      }
      m_settings.progress->probe_started(start);
    }
    results[i].verdict = candidate::judge(m_runner, request);
    const candidate::Verdict& verdict = results[i].verdict;
    if (verdict.outcome == Outcome::pass) {
      std::error_code ec;
      std::filesystem::remove_all(request.probe_dir, ec);
    }
    if (m_settings.progress) {
      ProbeEnd end;
      end.number = number;
      end.expected_total = std::max(m_expected, number);
      end.outcome = verdict.outcome;
      end.reason = verdict.reason;
      end.duration = verdict.duration;
      end.log = verdict.log;
      if (verdict.outcome != Outcome::pass) end.work_dir = request.probe_dir;
      m_settings.progress->probe_finished(end);
    }
  };
  for (std::size_t start = 0; start < to_build.size(); start += jobs) {
    const std::size_t end = std::min(to_build.size(), start + jobs);
    const candidate::Sharing sharing =
        end - start > 1 ? candidate::Sharing::parallel : candidate::Sharing::alone;
    for (std::size_t k = start; k < end; ++k) requests[to_build[k]].sharing = sharing;
    const int first = m_builds + static_cast<int>(start) + 1;
    if (end - start == 1) {
      build_one(to_build[start], first);
      continue;
    }
    std::vector<std::thread> threads;
    for (std::size_t k = start; k < end; ++k) {
      threads.emplace_back(build_one, to_build[k], first + static_cast<int>(k - start));
    }
    for (std::thread& thread : threads) thread.join();
  }
  m_builds += static_cast<int>(to_build.size());

  for (std::size_t i = 0; i < batch.size(); ++i) {
    const ProbeResult& result = results[i];
    const candidate::Verdict& verdict = result.verdict;
    if (m_store == nullptr) continue;
    if (!result.memoised && !result.ruled_out && verdict.outcome != Outcome::error) {
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
      record.builder_revision = m_settings.builder_revision;
      record.built = !result.memoised && !result.ruled_out;
      if (verdict.tests) record.failing_tests = failing_tests(*verdict.tests);
      record.outcome = verdict.outcome;
      record.purpose = i < purposes.size() ? purposes[i] : std::string();
      record.duration = verdict.duration;
      record.recorded_at = now();
      record.round = round;
      auto logged = m_store->append_probe(m_settings.run_id, record);
      if (!logged) return std::unexpected(std::move(logged.error()));
    }
  }
  return results;
}

std::vector<Outcome> ProberOracle::probe(std::span<const bisect::ProbeRequest> batch) {
  std::vector<Outcome> outcomes(batch.size(), Outcome::error);
  if (m_failure) return outcomes;
  std::vector<std::string> purposes;
  for (const bisect::ProbeRequest& request : batch) {
    purposes.push_back(request.run > 0 ? "culprit search, re-run" : "culprit search");
  }
  std::vector<bisect::ProbeRequest> requests(batch.begin(), batch.end());
  if (!m_scope.empty()) {
    for (bisect::ProbeRequest& request : requests) {
      for (std::size_t& i : request.subset) i = m_scope.at(i);
    }
  }
  auto results = m_prober.evaluate(requests, purposes, m_prober.next_search_round());
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
