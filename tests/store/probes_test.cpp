#include "store/probes.hpp"

#include <catch2/catch.hpp>

#include "store/runs.hpp"
#include "store/schema.hpp"
#include "store/support.hpp"

using namespace driftlock;
using namespace driftlock::store;
using namespace std::chrono_literals;
using driftlock::store_test::ok;
using driftlock::store_test::TempFolder;

namespace {

const Timestamp kT0{std::chrono::seconds(1'700'000'000)};

Database open_migrated(const TempFolder& folder) {
  auto database = open_state_database(folder / "state.db");
  REQUIRE(database);
  return std::move(*database);
}

}  // namespace

TEST_CASE("outcome names", "[store][probes]") {
  const std::pair<Outcome, std::string_view> names[] = {
      {Outcome::pass, "pass"},
      {Outcome::fail, "fail"},
      {Outcome::unresolved, "unresolved"},
      {Outcome::error, "error"},
  };
  for (const auto& [outcome, name] : names) {
    CHECK(to_string(outcome) == name);
    CHECK(parse_outcome(name) == outcome);
  }
  CHECK(parse_outcome("PASS") == std::nullopt);
}

TEST_CASE("outcomes are memoised per candidate and builder revision", "[store][probes]") {
  TempFolder folder;
  Database database = open_migrated(folder);
  ProbeStore store(database);

  CHECK(ok(store.lookup_outcome("c1", "rev1")) == std::nullopt);

  const MemoisedOutcome failed{
      Outcome::fail,
      {{"tests/test_tls.py::test_handshake", "tests/test_tls.py::test_resume"},
       "/var/log/driftlock/c1.log",
       "E   ssl.SSLError: bad\n\xff not utf-8\n"},
      95s,
      kT0};
  const MemoisedOutcome passed{Outcome::pass, {}, 80s, kT0 + 1h};
  const MemoisedOutcome unresolved{Outcome::unresolved, {{}, "", "conflict"}, 2s, kT0};
  REQUIRE(store.record_outcome("c1", "rev1", failed));
  REQUIRE(store.record_outcome("c1", "rev2", passed));
  REQUIRE(store.record_outcome("c2", "rev1", unresolved));

  auto got = store.lookup_outcome("c1", "rev1");
  REQUIRE(got);
  REQUIRE(*got);
  CHECK((*got)->outcome == Outcome::fail);
  CHECK((*got)->details.failing_tests == failed.details.failing_tests);
  CHECK((*got)->details.log_path == failed.details.log_path);
  // Invalid UTF-8 in a log tail is replaced, not fatal.
  CHECK((*got)->details.log_tail == "E   ssl.SSLError: bad\n\xef\xbf\xbd not utf-8\n");
  CHECK((*got)->duration == 95s);
  CHECK((*got)->recorded_at == kT0);
  CHECK(ok(store.lookup_outcome("c1", "rev2")) == passed);
  CHECK(ok(store.lookup_outcome("c2", "rev1")) == unresolved);
  CHECK(ok(store.lookup_outcome("c2", "rev2")) == std::nullopt);

  // The newest observation replaces the older one.
  REQUIRE(store.record_outcome("c1", "rev2", failed));
  auto replaced = store.lookup_outcome("c1", "rev2");
  REQUIRE(replaced);
  CHECK((*replaced)->outcome == Outcome::fail);
}

TEST_CASE("error outcomes are never memoised", "[store][probes]") {
  TempFolder folder;
  Database database = open_migrated(folder);
  ProbeStore store(database);
  REQUIRE(store.record_outcome("c1", "rev1", {Outcome::pass, {}, 1s, kT0}));

  auto refused = store.record_outcome("c1", "rev1", {Outcome::error, {{}, "", "timeout"}, 1s, kT0});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().kind == ErrorKind::infrastructure);
  CHECK(refused.error().message ==
        "refusing to memoise outcome 'error' for candidate 'c1' (builder revision 'rev1'): "
        "infrastructure failures are retried on the next run");
  auto kept = store.lookup_outcome("c1", "rev1");
  REQUIRE(kept);
  REQUIRE(*kept);
  CHECK((*kept)->outcome == Outcome::pass);

  // The schema refuses it too, whoever writes.
  auto raw = database.execute(
      "INSERT INTO outcomes (candidate_id, builder_revision, outcome, duration_ms, recorded_at) "
      "VALUES ('c9', 'r', 'error', 0, 0)");
  REQUIRE_FALSE(raw);
  CHECK(raw.error().message == "state database '" + (folder / "state.db").string() +
                                   "': CHECK constraint failed: outcome IN ('pass', 'fail', "
                                   "'unresolved')");
}

TEST_CASE("a damaged memo row is an error naming the candidate", "[store][probes]") {
  TempFolder folder;
  Database database = open_migrated(folder);
  ProbeStore store(database);
  REQUIRE(store.record_outcome("c1", "rev1", {Outcome::pass, {}, 1s, kT0}));
  REQUIRE(database.execute("UPDATE outcomes SET details = '[1,2'"));
  auto got = store.lookup_outcome("c1", "rev1");
  REQUIRE_FALSE(got);
  CHECK(got.error().message ==
        "state database '" + (folder / "state.db").string() +
            "': the outcome memo for candidate 'c1' (builder revision 'rev1') is damaged");
}

TEST_CASE("the probe log keeps every probe of a run in order", "[store][probes]") {
  TempFolder folder;
  Database database = open_migrated(folder);
  RunLog runs(database);
  ProbeStore store(database);
  auto run = runs.begin(RunKind::bisect, kT0);
  auto other = runs.begin(RunKind::bisect, kT0);
  REQUIRE(run);
  REQUIRE(other);

  std::vector<ProbeRecord> probes = {
      {0, "full", {0, 1, 2, 3, 4, 5, 6, 7}, 0, Outcome::fail, "full candidate", 90s, kT0 + 1min},
      {0, "half", {0, 1, 2, 3}, 0, Outcome::pass, "first 4 of 8", 80s, kT0 + 2min},
      {0, "six", {0, 1, 2, 3, 4, 5}, 0, Outcome::error, "first 6 of 8", 5s, kT0 + 3min},
      {0,
       "six",
       {0, 1, 2, 3, 4, 5},
       1,
       Outcome::unresolved,
       "first 6 of 8, retried",
       5s,
       kT0 + 4min},
      {0, "none", {}, 0, Outcome::pass, "baseline", 70s, kT0 + 5min},
      {0, "big", {1000000, 1000001}, 2, Outcome::fail, "", 1ms, kT0 + 6min},
  };
  // Interleave another run's probes: each run numbers its own.
  for (std::size_t i = 0; i < probes.size(); ++i) {
    auto seq = store.append_probe(*run, probes[i]);
    REQUIRE(seq);
    CHECK(*seq == static_cast<std::int64_t>(i + 1));
    probes[i].seq = *seq;
    auto other_seq = store.append_probe(*other, probes[0]);
    REQUIRE(other_seq);
    CHECK(*other_seq == static_cast<std::int64_t>(i + 1));
  }
  CHECK(store.probes_for_run(*run) == probes);
  auto others = store.probes_for_run(*other);
  REQUIRE(others);
  CHECK(others->size() == probes.size());
  CHECK(store.probes_for_run(999) == std::vector<ProbeRecord>());

  // Appending to a run that does not exist is refused.
  auto orphan = store.append_probe(999, probes[0]);
  REQUIRE_FALSE(orphan);
  CHECK(orphan.error().message ==
        "state database '" + (folder / "state.db").string() + "': FOREIGN KEY constraint failed");
  CHECK_FALSE(database.in_transaction());

  // A damaged subset is reported, not guessed at.
  REQUIRE(database.execute("UPDATE probes SET subset = '[1,-2]' WHERE seq = 2"));
  auto damaged = store.probes_for_run(*run);
  REQUIRE_FALSE(damaged);
  CHECK(damaged.error().message == "state database '" + (folder / "state.db").string() +
                                       "': probe 2 of run " + std::to_string(*run) + " is damaged");
}

TEST_CASE("probes survive reopening the database, for resuming", "[store][probes]") {
  TempFolder folder;
  std::int64_t run_id = 0;
  const ProbeRecord probe{1, "abc", {2, 5}, 0, Outcome::fail, "first 2", 10s, kT0};
  {
    Database database = open_migrated(folder);
    auto run = RunLog(database).begin(RunKind::run, kT0);
    REQUIRE(run);
    run_id = *run;
    REQUIRE(ProbeStore(database).append_probe(run_id, probe));
  }  // closed without finishing the run, as if interrupted
  Database database = open_migrated(folder);
  auto unfinished = RunLog(database).unfinished(RunKind::run);
  REQUIRE(unfinished);
  REQUIRE(*unfinished);
  CHECK((*unfinished)->id == run_id);
  CHECK(ProbeStore(database).probes_for_run(run_id) == std::vector<ProbeRecord>{probe});
}
