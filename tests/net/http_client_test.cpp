#include <catch2/catch.hpp>

#include "net/http_client.hpp"

using namespace driftlock::net;

TEST_CASE("response headers are found in any case, first value wins", "[net][client]") {
  Response response;
  response.status = 200;
  response.headers = {{"etag", "\"a\""}, {"set-cookie", "one"}, {"set-cookie", "two"}};
  CHECK(response.header("ETag") == "\"a\"");
  CHECK(response.header("Set-Cookie") == "one");
  CHECK(!response.header("last-modified"));
  CHECK(response.ok());
  CHECK(!response.not_modified());
  response.status = 304;
  CHECK(response.not_modified());
  CHECK(!response.ok());
}

TEST_CASE("the default user agent names driftlock", "[net][client]") {
  CHECK(default_user_agent().starts_with("driftlock/"));
  CHECK(HttpOptions{}.user_agent == default_user_agent());
  CHECK(HttpOptions{}.max_body_bytes == std::size_t{64} << 20);
}
