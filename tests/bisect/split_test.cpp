#include <catch2/catch.hpp>

#include "bisect/split.hpp"

using namespace driftlock::bisect;

TEST_CASE("even k-ary splits", "[bisect][split]") {
  struct Case {
    std::size_t candidates;
    bool fail;
    std::size_t count;
    std::vector<std::size_t> sizes;
  };
  for (const Case& c : {
           Case{8, true, 1, {4}},
           Case{8, false, 1, {4}},
           Case{9, true, 2, {3, 6}},
           Case{2, true, 1, {1}},
           Case{1, true, 1, {}},
           Case{1, false, 1, {1}},
           Case{4, false, 3, {1, 2, 3}},
           Case{3, true, 4, {1, 2}},
       }) {
    CAPTURE(c.candidates, c.fail, c.count);
    CHECK(even_sizes(c.candidates, c.fail, c.count) == c.sizes);
  }
}

TEST_CASE("weighted splits stay in range and increase", "[bisect][split]") {
  SplitModel model(64);
  for (std::size_t x : {1U, 2U, 3U, 7U, 64U}) {
    for (std::size_t found : {0U, 1U, 3U}) {
      for (bool fail : {true, false}) {
        for (std::size_t count : {1U, 2U, 4U}) {
          CAPTURE(x, found, fail, count);
          auto sizes = model.sizes(SplitState{x, 64 - x, found, fail}, count);
          std::size_t hi = fail ? x - 1 : x;
          // Cuts whose targets coincide collapse into one.
          CHECK(sizes.size() <= std::min(count, hi));
          CHECK(sizes.empty() == (hi == 0));
          for (std::size_t i = 0; i < sizes.size(); ++i) {
            CHECK(sizes[i] >= 1);
            CHECK(sizes[i] <= hi);
            if (i > 0) CHECK(sizes[i] > sizes[i - 1]);
          }
        }
      }
    }
  }
}

TEST_CASE("weighted splits: halving for one culprit, smaller cuts for several", "[bisect][split]") {
  SplitModel model(1024);
  // Three culprits already found: one more is the likely remainder, so the
  // known-failing candidates are halved (a power of two).
  CHECK(model.sizes(SplitState{64, 0, 3, true}, 1) == std::vector<std::size_t>{32});
  // At the start several culprits are possible and the earliest sits early:
  // the first cut takes fewer than half.
  auto first = model.sizes(SplitState{1024, 0, 0, true}, 1);
  REQUIRE(first.size() == 1);
  CHECK(first[0] < 512);
  CHECK(first[0] >= 128);
  // With one culprit found, "are there more?" is most likely no: the cut
  // takes everything left.
  CHECK(model.sizes(SplitState{100, 0, 1, false}, 1) == std::vector<std::size_t>{100});
}
