#include <catch2/catch.hpp>

#include "ecosystems/pypi/text.hpp"

using namespace driftlock::ecosystems::pypi;

TEST_CASE("Python's str.strip() whitespace", "[pypi][text]") {
  CHECK(strip_whitespace("  1.0\t\n") == "1.0");
  CHECK(strip_whitespace("\u202f1.0\t\u2029\n ") == "1.0");
  CHECK(strip_whitespace("\u3000\u00a0\u0085x\u1680\u205f") == "x");
  CHECK(strip_whitespace("\x1c\x1fx\x0b\x0c") == "x");
  CHECK(strip_whitespace("\u200bx") == "\u200bx");  // zero-width space is not whitespace
  CHECK(strip_whitespace("a b") == "a b");
  CHECK(strip_whitespace(" \u2000 ") == "");
  CHECK(strip_whitespace("") == "");
  CHECK(strip_whitespace("x\xa0") == "x\xa0");  // a lone byte is not U+00A0
  CHECK(contains_whitespace("a\u3000b"));
  CHECK_FALSE(contains_whitespace("a\u200bb"));
}

TEST_CASE("quoting for messages", "[pypi][text]") {
  CHECK(quote("1.0") == "'1.0'");
  CHECK(quote("it's") == "'it\\'s'");
  CHECK(quote("a\\b") == "'a\\\\b'");
  CHECK(quote("\t\n\r\x01\x7f") == "'\\t\\n\\r\\x01\\x7f'");
  CHECK(quote("\u0130") == "'\\u0130'");
  CHECK(quote("\U0001F600") == "'\\U0001f600'");
  CHECK(quote("\xff\xc3") == "'\\xff\\xc3'");           // broken UTF-8, byte by byte
  CHECK(quote("\xed\xa0\x80") == "'\\xed\\xa0\\x80'");  // an encoded surrogate
  CHECK(quote("\xc0\xaf") == "'\\xc0\\xaf'");           // an overlong '/'
  CHECK(first_non_ascii("ab\u00efc") == "\u00ef");
  CHECK(first_non_ascii("abc").empty());
}
