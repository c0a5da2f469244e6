#include "resolve/caching_client.hpp"

#include <catch2/catch.hpp>

#include "exec/temp_dir.hpp"
#include "net/fake_http_client.hpp"
#include "store/schema.hpp"

using namespace driftlock;
using driftlock::net::FakeHttpClient;
using driftlock::net::make_response;
using driftlock::net::Request;
using driftlock::testing::TempDir;

namespace {

const std::string kUrl = "http://registry.example/chalk";

Request get(std::string accept = "") {
  Request request;
  request.url = kUrl;
  if (!accept.empty()) request.headers.emplace_back("Accept", accept);
  return request;
}

// Answers 304 when the request carries the current ETag, else the document.
void serve(FakeHttpClient& http, std::string etag, std::string body) {
  http.add(kUrl, [etag, body](const Request& request) -> Result<net::Response> {
    if (request.etag == etag) return make_response(304, "");
    return make_response(200, body, {{"etag", etag}, {"content-type", "application/json"}});
  });
}

}  // namespace

TEST_CASE("caching client: a 304 is answered from the store, without a body on the wire") {
  TempDir dir;
  auto database = store::open_state_database(dir.path() / "state.db");
  REQUIRE(database);
  FakeHttpClient http;
  serve(http, "\"v1\"", "{\"n\":1}");
  FixedClock clock(*parse_timestamp("2026-11-25T12:00:00Z"));
  resolve::CachingHttpClient client(http, *database, clock);

  auto first = client.fetch(get());
  REQUIRE(first);
  CHECK(first->body == "{\"n\":1}");
  CHECK_FALSE(first->header(resolve::kCacheHeader));
  CHECK(http.requests()[0].etag == std::nullopt);

  auto second = client.fetch(get());
  REQUIRE(second);
  CHECK(second->status == 200);
  CHECK(second->body == "{\"n\":1}");
  CHECK(second->header(resolve::kCacheHeader) == "revalidated");
  CHECK(second->header("content-type") == "application/json");
  CHECK(http.requests()[1].etag == "\"v1\"");

  // A changed document replaces the stored one.
  serve(http, "\"v2\"", "{\"n\":2}");
  auto third = client.fetch(get());
  REQUIRE(third);
  CHECK(third->body == "{\"n\":2}");
  auto fourth = client.fetch(get());
  REQUIRE(fourth);
  CHECK(fourth->body == "{\"n\":2}");
  CHECK(http.requests()[3].etag == "\"v2\"");

  const resolve::CacheStats& stats = client.stats();
  CHECK(stats.requests == 4);
  CHECK(stats.conditional == 3);
  CHECK(stats.not_modified == 2);
  CHECK(stats.stored == 2);
  CHECK(stats.store_failures == 0);
  CHECK(stats.body_bytes == 14);
}

TEST_CASE("caching client: documents differing by Accept are stored apart") {
  TempDir dir;
  auto database = store::open_state_database(dir.path() / "state.db");
  REQUIRE(database);
  FakeHttpClient http;
  http.add(kUrl, [](const Request& request) -> Result<net::Response> {
    const bool abbreviated = !request.headers.empty();
    return make_response(200, abbreviated ? "short" : "full",
                         {{"etag", abbreviated ? "\"a\"" : "\"f\""}});
  });
  FixedClock clock(*parse_timestamp("2026-11-25T12:00:00Z"));
  resolve::CachingHttpClient client(http, *database, clock);
  REQUIRE(client.fetch(get()));
  REQUIRE(client.fetch(get("application/vnd.npm.install-v1+json")));
  REQUIRE(client.fetch(get()));
  CHECK(http.requests()[2].etag == "\"f\"");
  CHECK(resolve::cache_key(get("x/y")) == kUrl + " x/y");
  CHECK(resolve::cache_key(get()) == kUrl);
}

TEST_CASE("caching client: errors, HEADs and uncacheable answers pass through untouched") {
  TempDir dir;
  auto database = store::open_state_database(dir.path() / "state.db");
  REQUIRE(database);
  FakeHttpClient http;
  http.add(kUrl, make_response(200, "no validators"));
  http.add("http://registry.example/down", Error{ErrorKind::infrastructure, "refused", {}});
  FixedClock clock(*parse_timestamp("2026-11-25T12:00:00Z"));
  resolve::CachingHttpClient client(http, *database, clock);

  REQUIRE(client.fetch(get()));
  REQUIRE(client.fetch(get()));
  CHECK(http.requests()[1].etag == std::nullopt);  // nothing to revalidate with

  Request down;
  down.url = "http://registry.example/down";
  auto failed = client.fetch(down);
  REQUIRE_FALSE(failed);
  CHECK(failed.error().message == "refused");
  CHECK(client.stats().stored == 0);
}

TEST_CASE("caching client: what a server says not to keep, or cannot validate, is not kept") {
  struct Case {
    std::string name;
    std::vector<std::pair<std::string, std::string>> headers;
    bool conditional_next;
  };
  const std::vector<Case> cases = {
      {"ETag", {{"etag", "\"v1\""}}, true},
      {"no-store", {{"etag", "\"v1\""}, {"cache-control", "no-store"}}, false},
      {"Last-Modified a minute before Date",
       {{"last-modified", "Wed, 25 Nov 2026 11:59:00 GMT"},
        {"date", "Wed, 25 Nov 2026 12:00:00 GMT"}},
       true},
      // Rewritten within the same second, the file would keep this date.
      {"Last-Modified in the second of Date",
       {{"last-modified", "Wed, 25 Nov 2026 12:00:00 GMT"},
        {"date", "Wed, 25 Nov 2026 12:00:00 GMT"}},
       false},
      {"Last-Modified without Date", {{"last-modified", "Wed, 25 Nov 2026 11:59:00 GMT"}}, false},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    TempDir dir;
    auto database = store::open_state_database(dir.path() / "state.db");
    REQUIRE(database);
    FakeHttpClient http;
    http.add(kUrl, [&c](const Request&) -> Result<net::Response> {
      return make_response(200, "{}", c.headers);
    });
    FixedClock clock(*parse_timestamp("2026-11-25T12:00:00Z"));
    resolve::CachingHttpClient client(http, *database, clock);
    REQUIRE(client.fetch(get()));
    REQUIRE(client.fetch(get()));
    const Request next = http.requests()[1];
    CHECK((next.etag.has_value() || next.last_modified.has_value()) == c.conditional_next);
  }
}

TEST_CASE("caching client: user info never becomes a cache key; tokens are never kept",
          "[resolve][secrets]") {
  Request with_userinfo;
  with_userinfo.url = "https://me:s3cret@registry.example/chalk";
  with_userinfo.headers.emplace_back("Accept", "application/json");
  CHECK(resolve::cache_key(with_userinfo) == "https://registry.example/chalk application/json");

  TempDir dir;
  auto database = store::open_state_database(dir.path() / "state.db");
  REQUIRE(database);
  FakeHttpClient http;
  const std::string token_url = "http://127.0.0.1:5001/token?scope=repository%3Abase%3Apull";
  http.add(token_url, make_response(200, R"({"token":"s3cret-token"})", {{"etag", "\"t\""}}));
  FixedClock clock(*parse_timestamp("2026-11-25T12:00:00Z"));
  resolve::CachingHttpClient client(http, *database, clock);
  Request token;
  token.url = token_url;
  token.headers = {{"Accept", "application/json"}, {"Cache-Control", "no-store"}};
  REQUIRE(client.fetch(token));
  Request authorized;
  authorized.url = token_url;
  authorized.headers = {{"Authorization", "Basic dTpw"}};
  REQUIRE(client.fetch(authorized));
  CHECK(client.stats().stored == 0);
}
