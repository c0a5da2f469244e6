#include "core/closure.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace driftlock;

TEST_CASE("closure builder: one entry per name, sorted, via merged", "[core][closure]") {
  ClosureBuilder builder;
  REQUIRE(builder.add({"zlib", "1.0", {"b"}}, 1));
  REQUIRE(builder.add({"attrs", "2.0", {}}, 2));
  REQUIRE(builder.add({"zlib", "1.0", {"a", "b"}}, 3));
  REQUIRE(builder.add({"Zope", "5", {}}, 4, "zope"));
  builder.skip("  -e /src/tool \n");
  const ClosureListing listing = std::move(builder).finish();
  CHECK(listing ==
        ClosureListing{{{"Zope", "5", {}}, {"attrs", "2.0", {}}, {"zlib", "1.0", {"a", "b"}}},
                       {"-e /src/tool"}});
}

TEST_CASE("closure builder: two versions of one name are an error", "[core][closure]") {
  struct Case {
    std::string first_name, second_name, key;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"libc6", "libc6", "", "line 7: libc6 2.0 conflicts with libc6 1.0 at line 3"},
      {"Foo", "foo", "foo", "line 7: foo 2.0 conflicts with Foo 1.0 at line 3"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.second_name);
    ClosureBuilder builder;
    REQUIRE(builder.add({c.first_name, "1.0", {}}, 3, c.key));
    auto r = builder.add({c.second_name, "2.0", {}}, 7, c.key);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::input);
    CHECK_FALSE(r.error().location.has_value());
    CHECK(r.error().message == c.message);
  }
}

TEST_CASE("closure listing helpers", "[core][closure]") {
  CHECK(line_of("a\nb\nc", 0) == 1);
  CHECK(line_of("a\nb\nc", 2) == 2);
  CHECK(line_of("a\nb\nc", 4) == 3);
  CHECK(line_of("a\nb\nc", 99) == 3);
  CHECK(fail_listing_line(3, "bad").error().message == "line 3: bad");
  CHECK(listing_excerpt("  it's\tx \n") == "it\\x27s\\x09x");
  CHECK(listing_excerpt(std::string(100, 'a')) == std::string(80, 'a') + "...");
  CHECK(skipped_text(" name @ file:///src/x\r") == "name @ file:///src/x");
  CHECK(fail_listing_json("{\n  \"a\": ]", 10,
                          "[json.exception.parse_error.101] parse error at line 2, column 8: "
                          "syntax error while parsing value - unexpected ']'; expected '[', '{', "
                          "or a literal")
            .error()
            .message == "line 2: invalid JSON: unexpected ']'; expected '[', '{', or a literal");
  CHECK(fail_listing_json("x", 1, "[json.exception.parse_error.101] parse error: bad \x01\xff")
            .error()
            .message == "line 1: invalid JSON: bad \\x01\\xff");
  CHECK(fail_listing_json("1e999", 0,
                          "[json.exception.out_of_range.406] number overflow parsing '1e999'")
            .error()
            .message == "line 1: invalid JSON: number overflow parsing '1e999'");
  CHECK(check_listing_depth(std::string(kMaxListingDepth, '[')));
  auto deep = check_listing_depth("\n" + std::string(kMaxListingDepth + 1, '['));
  REQUIRE_FALSE(deep);
  CHECK(deep.error().message == "line 2: JSON nested deeper than 512 levels");
}
