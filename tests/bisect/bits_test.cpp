#include <catch2/catch.hpp>

#include "bisect/bits.hpp"

using namespace driftlock::bisect;

TEST_CASE("bits: members, counts, subsets", "[bisect][bits]") {
  const std::vector<std::size_t> members = {0, 3, 63, 64, 129};
  Bits b = Bits::of(130, members);
  CHECK(b.members() == members);
  CHECK(b.count() == 5);
  CHECK_FALSE(b.empty());
  CHECK(Bits(130).empty());
  CHECK(b.test(64));
  CHECK_FALSE(b.test(65));

  Bits small = Bits::of(130, std::vector<std::size_t>{3, 64});
  CHECK(small.subset_of(b));
  CHECK_FALSE(b.subset_of(small));
  CHECK(small.intersects(b));
  CHECK_FALSE(Bits::of(130, std::vector<std::size_t>{1}).intersects(b));

  CHECK((b - small).members() == std::vector<std::size_t>{0, 63, 129});
  CHECK((small | Bits::of(130, std::vector<std::size_t>{1})).members() ==
        std::vector<std::size_t>{1, 3, 64});
  Bits c = b;
  c.reset(0);
  CHECK(c.count() == 4);
  CHECK(c != b);
  c.set(0);
  CHECK(c == b);
  CHECK(c.hash() == b.hash());
}
