#include <catch2/catch.hpp>

#include "net/fake_http_client.hpp"

using namespace driftlock;
using namespace driftlock::net;

namespace {

Request get(std::string url) {
  Request request;
  request.url = std::move(url);
  return request;
}

}  // namespace

TEST_CASE("the fake answers from its table, in request order", "[net][fake]") {
  FakeHttpClient client;
  client.add("http://registry.example/a",
             make_response(200, "A", {{"Content-Type", "application/json"}}));
  client.add("http://registry.example/b",
             Error{ErrorKind::infrastructure, "registry down", std::nullopt});
  client.add("http://registry.example/c", [](const Request& request) -> Result<Response> {
    if (request.etag == "\"v1\"") return make_response(304, "");
    return make_response(200, "C", {{"ETag", "\"v1\""}});
  });

  Request conditional = get("http://registry.example/c");
  conditional.etag = "\"v1\"";
  std::vector<Request> requests = {get("http://registry.example/a"),
                                   get("http://registry.example/b"), conditional,
                                   get("http://registry.example/c")};
  std::vector<Result<Response>> results = client.perform(requests);

  REQUIRE(results.size() == 4);
  REQUIRE(results[0].has_value());
  CHECK(results[0]->body == "A");
  CHECK(results[0]->header("content-type") == "application/json");
  CHECK(results[0]->headers.at(0).first == "content-type");
  CHECK(results[0]->effective_url == "http://registry.example/a");
  REQUIRE(!results[1].has_value());
  CHECK(results[1].error().message == "registry down");
  REQUIRE(results[2].has_value());
  CHECK(results[2]->not_modified());
  REQUIRE(results[3].has_value());
  CHECK(results[3]->header("etag") == "\"v1\"");
}

TEST_CASE("the fake records requests with their headers", "[net][fake]") {
  FakeHttpClient client;
  client.add("http://registry.example/a", make_response(200, "A"));
  Request request = get("http://registry.example/a");
  request.headers = {{"Accept", "application/json"}};
  request.last_modified = "Wed, 21 Oct 2015 07:28:00 GMT";
  REQUIRE(client.fetch(request).has_value());
  REQUIRE(client.fetch(get("http://registry.example/a")).has_value());

  std::vector<Request> seen = client.requests();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].headers == Headers{{"Accept", "application/json"}});
  CHECK(seen[0].last_modified == "Wed, 21 Oct 2015 07:28:00 GMT");
  CHECK(!seen[1].last_modified);
  CHECK(client.count("http://registry.example/a") == 2);
  CHECK(client.count("http://registry.example/b") == 0);
  CHECK(client.batches() == 2);
}

TEST_CASE("unregistered URLs are loud unless a fallback answers", "[net][fake]") {
  FakeHttpClient client;
  Result<Response> missing = client.fetch(get("http://registry.example/typo"));
  REQUIRE(!missing.has_value());
  CHECK(missing.error().kind == ErrorKind::infrastructure);
  CHECK(missing.error().message ==
        "FakeHttpClient: nothing registered for http://registry.example/typo");

  client.set_fallback([&client](const Request&) -> Result<Response> {
    // A handler may look at what the client has seen so far.
    return make_response(404, std::to_string(client.requests().size()));
  });
  Result<Response> fallback = client.fetch(get("http://registry.example/other"));
  REQUIRE(fallback.has_value());
  CHECK(fallback->status == 404);
  CHECK(fallback->body == "2");
}

TEST_CASE("later registrations replace earlier ones", "[net][fake]") {
  FakeHttpClient client;
  client.add("http://registry.example/a", make_response(500, ""));
  client.add("http://registry.example/a", make_response(200, "now"));
  Result<Response> result = client.fetch(get("http://registry.example/a"));
  REQUIRE(result.has_value());
  CHECK(result->body == "now");
}
