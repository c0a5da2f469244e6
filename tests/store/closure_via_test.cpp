// The closure capture's via per transitive package: kept per image, each
// capture replacing its listed ecosystems' rows, read back for reports.
#include "store/closure_via.hpp"

#include <catch2/catch.hpp>

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

TEST_CASE("closure via: a capture replaces its ecosystems' rows of its image",
          "[store][closure_via]") {
  TempFolder folder;
  auto database = open_state_database(folder / "state.db");
  REQUIRE(database);
  ClosureViaLog log(*database);

  const std::vector<std::string> pypi_and_npm = {"npm", "pypi"};
  const ClosureVia first = {
      {{"npm", "hx-lib"}, {"hx-alpha", "hx-beta"}},
      {{"pypi", "dl-sub"}, {"dl-greet"}},
      {{"pypi", "dl-deep"}, {"dl-greet"}},
  };
  REQUIRE(log.replace("demo", pypi_and_npm, first, kT0));
  REQUIRE(log.replace("other", pypi_and_npm, {{{"pypi", "dl-sub"}, {"elsewhere"}}}, kT0));

  struct Case {
    std::string what;
    std::vector<std::string> ecosystems;
    ClosureVia capture;
    ClosureVia expected;  // the image's rows afterwards
  };
  const Case cases[] = {
      {"the same capture again changes nothing", pypi_and_npm, first, first},
      {"pypi listed again: its rows are replaced, npm's kept",
       {"pypi"},
       {{{"pypi", "dl-sub"}, {"dl-greet", "dl-other"}}},
       {{{"npm", "hx-lib"}, {"hx-alpha", "hx-beta"}},
        {{"pypi", "dl-sub"}, {"dl-greet", "dl-other"}}}},
      {"entries of an ecosystem not listed are left out",
       {"npm"},
       {{{"npm", "hx-lib"}, {"hx-alpha"}}, {{"debian", "libc6"}, {"bash"}}},
       {{{"npm", "hx-lib"}, {"hx-alpha"}}, {{"pypi", "dl-sub"}, {"dl-greet", "dl-other"}}}},
      {"a listing that says nothing clears its ecosystem",
       {"npm"},
       {},
       {{{"pypi", "dl-sub"}, {"dl-greet", "dl-other"}}}},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    REQUIRE(log.replace("demo", c.ecosystems, c.capture, kT0 + 1h));
    CHECK(ok(log.for_image("demo")) == c.expected);
  }
  // Another image's rows are its own.
  CHECK(ok(log.for_image("other")) == ClosureVia{{{"pypi", "dl-sub"}, {"elsewhere"}}});
  CHECK(ok(log.for_image("nothing")) == ClosureVia{});
}

TEST_CASE("closure via: a damaged row is left out", "[store][closure_via]") {
  TempFolder folder;
  auto database = open_state_database(folder / "state.db");
  REQUIRE(database);
  REQUIRE(
      database->execute("INSERT INTO closure_via (image, ecosystem, name, via, captured_at) VALUES "
                        "('demo', 'pypi', 'good', '[\"dl-greet\"]', 1), "
                        "('demo', 'pypi', 'not-json', '[\"dl-greet\"', 1), "
                        "('demo', 'pypi', 'not-array', '{\"a\": 1}', 1), "
                        "('demo', 'pypi', 'not-strings', '[\"a\", 2]', 1), "
                        "('demo', 'pypi', 'empty', '[]', 1)"));
  const ClosureVia expected = {{{"pypi", "empty"}, {}}, {{"pypi", "good"}, {"dl-greet"}}};
  CHECK(ok(ClosureViaLog(*database).for_image("demo")) == expected);
}

TEST_CASE("closure via: replacing is one transaction", "[store][closure_via]") {
  TempFolder folder;
  auto database = open_state_database(folder / "state.db");
  REQUIRE(database);
  ClosureViaLog log(*database);
  const std::vector<std::string> pypi = {"pypi"};
  const ClosureVia before = {{{"pypi", "dl-sub"}, {"dl-greet"}}};
  REQUIRE(log.replace("demo", pypi, before, kT0));
  REQUIRE(
      database->execute("CREATE TRIGGER refuse BEFORE INSERT ON closure_via WHEN NEW.name = 'bad' "
                        "BEGIN SELECT RAISE(ABORT, 'refused by test'); END"));
  auto replaced =
      log.replace("demo", pypi, {{{"pypi", "a-first"}, {"x"}}, {{"pypi", "bad"}, {"y"}}}, kT0);
  REQUIRE_FALSE(replaced);
  CHECK(replaced.error().message ==
        "state database '" + (folder / "state.db").string() + "': refused by test");
  CHECK(ok(log.for_image("demo")) == before);  // the delete was rolled back too
  CHECK_FALSE(database->in_transaction());
}

TEST_CASE("closure via: a database from before schema 4 gets the table, its data kept",
          "[store][closure_via][schema]") {
  TempFolder folder;
  auto database = Database::open(folder / "state.db");
  REQUIRE(database);
  REQUIRE(migrate(*database, migrations().first(3)));
  REQUIRE(database->execute(
      "INSERT INTO runs (kind, started_at, status) VALUES ('run', 1700000000, 'ok')"));
  REQUIRE(migrate(*database));
  CHECK(database->user_version() == schema_version());
  CHECK(ok(ClosureViaLog(*database).for_image("demo")) == ClosureVia{});
  auto count = database->prepare("SELECT count(*) FROM runs");
  REQUIRE(count);
  REQUIRE(count->step());
  CHECK(count->column_int64(0) == 1);

  // The key is (image, ecosystem, name): one row per package and image.
  auto duplicate = database->execute(
      "INSERT INTO closure_via VALUES ('demo', 'pypi', 'a', '[]', 1);"
      "INSERT INTO closure_via VALUES ('demo', 'pypi', 'a', '[]', 2);");
  REQUIRE_FALSE(duplicate);
  CHECK(duplicate.error().message ==
        "state database '" + (folder / "state.db").string() +
            "': UNIQUE constraint failed: closure_via.image, closure_via.ecosystem, "
            "closure_via.name");
}
