#include <catch2/catch.hpp>

#include "net/http_text.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

using namespace driftlock::net;

TEST_CASE("byte sizes are named exactly", "[net][text]") {
  const std::vector<std::pair<std::size_t, std::string>> cases = {
      {0, "0 bytes"},
      {1, "1 byte"},
      {1000, "1000 bytes"},
      {1024, "1 KiB"},
      {1536, "1536 bytes"},
      {3 * 1024, "3 KiB"},
      {std::size_t{64} << 20, "64 MiB"},
      {(std::size_t{64} << 20) + 1024, "65537 KiB"},
      {std::size_t{2} << 30, "2 GiB"},
  };
  for (const auto& [bytes, text] : cases) {
    INFO(bytes);
    CHECK(format_byte_size(bytes) == text);
  }
}

TEST_CASE("header names compare without case", "[net][text]") {
  CHECK(equals_ignore_case("Content-Type", "content-type"));
  CHECK(!equals_ignore_case("Content-Type", "content-typ"));
  CHECK(lower_ascii("ETag") == "etag");
}

TEST_CASE("percent-encoding keeps only unreserved bytes", "[net][text]") {
  CHECK(percent_encode("group/sub/project") == "group%2Fsub%2Fproject");
  CHECK(percent_encode("a-b.c_d~e") == "a-b.c_d~e");
  CHECK(percent_encode("repository:x/y:pull push") == "repository%3Ax%2Fy%3Apull%20push");
  CHECK(percent_encode("\xC3\xA9") == "%C3%A9");
}

TEST_CASE("the next link is found among a Link header's links", "[net][text]") {
  struct Case {
    std::string header;
    std::optional<std::string> next;
  };
  const std::vector<Case> cases = {
      {R"(<https://api.example/r/1/comments?page=2>; rel="next", )"
       R"(<https://api.example/r/1/comments?page=5>; rel="last")",
       "https://api.example/r/1/comments?page=2"},
      {R"(<https://api.example/x?page=1>; rel="prev", <https://api.example/x?page=3>; rel="next")",
       "https://api.example/x?page=3"},
      {R"(<https://api.example/x?a=1,2>; rel=next)", "https://api.example/x?a=1,2"},
      {R"(<https://api.example/x?p=2>; title="a; b"; rel="last next")",
       "https://api.example/x?p=2"},
      {R"(<https://api.example/x?p=1>; rel="first", <https://api.example/x?p=4>; rel="last")",
       std::nullopt},
      {"", std::nullopt},
      {"<broken", std::nullopt},
  };
  for (const Case& c : cases) {
    INFO(c.header);
    CHECK(next_link(c.header) == c.next);
  }
}
