#include "store/shipments.hpp"

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

TEST_CASE("shipments are journalled step by step until done or abandoned", "[store][journal]") {
  TempFolder folder;
  auto database = open_state_database(folder / "state.db");
  REQUIRE(database);
  ShipmentLog journal(*database);

  Shipment first;
  first.run_id = 3;
  first.image = "demo";
  first.snapshot = "/repo/demo.lock.json";
  first.candidate_id = "c1";
  first.previous = std::nullopt;  // the first snapshot
  first.content = "{\"x\": 1}\n";
  first.message = "driftlock: update demo\n";
  first.started = first.updated = kT0;
  const std::int64_t a = ok(journal.begin(first));
  Shipment second = first;
  second.run_id = std::nullopt;
  second.previous = "old\n";
  const std::int64_t b = ok(journal.begin(second));

  REQUIRE(journal.advance(a, ShipmentStep::pushing, kT0 + 1s));
  REQUIRE(journal.advance(a, ShipmentStep::pushed, kT0 + 2s));
  auto open = ok(journal.unfinished());
  REQUIRE(open.size() == 2);
  first.id = a;
  first.step = ShipmentStep::pushed;
  first.updated = kT0 + 2s;
  second.id = b;
  CHECK(open[0] == first);
  CHECK(open[1] == second);

  REQUIRE(journal.advance(a, ShipmentStep::done, kT0 + 3s));
  REQUIRE(journal.advance(b, ShipmentStep::abandoned, kT0 + 3s));
  CHECK(ok(journal.unfinished()).empty());
  auto missing = journal.advance(99, ShipmentStep::done, kT0);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message ==
        "state database '" + (folder / "state.db").string() + "' has no shipment 99");
}
