#include "store/probes.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>
#include <utility>

#include "store/time_column.hpp"

namespace driftlock::store {
namespace {

using nlohmann::json;

// Logs are not always valid UTF-8: replace bad bytes rather than fail.
std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string details_json(const OutcomeDetails& details) {
  return dump(json{{"failing_tests", details.failing_tests},
                   {"log_path", details.log_path},
                   {"log_tail", details.log_tail}});
}

// A JSON array of strings (test ids); anything else is damage.
std::optional<std::vector<std::string>> parse_strings(const json& value) {
  if (!value.is_array()) return std::nullopt;
  std::vector<std::string> strings;
  for (const json& item : value) {
    if (!item.is_string()) return std::nullopt;
    strings.push_back(item.get<std::string>());
  }
  return strings;
}

// Unknown keys are ignored and missing ones stay empty, so later versions
// may add fields.
std::optional<OutcomeDetails> parse_details(std::string_view text) {
  const json value = json::parse(text, nullptr, false);
  if (!value.is_object()) return std::nullopt;
  OutcomeDetails details;
  if (auto tests = value.find("failing_tests"); tests != value.end()) {
    auto parsed = parse_strings(*tests);
    if (!parsed) return std::nullopt;
    details.failing_tests = std::move(*parsed);
  }
  for (auto [key, field] :
       {std::pair{"log_path", &details.log_path}, std::pair{"log_tail", &details.log_tail}}) {
    auto found = value.find(key);
    if (found == value.end()) continue;
    if (!found->is_string()) return std::nullopt;
    *field = found->get<std::string>();
  }
  return details;
}

std::string subset_json(const std::vector<std::size_t>& subset) {
  return fmt::format("[{}]", fmt::join(subset, ","));
}

std::optional<std::vector<std::size_t>> parse_subset(std::string_view text) {
  const json value = json::parse(text, nullptr, false);
  if (!value.is_array()) return std::nullopt;
  std::vector<std::size_t> subset;
  for (const json& index : value) {
    if (!index.is_number_unsigned()) return std::nullopt;
    subset.push_back(index.get<std::size_t>());
  }
  return subset;
}

// The failing_tests column: NULL when there were no JUnit results.
std::optional<std::string> failing_tests_json(
    const std::optional<std::vector<std::string>>& failing_tests) {
  if (!failing_tests) return std::nullopt;
  return dump(json(*failing_tests));
}

// nullopt inside: NULL; an outer nullopt: damaged.
std::optional<std::optional<std::vector<std::string>>> parse_failing_tests(
    const std::optional<std::string>& text) {
  if (!text) return std::optional<std::vector<std::string>>();
  auto tests = parse_strings(json::parse(*text, nullptr, false));
  if (!tests) return std::nullopt;
  return tests;
}

Error damaged(const Database& database, std::string_view what) {
  return Error{ErrorKind::infrastructure,
               fmt::format("state database '{}': {}", database.path().string(), what),
               std::nullopt};
}

}  // namespace

Result<std::optional<MemoisedOutcome>> ProbeStore::lookup_outcome(
    std::string_view candidate_id, std::string_view builder_revision) {
  auto select = m_database->prepare(
      "SELECT outcome, details, duration_ms, recorded_at FROM outcomes "
      "WHERE candidate_id = ?1 AND builder_revision = ?2");
  if (!select) return std::unexpected(std::move(select.error()));
  select->bind(1, candidate_id).bind(2, builder_revision);
  auto row = select->step();
  if (!row) return std::unexpected(std::move(row.error()));
  if (!*row) return std::nullopt;

  const std::string outcome_text = select->column_text(0);
  const std::optional<Outcome> outcome = parse_outcome(outcome_text);
  auto details = parse_details(select->column_text(1));
  if (!outcome || *outcome == Outcome::error || !details) {
    return std::unexpected(damaged(
        *m_database, fmt::format("the outcome memo for candidate '{}' (builder revision '{}') is "
                                 "damaged",
                                 candidate_id, builder_revision)));
  }
  return MemoisedOutcome{*outcome, std::move(*details),
                         std::chrono::milliseconds(select->column_int64(2)),
                         to_timestamp(select->column_int64(3))};
}

Result<void> ProbeStore::record_outcome(std::string_view candidate_id,
                                        std::string_view builder_revision,
                                        const MemoisedOutcome& outcome) {
  if (outcome.outcome == Outcome::error) {
    return fail(ErrorKind::infrastructure,
                fmt::format("refusing to memoise outcome 'error' for candidate '{}' (builder "
                            "revision '{}'): infrastructure failures are retried on the next run",
                            candidate_id, builder_revision));
  }
  auto insert = m_database->prepare(
      "INSERT OR REPLACE INTO outcomes "
      "(candidate_id, builder_revision, outcome, details, duration_ms, recorded_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!insert) return std::unexpected(std::move(insert.error()));
  insert->bind(1, candidate_id)
      .bind(2, builder_revision)
      .bind(3, to_string(outcome.outcome))
      .bind(4, details_json(outcome.details))
      .bind(5, static_cast<std::int64_t>(outcome.duration.count()))
      .bind(6, to_column(outcome.recorded_at));
  return insert->run();
}

Result<std::int64_t> ProbeStore::append_probe(std::int64_t run_id, const ProbeRecord& probe) {
  return in_transaction(*m_database, [&]() -> Result<std::int64_t> {
    // Next number and insert in one write transaction: no two probes share one.
    auto insert = m_database->prepare(
        "INSERT INTO probes (run_id, seq, candidate_id, subset, attempt, outcome, purpose, "
        "duration_ms, recorded_at, builder_revision, built, failing_tests, round) "
        "SELECT ?1, coalesce(max(seq), 0) + 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12 "
        "FROM probes WHERE run_id = ?1 "
        "RETURNING seq");
    if (!insert) return std::unexpected(std::move(insert.error()));
    insert->bind(1, run_id)
        .bind(2, probe.candidate_id)
        .bind(3, subset_json(probe.subset))
        .bind(4, probe.attempt)
        .bind(5, to_string(probe.outcome))
        .bind(6, probe.purpose)
        .bind(7, static_cast<std::int64_t>(probe.duration.count()))
        .bind(8, to_column(probe.recorded_at))
        .bind(9, probe.builder_revision)
        .bind(10, probe.built ? 1 : 0)
        .bind(11, failing_tests_json(probe.failing_tests));
    if (probe.round) {
      insert->bind(12, *probe.round);
    } else {
      insert->bind_null(12);
    }
    auto row = insert->step();
    if (!row) return std::unexpected(std::move(row.error()));
    const std::int64_t seq = insert->column_int64(0);
    if (auto done = insert->run(); !done) return std::unexpected(std::move(done.error()));
    return seq;
  });
}

Result<std::vector<ProbeRecord>> ProbeStore::probes_for_run(std::int64_t run_id) {
  auto select = m_database->prepare(
      "SELECT seq, candidate_id, subset, attempt, outcome, purpose, duration_ms, recorded_at, "
      "builder_revision, built, failing_tests, round "
      "FROM probes WHERE run_id = ?1 ORDER BY seq");
  if (!select) return std::unexpected(std::move(select.error()));
  select->bind(1, run_id);
  std::vector<ProbeRecord> probes;
  for (;;) {
    auto row = select->step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return probes;
    ProbeRecord probe;
    probe.seq = select->column_int64(0);
    probe.candidate_id = select->column_text(1);
    auto subset = parse_subset(select->column_text(2));
    probe.attempt = static_cast<int>(select->column_int64(3));
    auto outcome = parse_outcome(select->column_text(4));
    auto failing_tests = parse_failing_tests(select->column_optional_text(10));
    if (!subset || !outcome || !failing_tests) {
      return std::unexpected(
          damaged(*m_database, fmt::format("probe {} of run {} is damaged", probe.seq, run_id)));
    }
    probe.subset = std::move(*subset);
    probe.outcome = *outcome;
    probe.purpose = select->column_text(5);
    probe.duration = std::chrono::milliseconds(select->column_int64(6));
    probe.recorded_at = to_timestamp(select->column_int64(7));
    probe.builder_revision = select->column_text(8);
    probe.built = select->column_int64(9) != 0;
    probe.failing_tests = std::move(*failing_tests);
    if (!select->is_null(11)) probe.round = static_cast<int>(select->column_int64(11));
    probes.push_back(std::move(probe));
  }
}

Result<std::vector<BuiltOutcome>> ProbeStore::built_outcomes() {
  auto select = m_database->prepare(
      "SELECT candidate_id, builder_revision, outcome FROM probes "
      "WHERE built = 1 AND outcome IN ('pass', 'fail') "
      "ORDER BY recorded_at, run_id, seq");
  if (!select) return std::unexpected(std::move(select.error()));
  std::vector<BuiltOutcome> outcomes;
  for (;;) {
    auto row = select->step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return outcomes;
    // The WHERE clause admits only texts parse_outcome knows.
    outcomes.push_back(
        {select->column_text(0), select->column_text(1), *parse_outcome(select->column_text(2))});
  }
}

Result<std::vector<std::string>> ProbeStore::flaky_tests() {
  // A test failing in one build and not in another build of the same
  // candidate with JUnit results (a build without them says nothing about
  // the test). ORDER BY compares bytes, as std::string does, so the list is
  // sorted for binary searches too.
  auto select = m_database->prepare(
      "SELECT DISTINCT failed.value "
      "FROM probes AS one, json_each(one.failing_tests) AS failed "
      "WHERE one.built = 1 AND EXISTS ("
      "  SELECT 1 FROM probes AS other "
      "  WHERE other.built = 1 AND other.failing_tests IS NOT NULL "
      "    AND other.candidate_id = one.candidate_id "
      "    AND other.builder_revision = one.builder_revision "
      "    AND NOT EXISTS (SELECT 1 FROM json_each(other.failing_tests) AS also "
      "                    WHERE also.value = failed.value)) "
      "ORDER BY failed.value");
  if (!select) return std::unexpected(std::move(select.error()));
  std::vector<std::string> tests;
  for (;;) {
    auto row = select->step();
    if (!row) return std::unexpected(std::move(row.error()));
    if (!*row) return tests;
    tests.push_back(select->column_text(0));
  }
}

}  // namespace driftlock::store
