#include "store/schema.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <array>
#include <set>
#include <string>

#include "store/support.hpp"

using namespace driftlock;
using namespace driftlock::store;
using driftlock::store_test::TempFolder;

namespace {

std::set<std::string> tables(Database& database) {
  auto select = database.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'");
  REQUIRE(select);
  std::set<std::string> names;
  for (;;) {
    auto row = select->step();
    REQUIRE(row);
    if (!*row) return names;
    names.insert(select->column_text(0));
  }
}

}  // namespace

TEST_CASE("migrations build the schema from an empty file", "[store][schema]") {
  TempFolder folder;
  REQUIRE(schema_version() == static_cast<int>(migrations().size()));
  REQUIRE(schema_version() >= 1);
  auto database = open_state_database(folder / "state.db");
  REQUIRE(database);
  CHECK(database->user_version() == schema_version());
  const std::set<std::string> expected = {"http_cache",  "releases_seen", "runs",
                                          "outcomes",    "probes",        "culprit_events",
                                          "closure_via", "shipments",     "sqlite_sequence"};
  CHECK(tables(*database) == expected);
  auto check = database->prepare("PRAGMA integrity_check");
  REQUIRE(check);
  REQUIRE(check->step());
  CHECK(check->column_text(0) == "ok");
}

TEST_CASE("reopening a migrated database changes nothing", "[store][schema]") {
  TempFolder folder;
  {
    auto database = open_state_database(folder / "state.db");
    REQUIRE(database);
    REQUIRE(
        database->execute("INSERT INTO runs (kind, started_at, status) VALUES ('run', 1, 'ok')"));
  }
  for (int i = 0; i < 2; ++i) {
    auto database = open_state_database(folder / "state.db");
    REQUIRE(database);
    CHECK(database->user_version() == schema_version());
    auto count = database->prepare("SELECT count(*) FROM runs");
    REQUIRE(count);
    REQUIRE(count->step());
    CHECK(count->column_int64(0) == 1);
  }
}

TEST_CASE("a database from a newer driftlock is refused and left alone", "[store][schema]") {
  TempFolder folder;
  const auto path = folder / "state.db";
  {
    auto database = Database::open(path);
    REQUIRE(database);
    REQUIRE(database->set_user_version(schema_version() + 6));
  }
  auto database = open_state_database(path);
  REQUIRE_FALSE(database);
  CHECK(database.error().kind == ErrorKind::infrastructure);
  CHECK(database.error().message ==
        fmt::format("state database '{}' has schema version {}, newer than this driftlock "
                    "understands ({}); upgrade driftlock or use another --state folder",
                    path.string(), schema_version() + 6, schema_version()));

  auto raw = Database::open(path);
  REQUIRE(raw);
  CHECK(raw->user_version() == schema_version() + 6);
  auto count = raw->prepare("SELECT count(*) FROM sqlite_schema");
  REQUIRE(count);
  REQUIRE(count->step());
  CHECK(count->column_int64(0) == 0);  // no migration ran
}

TEST_CASE("a negative schema version is refused", "[store][schema]") {
  TempFolder folder;
  const auto path = folder / "state.db";
  {
    auto database = Database::open(path);
    REQUIRE(database);
    REQUIRE(database->set_user_version(-1));
  }
  auto database = open_state_database(path);
  REQUIRE_FALSE(database);
  CHECK(database.error().message ==
        "state database '" + path.string() +
            "' has schema version -1, which no driftlock writes; move it away or use another "
            "--state folder");
}

TEST_CASE("migrations run one version at a time, each in a transaction", "[store][schema]") {
  TempFolder folder;
  const auto path = folder / "state.db";
  auto database = Database::open(path);
  REQUIRE(database);

  constexpr std::array<std::string_view, 2> first = {
      "CREATE TABLE a (x INTEGER);",
      "CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1);",
  };
  REQUIRE(migrate(*database, std::span(first).first(1)));
  CHECK(database->user_version() == 1);
  CHECK(tables(*database) == std::set<std::string>{"a"});
  REQUIRE(migrate(*database, first));
  CHECK(database->user_version() == 2);
  CHECK(tables(*database) == std::set<std::string>{"a", "b"});
  REQUIRE(migrate(*database, first));  // nothing left to do
  CHECK(database->user_version() == 2);

  // Migration 4 fails half-way: 3 stays applied, 4 leaves no trace.
  constexpr std::array<std::string_view, 4> broken = {
      first[0],
      first[1],
      "CREATE TABLE c (z INTEGER);",
      "CREATE TABLE d (w INTEGER); INSERT INTO nowhere VALUES (1);",
  };
  auto migrated = migrate(*database, broken);
  REQUIRE_FALSE(migrated);
  CHECK(migrated.error().message == "state database '" + path.string() +
                                        "': no such table: nowhere (while migrating to schema "
                                        "version 4)");
  CHECK(database->user_version() == 3);
  CHECK(tables(*database) == std::set<std::string>{"a", "b", "c"});
  CHECK_FALSE(database->in_transaction());
}
