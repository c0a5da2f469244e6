#include <catch2/catch.hpp>

#include "bisect/plan.hpp"

using namespace driftlock::bisect;

TEST_CASE("budget plan: only for small n, one table per n", "[bisect][plan]") {
  CHECK(BudgetPlan::for_changes(0) == nullptr);
  CHECK(BudgetPlan::for_changes(BudgetPlan::kMaxChanges + 1) == nullptr);
  auto a = BudgetPlan::for_changes(16);
  REQUIRE(a != nullptr);
  CHECK(BudgetPlan::for_changes(16) == a);
  CHECK(BudgetPlan::for_changes(17) != a);
}

TEST_CASE("budget plan: sizes stay in range", "[bisect][plan]") {
  auto plan = BudgetPlan::for_changes(64);
  REQUIRE(plan != nullptr);
  for (std::size_t x : {2U, 3U, 7U, 40U, 64U}) {
    for (bool fail : {true, false}) {
      for (std::size_t preferred : {std::size_t{1}, x / 2, x}) {
        CAPTURE(x, fail, preferred);
        PlanState st{x,    fail ? 64 - x : 0,          std::size_t{fail ? 0U : 1U}, fail,
                     fail, std::size_t{fail ? 0U : 9U}};
        auto s = plan->size(st, preferred);
        REQUIRE(s);
        CHECK(*s >= 1);
        CHECK(*s <= (fail ? x - 1 : x));
      }
    }
  }
  // Outside the plan: nothing to say.
  CHECK_FALSE(plan->size(PlanState{1, 0, 0, true, true, 0}, 1));
  CHECK_FALSE(plan->size(PlanState{8, 0, 4, false, false, 3}, 4));
  CHECK_FALSE(plan->size(PlanState{8, 0, 1, false, false, 200}, 4));
}

TEST_CASE("budget plan: keeps the weighted choice when nothing is at stake", "[bisect][plan]") {
  auto plan = BudgetPlan::for_changes(64);
  REQUIRE(plan != nullptr);
  // One culprit found, 3 changes left to check, probes to spare: the full cut
  // ("are there more?") and any other choice keep every placement in target.
  PlanState easy{3, 0, 1, false, false, 2};
  CHECK(plan->size(easy, 3) == std::optional<std::size_t>{3});
}

TEST_CASE("budget plan: share of placements over target", "[bisect][plan]") {
  // Summed over d = 1..3; the searches below check the real search agrees.
  for (std::size_t n : {16U, 33U, 64U}) {
    CAPTURE(n);
    auto plan = BudgetPlan::for_changes(n);
    REQUIRE(plan != nullptr);
    CHECK(plan->over_share() >= 0.0);
    CHECK(plan->over_share() < 0.05);
  }
}
