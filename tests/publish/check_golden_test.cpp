// The golden-file helper itself: what a mismatch says.
#include <catch2/catch.hpp>

#include "support/golden.hpp"

using driftlock::testing::golden_detail::first_difference;

TEST_CASE("golden files: a mismatch names the first differing line", "[golden]") {
  struct Case {
    std::string expected, actual, message;
  };
  const std::vector<Case> cases = {
      {"a\nb\n", "a\nb\n", ""},
      {"a\nbcd\nc\n", "a\nbXd\nc\n",
       "first difference at line 2, column 2:\n  expected: \"bcd\"\n  actual:   \"bXd\""},
      {"a\n", "a\nextra\n",
       "first difference at line 2, column 1:\n  expected: \"\"\n  actual:   \"extra\""},
      {"a\nb\n", "a\n",
       "first difference at line 2, column 1:\n  expected: \"b\"\n  actual:   \"\""},
      {"a\n", "a",
       "first difference at line 2, column 1:\n  expected: \"\"\n  actual:   (end of output)"},
      {"a", "a\n",
       "first difference at line 2, column 1:\n  expected: (end of file)\n  actual:   \"\""},
      {"\x1b[36mup\x1b[0m \"q\"\n", "up \"q\"\n",
       "first difference at line 1, column 1:\n  expected: \"\\x1b[36mup\\x1b[0m \\\"q\\\"\"\n"
       "  actual:   \"up \\\"q\\\"\""},
  };
  for (const Case& c : cases) {
    INFO(c.expected);
    CHECK(first_difference(c.expected, c.actual) == c.message);
  }
}
