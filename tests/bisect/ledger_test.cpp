#include <catch2/catch.hpp>

#include "bisect/ledger.hpp"

using namespace driftlock::bisect;

namespace {
Bits set(std::vector<std::size_t> members) {
  return Bits::of(8, members);
}
}  // namespace

TEST_CASE("ledger: monotone inference", "[bisect][ledger]") {
  Ledger ledger;
  CHECK_FALSE(ledger.record(set({0, 1, 2}), Outcome::pass, 1));
  CHECK_FALSE(ledger.record(set({5}), Outcome::fail, 2));
  CHECK_FALSE(ledger.record(set({6}), Outcome::unresolved, 3));

  struct Case {
    std::vector<std::size_t> members;
    int needed;
    Known known;
  };
  for (const Case& c : {
           Case{{0, 1}, 1, Known::pass},      // inside a pass
           Case{{0, 1, 2}, 1, Known::pass},   // the pass itself
           Case{{5}, 1, Known::fail},         // the failure itself
           Case{{4, 5}, 1, Known::fail},      // contains the failure
           Case{{5}, 2, Known::unconfirmed},  // failed, but only once
           Case{{4, 5}, 2, Known::unknown},   // contains an unconfirmed failure
           Case{{6}, 1, Known::unresolved},   // could not be installed
           Case{{3}, 1, Known::unknown},      // never seen
       }) {
    CAPTURE(c.members, c.needed);
    CHECK(ledger.status(set(c.members), c.needed) == c.known);
  }
  CHECK(ledger.runs(set({5})) == 1);
  CHECK(ledger.fail_runs(set({5})) == 1);
  CHECK(ledger.pass_witness(set({1}))->probes == std::vector<std::size_t>{1});
  CHECK_FALSE(ledger.contradiction_seen());
}

TEST_CASE("ledger: a pass over a failure is a contradiction", "[bisect][ledger]") {
  Ledger ledger;
  ledger.record(set({5}), Outcome::fail, 1);
  CHECK(ledger.record(set({4, 5}), Outcome::pass, 2));
  CHECK(ledger.contradiction_seen());
  CHECK(ledger.refuted(set({5})));
  CHECK(ledger.status(set({5}), 1) == Known::pass);

  Ledger other;
  other.record(set({1, 2}), Outcome::pass, 1);
  CHECK(other.record(set({1}), Outcome::fail, 2));  // failing inside a pass
  Ledger again;
  again.record_given(set({0, 1, 2, 3, 4, 5, 6, 7}), Outcome::fail, 1);
  CHECK(again.fail_runs(set({0, 1, 2, 3, 4, 5, 6, 7})) == 1);
  CHECK(again.record(set({0, 1, 2, 3, 4, 5, 6, 7}), Outcome::pass, 1));
}
