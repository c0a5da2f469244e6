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

using Tests = std::optional<std::vector<std::string>>;

// JUnit results in which these tests failed ({}: none failed, unlike nullopt).
Tests failing(std::initializer_list<std::string> ids) {
  return std::vector<std::string>(ids);
}

// A probe of candidate (candidate_id, builder_revision); the search's fields
// do not matter to the flakiness evidence.
ProbeRecord probe_of(std::string candidate_id, std::string builder_revision, bool built,
                     Outcome outcome, Tests failing_tests = std::nullopt, Timestamp at = kT0,
                     std::optional<int> round = std::nullopt) {
  return {.candidate_id = std::move(candidate_id),
          .subset = {0, 1},
          .outcome = outcome,
          .purpose = "culprit search",
          .duration = 10s,
          .recorded_at = at,
          .builder_revision = std::move(builder_revision),
          .built = built,
          .failing_tests = std::move(failing_tests),
          .round = round};
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
      {0,
       "full",
       {0, 1, 2, 3, 4, 5, 6, 7},
       0,
       Outcome::fail,
       "full candidate",
       90s,
       kT0 + 1min,
       "rev1",
       true,
       failing({"t.a", "t.b"}),
       0},
      {0,
       "half",
       {0, 1, 2, 3},
       0,
       Outcome::pass,
       "first 4 of 8",
       80s,
       kT0 + 2min,
       "rev1",
       true,
       failing({}),
       1},
      {0,
       "six",
       {0, 1, 2, 3, 4, 5},
       0,
       Outcome::error,
       "first 6 of 8",
       5s,
       kT0 + 3min,
       "rev1",
       true,
       std::nullopt,
       1},
      {0,
       "six",
       {0, 1, 2, 3, 4, 5},
       1,
       Outcome::unresolved,
       "first 6 of 8, retried",
       5s,
       kT0 + 4min,
       "rev1",
       true,
       std::nullopt,
       2},
      {0,
       "none",
       {},
       0,
       Outcome::pass,
       "baseline",
       70s,
       kT0 + 5min,
       "rev1",
       false,
       std::nullopt,
       0},
      {0,
       "big",
       {1000000, 1000001},
       2,
       Outcome::fail,
       "",
       1ms,
       kT0 + 6min,
       "",
       true,
       failing({"t.a"}),
       std::nullopt},
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
  const ProbeRecord probe{1,   "abc", {2, 5}, 0,    Outcome::fail,    "first 2",
                          10s, kT0,   "rev1", true, failing({"t.a"}), 4};
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

TEST_CASE("probes logged before schema version 2 are kept, with the new columns' defaults",
          "[store][probes][schema]") {
  TempFolder folder;
  auto database = Database::open(folder / "state.db");
  REQUIRE(database);
  REQUIRE(migrate(*database, migrations().first(1)));
  REQUIRE(database->execute(
      "INSERT INTO runs (kind, started_at, status) VALUES ('run', 1700000000, 'ok');"
      "INSERT INTO probes (run_id, seq, candidate_id, subset, attempt, outcome, purpose, "
      "duration_ms, recorded_at) VALUES "
      "(1, 1, 'full', '[0,1]', 0, 'fail', 'full candidate', 90000, 1700000060), "
      "(1, 2, 'half', '[0]', 1, 'pass', 'first 1 of 2', 80000, 1700000120)"));

  REQUIRE(migrate(*database));
  CHECK(database->user_version() == schema_version());
  ProbeStore store(*database);
  const std::vector<ProbeRecord> expected = {
      {1,
       "full",
       {0, 1},
       0,
       Outcome::fail,
       "full candidate",
       90s,
       kT0 + 1min,
       "",
       true,
       std::nullopt,
       std::nullopt},
      {2,
       "half",
       {0},
       1,
       Outcome::pass,
       "first 1 of 2",
       80s,
       kT0 + 2min,
       "",
       true,
       std::nullopt,
       std::nullopt},
  };
  CHECK(store.probes_for_run(1) == expected);
  CHECK(store.built_outcomes() ==
        std::vector<BuiltOutcome>{{"full", "", Outcome::fail}, {"half", "", Outcome::pass}});
  CHECK(store.flaky_tests() == std::vector<std::string>());

  // The new column refuses what no driftlock writes.
  auto raw = database->execute("UPDATE probes SET built = 2 WHERE seq = 1");
  REQUIRE_FALSE(raw);
  CHECK(raw.error().message == "state database '" + (folder / "state.db").string() +
                                   "': CHECK constraint failed: built IN (0, 1)");
}

TEST_CASE("probes keep their builder revision, whether they were built and every failing test",
          "[store][probes]") {
  TempFolder folder;
  Database database = open_migrated(folder);
  RunLog runs(database);
  ProbeStore store(database);
  auto run = runs.begin(RunKind::bisect, kT0);
  REQUIRE(run);

  std::vector<ProbeRecord> probes = {
      probe_of("c1", "rev1", true, Outcome::fail, failing({"t.a", "t.b"})),
      probe_of("c1", "rev1", false, Outcome::fail),              // recalled from the memo
      probe_of("c2", "rev1", true, Outcome::pass),               // no JUnit results
      probe_of("c2", "rev2", true, Outcome::pass, failing({})),  // JUnit, nothing failed
      probe_of("c3", "", true, Outcome::error),                  // no builder revision
      probe_of("c4", "rev1", true, Outcome::fail,
               failing({"tests/test_x.py::test_y[\"quoted\", 1]", "t.\xc3\xa9t\xc3\xa9", ""})),
  };
  for (std::size_t i = 0; i < probes.size(); ++i) {
    auto seq = store.append_probe(*run, probes[i]);
    REQUIRE(seq);
    CHECK(*seq == static_cast<std::int64_t>(i + 1));
    probes[i].seq = *seq;
  }
  CHECK(store.probes_for_run(*run) == probes);

  // A failing_tests value that is not a JSON array of strings is damage.
  const std::string_view damaged_values[] = {"[\"t.a\", 1]", "{\"t.a\": 1}", "[\"t.a\"", "\"t.a\""};
  for (std::string_view value : damaged_values) {
    INFO(value);
    auto update = database.prepare("UPDATE probes SET failing_tests = ?1 WHERE seq = 4");
    REQUIRE(update);
    update->bind(1, value);
    REQUIRE(update->run());
    auto damaged = store.probes_for_run(*run);
    REQUIRE_FALSE(damaged);
    CHECK(damaged.error().message == "state database '" + (folder / "state.db").string() +
                                         "': probe 4 of run " + std::to_string(*run) +
                                         " is damaged");
  }
}

TEST_CASE("built outcomes are the built probes that passed or failed, oldest first",
          "[store][probes]") {
  TempFolder folder;
  Database database = open_migrated(folder);
  RunLog runs(database);
  ProbeStore store(database);
  auto first = runs.begin(RunKind::run, kT0);
  auto second = runs.begin(RunKind::check, kT0);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(store.built_outcomes() == std::vector<BuiltOutcome>());

  const std::vector<std::pair<std::int64_t, ProbeRecord>> probes = {
      {*first, probe_of("full", "rev1", true, Outcome::fail, failing({"t.a"}), kT0 + 1min)},
      {*first, probe_of("half", "rev1", false, Outcome::pass, std::nullopt, kT0 + 2min)},
      {*first, probe_of("six", "rev1", true, Outcome::unresolved, std::nullopt, kT0 + 3min)},
      {*first, probe_of("six", "rev1", true, Outcome::error, std::nullopt, kT0 + 4min)},
      {*first, probe_of("none", "rev1", true, Outcome::pass, failing({}), kT0 + 5min)},
      // Another run, logged meanwhile: ordered by time, then by run and sequence.
      {*second, probe_of("full", "rev2", true, Outcome::pass, std::nullopt, kT0 + 90s)},
      {*second, probe_of("half", "rev1", false, Outcome::fail, std::nullopt, kT0 + 100s)},
      {*second, probe_of("half", "rev1", true, Outcome::pass, std::nullopt, kT0 + 5min)},
  };
  for (const auto& [run, probe] : probes) REQUIRE(store.append_probe(run, probe));

  const std::vector<BuiltOutcome> expected = {
      {"full", "rev1", Outcome::fail},
      {"full", "rev2", Outcome::pass},
      {"none", "rev1", Outcome::pass},
      {"half", "rev1", Outcome::pass},
  };
  CHECK(store.built_outcomes() == expected);
}

TEST_CASE("flaky tests failed and passed in builds of the same candidate", "[store][probes]") {
  struct Case {
    std::string name;
    std::vector<ProbeRecord> probes;  // appended to two runs in turn
    std::vector<std::string> flaky;
  };
  const std::vector<Case> cases = {
      {"nothing logged", {}, {}},
      {"a test failing, then passing, for the same candidate and revision",
       {probe_of("c1", "rev1", true, Outcome::fail, failing({"t.a", "t.b"})),
        probe_of("c1", "rev1", true, Outcome::fail, failing({"t.b"}))},
       {"t.a"}},
      {"passing first, then failing",
       {probe_of("c1", "rev1", true, Outcome::pass, failing({})),
        probe_of("c1", "rev1", true, Outcome::fail, failing({"t.b", "t.a"}))},
       {"t.a", "t.b"}},
      {"failing in every build is not flaky",
       {probe_of("c1", "rev1", true, Outcome::fail, failing({"t.a"})),
        probe_of("c1", "rev1", true, Outcome::fail, failing({"t.a"}))},
       {}},
      {"failing on one candidate, passing on another",
       {probe_of("c1", "rev1", true, Outcome::fail, failing({"t.a"})),
        probe_of("c2", "rev1", true, Outcome::pass, failing({}))},
       {}},
      {"failing on two different candidates",
       {probe_of("c1", "rev1", true, Outcome::fail, failing({"t.a"})),
        probe_of("c2", "rev1", true, Outcome::fail, failing({"t.a"}))},
       {}},
      {"passing with another builder revision",
       {probe_of("c1", "rev1", true, Outcome::fail, failing({"t.a"})),
        probe_of("c1", "rev2", true, Outcome::pass, failing({}))},
       {}},
      {"the other build left no JUnit results",
       {probe_of("c1", "rev1", true, Outcome::fail, failing({"t.a"})),
        probe_of("c1", "rev1", true, Outcome::pass)},
       {}},
      {"the other probe was recalled from the memo",
       {probe_of("c1", "rev1", true, Outcome::fail, failing({"t.a"})),
        probe_of("c1", "rev1", false, Outcome::pass, failing({}))},
       {}},
      {"the failure was recalled from the memo",
       {probe_of("c1", "rev1", false, Outcome::fail, failing({"t.a"})),
        probe_of("c1", "rev1", true, Outcome::pass, failing({}))},
       {}},
      {"sorted and unique over candidates and runs",
       {probe_of("c1", "rev1", true, Outcome::fail, failing({"t.z", "t.a"})),
        probe_of("c2", "rev1", true, Outcome::fail, failing({"t.a", "t.m"})),
        probe_of("c1", "rev1", true, Outcome::pass, failing({})),
        probe_of("c2", "rev1", true, Outcome::fail, failing({"t.m"})),
        probe_of("c2", "rev1", true, Outcome::pass, failing({}))},
       {"t.a", "t.m", "t.z"}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    TempFolder folder;
    Database database = open_migrated(folder);
    RunLog runs(database);
    ProbeStore store(database);
    const std::int64_t run_ids[] = {ok(runs.begin(RunKind::run, kT0)),
                                    ok(runs.begin(RunKind::run, kT0))};
    for (std::size_t i = 0; i < c.probes.size(); ++i) {
      REQUIRE(store.append_probe(run_ids[i % 2], c.probes[i]));
    }
    CHECK(store.flaky_tests() == c.flaky);
  }
}

TEST_CASE("a damaged failing_tests column stops the flaky test search", "[store][probes]") {
  TempFolder folder;
  Database database = open_migrated(folder);
  ProbeStore store(database);
  auto run = RunLog(database).begin(RunKind::run, kT0);
  REQUIRE(run);
  REQUIRE(store.append_probe(*run, probe_of("c1", "rev1", true, Outcome::fail, failing({"t.a"}))));
  REQUIRE(database.execute("UPDATE probes SET failing_tests = '[\"t.a\"'"));
  auto flaky = store.flaky_tests();
  REQUIRE_FALSE(flaky);
  CHECK(flaky.error().kind == ErrorKind::infrastructure);
  CHECK(flaky.error().message ==
        "state database '" + (folder / "state.db").string() + "': malformed JSON");
}

TEST_CASE("probes keep the culprit search's round; rows from before schema 3 have none",
          "[store][probes][schema]") {
  TempFolder folder;
  auto database = Database::open(folder / "state.db");
  REQUIRE(database);
  REQUIRE(migrate(*database, migrations().first(2)));
  REQUIRE(database->execute(
      "INSERT INTO runs (kind, started_at, status) VALUES ('run', 1700000000, 'ok');"
      "INSERT INTO probes (run_id, seq, candidate_id, subset, attempt, outcome, purpose, "
      "duration_ms, recorded_at, builder_revision, built) VALUES "
      "(1, 1, 'full', '[0,1]', 0, 'fail', 'full candidate', 90000, 1700000060, 'rev1', 1)"));

  REQUIRE(migrate(*database));
  CHECK(database->user_version() == schema_version());
  ProbeStore store(*database);
  auto old = store.probes_for_run(1);
  REQUIRE(old);
  REQUIRE(old->size() == 1);
  CHECK((*old)[0].round == std::nullopt);  // not recorded, not "outside the search"
  CHECK((*old)[0].builder_revision == "rev1");

  // New rows keep what they are given: 0 outside the search, N in round N.
  ProbeRecord outside = probe_of("base", "rev1", true, Outcome::pass);
  outside.round = 0;
  ProbeRecord searched = probe_of("half", "rev1", false, Outcome::fail);
  searched.round = 3;
  outside.seq = ok(store.append_probe(1, outside));
  searched.seq = ok(store.append_probe(1, searched));
  auto probes = ok(store.probes_for_run(1));
  REQUIRE(probes.size() == 3);
  CHECK(probes[1] == outside);
  CHECK(probes[2] == searched);

  // The column refuses what no driftlock writes.
  auto raw = database->execute("UPDATE probes SET round = -1 WHERE seq = 2");
  REQUIRE_FALSE(raw);
  CHECK(raw.error().message == "state database '" + (folder / "state.db").string() +
                                   "': CHECK constraint failed: round IS NULL OR round >= 0");
}
