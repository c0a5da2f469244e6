#include <catch2/catch.hpp>

#include "support/bisect_replay.hpp"
#include "support/bisect_simulation.hpp"

using namespace driftlock::bisect;

TEST_CASE("replay answers from the record and forwards the rest", "[bisect][replay]") {
  World w;
  w.changes = 4;
  w.culprits = {{2}};
  SimulatedOracle world(w);
  RecordingOracle recording(world);
  std::vector<ProbeRequest> batch = {{{0, 1}, 0}, {{2}, 0}, {{2}, 1}};
  CHECK(recording.probe(batch) ==
        std::vector<Outcome>{Outcome::pass, Outcome::fail, Outcome::fail});
  REQUIRE(recording.record().size() == 3);
  CHECK(recording.record()[2].request == ProbeRequest{{2}, 1});

  SimulatedOracle fresh(w);
  ReplayOracle replay(recording.record(), &fresh);
  std::vector<ProbeRequest> again = {{{2}, 1}, {{3}, 0}, {{0, 1}, 0}};
  CHECK(replay.probe(again) == std::vector<Outcome>{Outcome::fail, Outcome::pass, Outcome::pass});
  CHECK(replay.replayed() == 2);
  CHECK(replay.forwarded() == 1);
  CHECK(fresh.probes() == 1);

  // Without an oracle behind it, anything unrecorded is an error.
  ReplayOracle only(recording.record(), nullptr);
  std::vector<ProbeRequest> unknown = {{{1}, 0}};
  CHECK(only.probe(unknown) == std::vector<Outcome>{Outcome::error});
}
