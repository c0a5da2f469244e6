#include "store/releases.hpp"

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

TEST_CASE("the first sighting of a release wins", "[store][releases]") {
  TempFolder folder;
  auto database = open_state_database(folder / "state.db");
  REQUIRE(database);
  ReleaseLog log(*database);

  const std::vector<std::string> monday = {"1.0.0", "1.1.0"};
  const std::vector<std::string> tuesday = {"1.0.0", "1.1.0", "2.0.0"};
  CHECK(log.record_seen("npm", "chalk", monday, kT0) == std::size_t{2});
  CHECK(log.record_seen("npm", "chalk", tuesday, kT0 + 24h) == std::size_t{1});
  CHECK(log.record_seen("npm", "chalk", tuesday, kT0 + 48h) == std::size_t{0});
  // Same name in another ecosystem is another dependency.
  CHECK(log.record_seen("pypi", "chalk", tuesday, kT0 + 48h) == std::size_t{3});

  struct Case {
    std::string_view ecosystem;
    std::string_view version;
    std::optional<Timestamp> first_seen;
  };
  const Case cases[] = {
      {"npm", "1.0.0", kT0},          {"npm", "1.1.0", kT0},
      {"npm", "2.0.0", kT0 + 24h},    {"pypi", "1.0.0", kT0 + 48h},
      {"npm", "3.0.0", std::nullopt}, {"debian", "1.0.0", std::nullopt},
  };
  for (const Case& c : cases) {
    INFO(c.ecosystem << " " << c.version);
    CHECK(ok(log.first_seen(c.ecosystem, "chalk", c.version)) == c.first_seen);
  }

  const std::vector<SeenRelease> expected = {{"1.0.0", kT0}, {"1.1.0", kT0}, {"2.0.0", kT0 + 24h}};
  CHECK(log.seen("npm", "chalk") == expected);
  CHECK(log.seen("npm", "nothing") == std::vector<SeenRelease>());
}

TEST_CASE("recording sightings is one transaction", "[store][releases]") {
  TempFolder folder;
  auto database = open_state_database(folder / "state.db");
  REQUIRE(database);
  ReleaseLog log(*database);
  REQUIRE(database->execute(
      "CREATE TRIGGER refuse BEFORE INSERT ON releases_seen WHEN NEW.version = 'bad' "
      "BEGIN SELECT RAISE(ABORT, 'refused by test'); END"));
  const std::vector<std::string> versions = {"1.0.0", "bad", "2.0.0"};
  auto recorded = log.record_seen("npm", "chalk", versions, kT0);
  REQUIRE_FALSE(recorded);
  CHECK(recorded.error().message ==
        "state database '" + (folder / "state.db").string() + "': refused by test");
  CHECK(ok(log.first_seen("npm", "chalk", "1.0.0")) == std::nullopt);
  CHECK_FALSE(database->in_transaction());

  // Inside a caller's transaction it nests as a savepoint.
  auto outer = Transaction::begin(*database);
  REQUIRE(outer);
  const std::vector<std::string> good = {"1.0.0"};
  REQUIRE(log.record_seen("npm", "chalk", good, kT0));
  REQUIRE(outer->rollback());
  CHECK(ok(log.first_seen("npm", "chalk", "1.0.0")) == std::nullopt);
}
