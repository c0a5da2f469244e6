#include "store/runs.hpp"

#include <catch2/catch.hpp>

#include "store/history.hpp"
#include "store/schema.hpp"
#include "store/support.hpp"

using namespace driftlock;
using namespace driftlock::store;
using namespace std::chrono_literals;
using driftlock::store_test::ok;
using driftlock::store_test::TempFolder;

namespace {
const Timestamp kT0{std::chrono::seconds(1'700'000'000)};
}

TEST_CASE("run kinds and statuses have stable names", "[store][runs]") {
  for (RunKind kind : {RunKind::run, RunKind::check, RunKind::bisect}) {
    CHECK(parse_run_kind(to_string(kind)) == kind);
  }
  for (RunStatus status : {RunStatus::running, RunStatus::ok, RunStatus::worse, RunStatus::error,
                           RunStatus::interrupted}) {
    CHECK(parse_run_status(to_string(status)) == status);
  }
  CHECK(to_string(RunKind::bisect) == "bisect");
  CHECK(to_string(RunStatus::worse) == "worse");
  CHECK(parse_run_kind("Run") == std::nullopt);
  CHECK(parse_run_status("done") == std::nullopt);
}

TEST_CASE("runs begin, finish and are listed newest first", "[store][runs]") {
  TempFolder folder;
  auto database = open_state_database(folder / "state.db");
  REQUIRE(database);
  RunLog runs(*database);

  auto first = runs.begin(RunKind::run, kT0);
  auto second = runs.begin(RunKind::check, kT0 + 1h);
  auto third = runs.begin(RunKind::run, kT0 + 2h);
  REQUIRE(first);
  REQUIRE(second);
  REQUIRE(third);
  CHECK(*first < *second);
  CHECK(*second < *third);

  REQUIRE(runs.finish(*first, RunStatus::worse, R"({"culprits":1})", kT0 + 30min));
  REQUIRE(runs.finish(*second, RunStatus::ok, "{}", kT0 + 61min));

  const RunRecord expected{*first,      RunKind::run,     kT0,
                           kT0 + 30min, RunStatus::worse, R"({"culprits":1})"};
  CHECK(ok(runs.find(*first)) == expected);
  CHECK(ok(runs.find(999)) == std::nullopt);

  auto recent = runs.recent(2);
  REQUIRE(recent);
  REQUIRE(recent->size() == 2);
  CHECK((*recent)[0].id == *third);
  CHECK((*recent)[0].status == RunStatus::running);
  CHECK((*recent)[0].finished == std::nullopt);
  CHECK((*recent)[0].summary == "{}");
  CHECK((*recent)[1].id == *second);

  auto unfinished = runs.unfinished(RunKind::run);
  REQUIRE(unfinished);
  REQUIRE(*unfinished);
  CHECK((*unfinished)->id == *third);
  CHECK(ok(runs.unfinished(RunKind::check)) == std::nullopt);
  REQUIRE(runs.finish(*third, RunStatus::interrupted, "{}", kT0 + 3h));
  CHECK(ok(runs.unfinished(RunKind::run)) == std::nullopt);
}

TEST_CASE("finishing an unknown run is an error", "[store][runs]") {
  TempFolder folder;
  auto database = open_state_database(folder / "state.db");
  REQUIRE(database);
  RunLog runs(*database);
  auto finished = runs.finish(42, RunStatus::ok, "{}", kT0);
  REQUIRE_FALSE(finished);
  CHECK(finished.error().kind == ErrorKind::infrastructure);
  CHECK(finished.error().message ==
        "state database '" + (folder / "state.db").string() + "' has no run 42");
}

TEST_CASE("run ids are never reused", "[store][runs]") {
  TempFolder folder;
  auto database = open_state_database(folder / "state.db");
  REQUIRE(database);
  RunLog runs(*database);
  auto first = runs.begin(RunKind::run, kT0);
  REQUIRE(first);
  REQUIRE(database->execute("DELETE FROM runs"));
  auto second = runs.begin(RunKind::run, kT0);
  REQUIRE(second);
  CHECK(*second > *first);
}

TEST_CASE("culprit history", "[store][history]") {
  TempFolder folder;
  auto database = open_state_database(folder / "state.db");
  REQUIRE(database);
  RunLog runs(*database);
  CulpritHistory history(*database);
  auto run = runs.begin(RunKind::run, kT0);
  REQUIRE(run);

  const CulpritEvent chalk{*run, "npm", "chalk", "5.0.0", "fails test: ESM-only", kT0 + 1h};
  const CulpritEvent tox{*run, "pypi", "tox", "4.1.0", "fails test: test_env", kT0 + 1h};
  const CulpritEvent chalk_again{std::nullopt,           "npm",    "chalk", "5.1.0",
                                 "fails test: ESM-only", kT0 + 48h};
  REQUIRE(history.record(chalk));
  REQUIRE(history.record(tox));
  REQUIRE(history.record(chalk_again));

  CHECK(history.recent(10) == std::vector<CulpritEvent>{chalk_again, tox, chalk});
  CHECK(history.recent(1) == std::vector<CulpritEvent>{chalk_again});
  CHECK(history.for_dependency("npm", "chalk") == std::vector<CulpritEvent>{chalk_again, chalk});

  // Deleting a run keeps its culprits, without the run.
  REQUIRE(database->execute("DELETE FROM runs"));
  auto after = history.for_dependency("pypi", "tox");
  REQUIRE(after);
  REQUIRE(after->size() == 1);
  CHECK((*after)[0].run_id == std::nullopt);

  // A culprit must name an existing run (foreign keys are on).
  CulpritEvent orphan = chalk;
  orphan.run_id = 12345;
  auto refused = history.record(orphan);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message ==
        "state database '" + (folder / "state.db").string() + "': FOREIGN KEY constraint failed");
}

TEST_CASE("a run can say what it builds from the start", "[store][runs]") {
  TempFolder folder;
  auto database = open_state_database(folder / "state.db");
  REQUIRE(database);
  RunLog runs(*database);
  const std::string summary = R"({"changes":1,"change_list":["npm a 1.0.0 -> 1.1.0"]})";
  auto id = runs.begin(RunKind::run, kT0, summary);
  REQUIRE(id);
  auto running = ok(runs.unfinished(RunKind::run));
  REQUIRE(running);
  CHECK(running->summary == summary);
  CHECK(running->status == RunStatus::running);
  // Without one, the summary is the empty object, as before.
  auto plain = runs.begin(RunKind::check, kT0);
  REQUIRE(plain);
  CHECK(ok(runs.find(*plain))->summary == "{}");
}
