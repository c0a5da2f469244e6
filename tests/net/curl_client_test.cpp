// CurlHttpClient against an in-process loopback server: concurrency, retries,
// redirects, caps and conditional requests, each checked through what the
// server saw. Back-offs are a few milliseconds so the suite stays fast.
#include <catch2/catch.hpp>

#include <algorithm>
#include <mutex>

#include "net/curl_client.hpp"
#include "support/loopback_server.hpp"

using namespace driftlock;
using namespace driftlock::net;
using driftlock::testing::LoopbackServer;
using driftlock::testing::make_reply;
using driftlock::testing::ReceivedRequest;
using driftlock::testing::Reply;
using std::chrono::milliseconds;

namespace {

HttpOptions test_options() {
  HttpOptions options;
  options.max_in_flight = 8;
  options.timeout = milliseconds(5000);
  options.connect_timeout = milliseconds(2000);
  options.max_retries = 3;
  options.backoff_base = milliseconds(1);
  options.max_backoff = milliseconds(20);
  options.user_agent = "driftlock/test";
  options.jitter_seed = 42;
  return options;
}

Request get(std::string url) {
  Request request;
  request.url = std::move(url);
  return request;
}

// Collects retry notices; perform() runs callbacks on the calling thread,
// the mutex only keeps the helper honest if that ever changes.
struct RetryLog {
  std::mutex mutex;
  std::vector<RetryNotice> notices;

  std::function<void(const RetryNotice&)> callback() {
    return [this](const RetryNotice& notice) {
      std::lock_guard lock(mutex);
      notices.push_back(notice);
    };
  }
};

// A port nobody listens on: a server that has come and gone.
int closed_port() {
  LoopbackServer server;
  return server.port();
}

}  // namespace

TEST_CASE("many documents are fetched concurrently within max_in_flight", "[net][curl]") {
  LoopbackServer server;
  server.route_prefix("/items/", [](const ReceivedRequest& request, int) {
    Reply reply = make_reply(200, "item " + request.path);
    reply.delay = milliseconds(5);  // long enough for transfers to overlap
    return reply;
  });
  HttpOptions options = test_options();
  std::size_t most_in_flight = 0;
  Progress last;
  options.on_progress = [&](const Progress& progress) {
    most_in_flight = std::max(most_in_flight, progress.in_flight);
    last = progress;
  };
  CurlHttpClient client(options);

  std::vector<Request> requests;
  for (int i = 0; i < 200; ++i) requests.push_back(get(server.url("/items/" + std::to_string(i))));
  std::vector<Result<Response>> results = client.perform(requests);

  REQUIRE(results.size() == 200);
  for (int i = 0; i < 200; ++i) {
    const Result<Response>& result = results[static_cast<std::size_t>(i)];
    REQUIRE(result.has_value());
    CHECK(result->status == 200);
    CHECK(result->body == "item /items/" + std::to_string(i));
    CHECK(result->effective_url == server.url("/items/" + std::to_string(i)));
    CHECK(result->attempts == 1);
  }
  CHECK(server.total_requests() == 200);
  CHECK(server.max_concurrent() <= 8);
  CHECK(server.max_concurrent() >= 2);
  CHECK(most_in_flight <= 8);
  CHECK(last.total == 200);
  CHECK(last.done == 200);
  CHECK(last.failures == 0);
  CHECK(last.in_flight == 0);
}

TEST_CASE("connections are reused across perform calls", "[net][curl]") {
  LoopbackServer server;
  server.route("/doc", make_reply(200, "same"));
  HttpOptions options = test_options();
  options.max_in_flight = 2;
  CurlHttpClient client(options);
  std::vector<Request> requests(10, get(server.url("/doc")));
  for (int round = 0; round < 2; ++round) {
    for (const auto& result : client.perform(requests)) REQUIRE(result.has_value());
  }
  CHECK(server.request_count("/doc") == 20);
  CHECK(server.connection_count() <= 2);
}

TEST_CASE("requests carry the user agent, accepted encodings and given headers", "[net][curl]") {
  LoopbackServer server;
  server.route("/doc", make_reply(200, "{}", "application/json"));
  CurlHttpClient client(test_options());
  Request request = get(server.url("/doc"));
  request.headers = {{"Accept", "application/vnd.npm.install-v1+json"}};
  REQUIRE(client.fetch(request).has_value());

  std::vector<ReceivedRequest> seen = server.requests("/doc");
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "GET");
  CHECK(seen[0].header("user-agent") == "driftlock/test");
  CHECK(seen[0].header("accept") == "application/vnd.npm.install-v1+json");
  REQUIRE(seen[0].header("accept-encoding"));
  CHECK(seen[0].header("accept-encoding")->find("gzip") != std::string::npos);
  CHECK(!seen[0].header("if-none-match"));
}

TEST_CASE("a gzip-encoded body arrives decoded", "[net][curl]") {
  LoopbackServer server;
  std::string plain(5000, 'a');
  server.gzipped("/packed", plain);
  CurlHttpClient client(test_options());
  Result<Response> result = client.fetch(get(server.url("/packed")));
  REQUIRE(result.has_value());
  CHECK(result->header("content-encoding") == "gzip");
  CHECK(result->body == plain);
}

TEST_CASE("response headers are lower-cased and looked up in any case", "[net][curl]") {
  LoopbackServer server;
  server.route("/doc", make_reply(200, "x", "text/plain", {{"X-Registry-Thing", " v1 "}}));
  CurlHttpClient client(test_options());
  Result<Response> result = client.fetch(get(server.url("/doc")));
  REQUIRE(result.has_value());
  CHECK(std::count_if(result->headers.begin(), result->headers.end(),
                      [](const auto& h) { return h.first == "x-registry-thing"; }) == 1);
  CHECK(result->header("X-Registry-Thing") == "v1");
  CHECK(!result->header("x-missing"));
}

TEST_CASE("429 is retried after the Retry-After delay", "[net][curl][retry]") {
  LoopbackServer server;
  server.rate_limited("/limited", 1, "1", make_reply(200, "fine"));
  HttpOptions options = test_options();
  options.max_backoff = milliseconds(2000);
  RetryLog log;
  options.on_retry = log.callback();
  CurlHttpClient client(options);

  Result<Response> result = client.fetch(get(server.url("/limited")));
  REQUIRE(result.has_value());
  CHECK(result->status == 200);
  CHECK(result->body == "fine");
  CHECK(result->attempts == 2);
  CHECK(server.request_count("/limited") == 2);
  REQUIRE(log.notices.size() == 1);
  CHECK(log.notices[0].url == server.url("/limited"));
  CHECK(log.notices[0].attempt == 1);
  CHECK(log.notices[0].reason == "HTTP 429");
  CHECK(log.notices[0].delay == milliseconds(1000));
}

TEST_CASE("a long Retry-After is capped at max_backoff", "[net][curl][retry]") {
  LoopbackServer server;
  server.rate_limited("/capped", 1, "120", make_reply(200, "fine"));
  HttpOptions options = test_options();
  RetryLog log;
  options.on_retry = log.callback();
  CurlHttpClient client(options);
  REQUIRE(client.fetch(get(server.url("/capped"))).has_value());
  REQUIRE(log.notices.size() == 1);
  CHECK(log.notices[0].delay == milliseconds(20));
}

TEST_CASE("a Retry-After HTTP-date is measured against the clock", "[net][curl][retry]") {
  LoopbackServer server;
  FixedClock clock(std::chrono::sys_days(std::chrono::year(2026) / 1 / 2));
  // Already past by the client's clock: retry at once rather than back off.
  server.rate_limited("/dated", 1, "Thu, 01 Jan 2026 00:00:00 GMT", make_reply(200, "ok"));
  HttpOptions options = test_options();
  options.backoff_base = milliseconds(100);
  options.max_backoff = milliseconds(100);
  RetryLog log;
  options.on_retry = log.callback();
  CurlHttpClient client(options, &clock);
  Result<Response> result = client.fetch(get(server.url("/dated")));
  REQUIRE(result.has_value());
  CHECK(result->status == 200);
  REQUIRE(log.notices.size() == 1);
  CHECK(log.notices[0].delay == milliseconds(0));
}

TEST_CASE("503 is retried until it clears", "[net][curl][retry]") {
  LoopbackServer server;
  server.failing("/flaky", 503, 2, make_reply(200, "recovered"));
  HttpOptions options = test_options();
  RetryLog log;
  options.on_retry = log.callback();
  CurlHttpClient client(options);
  Result<Response> result = client.fetch(get(server.url("/flaky")));
  REQUIRE(result.has_value());
  CHECK(result->status == 200);
  CHECK(result->body == "recovered");
  CHECK(result->attempts == 3);
  CHECK(server.request_count("/flaky") == 3);
  REQUIRE(log.notices.size() == 2);
  CHECK(log.notices[0].reason == "HTTP 503");
  CHECK(log.notices[1].attempt == 2);
  for (const RetryNotice& notice : log.notices) {
    CHECK(notice.delay >= milliseconds(0));
    CHECK(notice.delay <= milliseconds(20));
  }
}

TEST_CASE("a status that never clears returns the last response", "[net][curl][retry]") {
  LoopbackServer server;
  server.failing("/down", 503, LoopbackServer::always);
  server.failing("/gateway", 504, LoopbackServer::always);
  CurlHttpClient client(test_options());
  std::vector<Request> requests = {get(server.url("/down")), get(server.url("/gateway"))};
  std::vector<Result<Response>> results = client.perform(requests);
  REQUIRE(results[0].has_value());
  CHECK(results[0]->status == 503);
  CHECK(results[0]->body == "try again later\n");
  CHECK(results[0]->attempts == 4);
  CHECK(server.request_count("/down") == 4);
  REQUIRE(results[1].has_value());
  CHECK(results[1]->status == 504);
  CHECK(server.request_count("/gateway") == 4);
}

TEST_CASE("statuses outside the retry list are returned at once", "[net][curl][retry]") {
  LoopbackServer server;
  server.failing("/broken", 500, LoopbackServer::always);
  CurlHttpClient client(test_options());
  std::vector<Request> requests = {get(server.url("/broken")), get(server.url("/nowhere"))};
  std::vector<Result<Response>> results = client.perform(requests);
  REQUIRE(results[0].has_value());
  CHECK(results[0]->status == 500);
  CHECK(results[0]->attempts == 1);
  CHECK(server.request_count("/broken") == 1);
  REQUIRE(results[1].has_value());
  CHECK(results[1]->status == 404);
  CHECK(server.request_count("/nowhere") == 1);
}

TEST_CASE("a truncated body is retried", "[net][curl][retry]") {
  LoopbackServer server;
  server.truncated("/cut", "partial", 100, 1, make_reply(200, "whole"));
  server.truncated("/always-cut", "partial", 100, LoopbackServer::always);
  CurlHttpClient client(test_options());
  std::vector<Request> requests = {get(server.url("/cut")), get(server.url("/always-cut"))};
  std::vector<Result<Response>> results = client.perform(requests);

  REQUIRE(results[0].has_value());
  CHECK(results[0]->body == "whole");
  CHECK(results[0]->attempts == 2);
  CHECK(server.request_count("/cut") == 2);

  REQUIRE(!results[1].has_value());
  CHECK(results[1].error().kind == ErrorKind::infrastructure);
  CHECK(results[1].error().message ==
        "cannot fetch " + server.url("/always-cut") +
            ": transfer closed with 93 bytes remaining to read (gave up after 4 attempts)");
  CHECK(server.request_count("/always-cut") == 4);
}

TEST_CASE("a server slower than the timeout is an infrastructure error", "[net][curl][retry]") {
  LoopbackServer server;
  server.slow("/slow", milliseconds(400), make_reply(200, "late"));
  HttpOptions options = test_options();
  options.timeout = milliseconds(100);
  options.max_retries = 1;
  CurlHttpClient client(options);
  Result<Response> result = client.fetch(get(server.url("/slow")));
  REQUIRE(!result.has_value());
  CHECK(result.error().kind == ErrorKind::infrastructure);
  CHECK(result.error().message ==
        "cannot fetch " + server.url("/slow") + ": timed out (gave up after 2 attempts)");
  CHECK(server.request_count("/slow") == 2);
}

TEST_CASE("a refused connection is an infrastructure error naming the URL", "[net][curl]") {
  std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/index.json";
  HttpOptions options = test_options();
  options.max_retries = 2;
  RetryLog log;
  options.on_retry = log.callback();
  CurlHttpClient client(options);
  Result<Response> result = client.fetch(get(url));
  REQUIRE(!result.has_value());
  CHECK(result.error().kind == ErrorKind::infrastructure);
  CHECK(result.error().message ==
        "cannot fetch " + url + ": couldn't connect to server (gave up after 3 attempts)");
  REQUIRE(log.notices.size() == 2);
  CHECK(log.notices[0].reason == "couldn't connect to server");
}

TEST_CASE("credentials in a URL are masked in errors", "[net][curl][secrets]") {
  std::string port = std::to_string(closed_port());
  HttpOptions options = test_options();
  options.max_retries = 0;
  CurlHttpClient client(options);
  Result<Response> result = client.fetch(get("http://me:s3cret@127.0.0.1:" + port + "/x"));
  REQUIRE(!result.has_value());
  CHECK(result.error().message ==
        "cannot fetch http://me:***@127.0.0.1:" + port + "/x: couldn't connect to server");
}

TEST_CASE("redirects are followed", "[net][curl][redirect]") {
  LoopbackServer server;
  server.redirect("/old", "/moved");
  server.redirect("/moved", server.url("/new"), 301);
  server.route("/new", make_reply(200, "here"));
  CurlHttpClient client(test_options());
  Result<Response> result = client.fetch(get(server.url("/old")));
  REQUIRE(result.has_value());
  CHECK(result->status == 200);
  CHECK(result->body == "here");
  CHECK(result->effective_url == server.url("/new"));
  CHECK(result->attempts == 1);
}

TEST_CASE("a redirect loop is an error that shows the loop", "[net][curl][redirect]") {
  LoopbackServer server;
  server.redirect_loop("/a", "/b");
  CurlHttpClient client(test_options());
  Result<Response> result = client.fetch(get(server.url("/a")));
  REQUIRE(!result.has_value());
  CHECK(result.error().kind == ErrorKind::infrastructure);
  CHECK(result.error().message == "cannot fetch " + server.url("/a") + ": redirect loop (" +
                                      server.url("/a") + " -> " + server.url("/b") + " -> " +
                                      server.url("/a") + ")");
  CHECK(server.request_count("/a") == 1);
  CHECK(server.request_count("/b") == 1);
}

TEST_CASE("too many redirects is an error", "[net][curl][redirect]") {
  LoopbackServer server;
  for (int i = 1; i <= 7; ++i) {
    server.redirect("/r" + std::to_string(i), "/r" + std::to_string(i + 1));
  }
  server.route("/r8", make_reply(200, "end"));
  HttpOptions options = test_options();
  options.max_redirects = 5;
  CurlHttpClient client(options);
  Result<Response> result = client.fetch(get(server.url("/r1")));
  REQUIRE(!result.has_value());
  CHECK(result.error().message == "cannot fetch " + server.url("/r1") + ": more than 5 redirects");
  CHECK(server.request_count("/r6") == 1);
  CHECK(server.request_count("/r7") == 0);
}

TEST_CASE("a redirect to another origin drops the credentials", "[net][curl][redirect][secrets]") {
  LoopbackServer registry;
  LoopbackServer cdn;
  registry.redirect("/blob", cdn.url("/blob"), 307);
  cdn.route("/blob", make_reply(200, "bytes"));
  CurlHttpClient client(test_options());
  Request request = get(registry.url("/blob"));
  request.headers = {{"Authorization", "Bearer t0ken"}, {"Accept", "*/*"}};
  Result<Response> result = client.fetch(request);
  REQUIRE(result.has_value());
  CHECK(result->body == "bytes");
  CHECK(registry.requests("/blob").at(0).header("authorization") == "Bearer t0ken");
  CHECK(!cdn.requests("/blob").at(0).header("authorization"));
  CHECK(cdn.requests("/blob").at(0).header("accept") == "*/*");
}

TEST_CASE("bodies over the size cap are an error", "[net][curl][cap]") {
  LoopbackServer server;
  // Announced by Content-Length, and (text/plain, so the server compresses
  // it) discovered only while decoding.
  server.route("/big", make_reply(200, std::string(2048, 'x'), "application/octet-stream"));
  server.route("/big-packed", make_reply(200, std::string(2048, 'x'), "text/plain"));
  server.route("/small", make_reply(200, std::string(1024, 'x'), "application/octet-stream"));
  HttpOptions options = test_options();
  options.max_body_bytes = 1024;
  CurlHttpClient client(options);
  std::vector<Request> requests = {get(server.url("/big")), get(server.url("/big-packed")),
                                   get(server.url("/small"))};
  std::vector<Result<Response>> results = client.perform(requests);
  REQUIRE(!results[0].has_value());
  CHECK(results[0].error().kind == ErrorKind::infrastructure);
  CHECK(results[0].error().message == "response from " + server.url("/big") + " exceeds 1 KiB");
  REQUIRE(!results[1].has_value());
  CHECK(results[1].error().message ==
        "response from " + server.url("/big-packed") + " exceeds 1 KiB");
  REQUIRE(results[2].has_value());
  CHECK(results[2]->body.size() == 1024);
  // The cap is not a fault that another attempt would fix.
  CHECK(server.request_count("/big") == 1);
}

TEST_CASE("the default cap is named in MiB", "[net][curl][cap]") {
  LoopbackServer server;
  server.route("/huge", make_reply(200, std::string((std::size_t{1} << 20) + 1, 'x'),
                                   "application/octet-stream"));
  HttpOptions options = test_options();
  options.max_body_bytes = std::size_t{1} << 20;
  CurlHttpClient client(options);
  Result<Response> result = client.fetch(get(server.url("/huge")));
  REQUIRE(!result.has_value());
  CHECK(result.error().message == "response from " + server.url("/huge") + " exceeds 1 MiB");
}

TEST_CASE("conditional requests send validators and 304 means not modified",
          "[net][curl][conditional]") {
  LoopbackServer server;
  const std::string etag = "\"v1\"";
  const std::string date = "Wed, 21 Oct 2015 07:28:00 GMT";
  server.conditional("/doc", etag, date, R"({"v": 1})");
  CurlHttpClient client(test_options());

  Request fresh = get(server.url("/doc"));
  Request by_etag = fresh;
  by_etag.etag = etag;
  Request by_date = fresh;
  by_date.last_modified = date;
  Request stale = fresh;
  stale.etag = "\"v0\"";
  std::vector<Request> requests = {fresh, by_etag, by_date, stale};
  std::vector<Result<Response>> results = client.perform(requests);
  for (const auto& result : results) REQUIRE(result.has_value());

  CHECK(results[0]->status == 200);
  CHECK(!results[0]->not_modified());
  CHECK(results[0]->header("etag") == etag);
  CHECK(results[0]->header("last-modified") == date);
  CHECK(results[0]->body == R"({"v": 1})");
  CHECK(results[1]->not_modified());
  CHECK(results[1]->body.empty());
  CHECK(results[2]->not_modified());
  CHECK(results[3]->status == 200);

  std::vector<ReceivedRequest> seen = server.requests("/doc");
  REQUIRE(seen.size() == 4);
  auto with = [&](std::string_view name, const std::string& value) {
    return std::count_if(seen.begin(), seen.end(),
                         [&](const ReceivedRequest& r) { return r.header(name) == value; });
  };
  CHECK(with("if-none-match", etag) == 1);
  CHECK(with("if-modified-since", date) == 1);
  CHECK(with("if-none-match", "\"v0\"") == 1);
}

TEST_CASE("odd bodies with status 200 are returned for the caller to judge", "[net][curl]") {
  LoopbackServer server;
  server.html_error_page("/page");
  server.malformed_json("/broken.json");
  CurlHttpClient client(test_options());
  std::vector<Request> requests = {get(server.url("/page")), get(server.url("/broken.json"))};
  std::vector<Result<Response>> results = client.perform(requests);
  REQUIRE(results[0].has_value());
  CHECK(results[0]->status == 200);
  CHECK(results[0]->header("content-type") == "text/html; charset=utf-8");
  CHECK(results[0]->body.starts_with("<!DOCTYPE html>"));
  REQUIRE(results[1].has_value());
  CHECK(results[1]->body == R"({"name": "left-pad", "versions": {"1.0.0": )");
}

TEST_CASE("HEAD requests get headers and no body", "[net][curl]") {
  LoopbackServer server;
  server.route("/blob", make_reply(200, std::string(4096, 'b'), "application/octet-stream",
                                   {{"Docker-Content-Digest", "sha256:abc"}}));
  HttpOptions options = test_options();
  options.max_body_bytes = 1024;  // HEAD is not refused for what GET would send
  CurlHttpClient client(options);
  Request request = get(server.url("/blob"));
  request.method = Request::Method::head;
  Result<Response> result = client.fetch(request);
  REQUIRE(result.has_value());
  CHECK(result->status == 200);
  CHECK(result->body.empty());
  CHECK(result->header("docker-content-digest") == "sha256:abc");
  CHECK(server.requests("/blob").at(0).method == "HEAD");
}

TEST_CASE("results keep the order of requests, errors among responses", "[net][curl]") {
  LoopbackServer server;
  server.route("/one", make_reply(200, "1"));
  server.slow("/two", milliseconds(30), make_reply(200, "2"));
  std::string refused = "http://127.0.0.1:" + std::to_string(closed_port()) + "/three";
  HttpOptions options = test_options();
  options.max_retries = 0;
  CurlHttpClient client(options);
  std::vector<Request> requests = {get(server.url("/two")), get(refused), get(server.url("/one"))};
  std::vector<Result<Response>> results = client.perform(requests);
  REQUIRE(results.size() == 3);
  REQUIRE(results[0].has_value());
  CHECK(results[0]->body == "2");
  REQUIRE(!results[1].has_value());
  CHECK(results[1].error().message == "cannot fetch " + refused + ": couldn't connect to server");
  REQUIRE(results[2].has_value());
  CHECK(results[2]->body == "1");
  CHECK(client.perform(std::vector<Request>{}).empty());
}

TEST_CASE("header values with line breaks are refused", "[net][curl]") {
  LoopbackServer server;
  server.route("/doc", make_reply(200, "x"));
  CurlHttpClient client(test_options());
  Request request = get(server.url("/doc"));
  request.headers = {{"X-Token", "abc\r\nX-Injected: 1"}};
  Result<Response> result = client.fetch(request);
  REQUIRE(!result.has_value());
  CHECK(result.error().message ==
        "cannot fetch " + server.url("/doc") + ": header X-Token contains a line break");
  CHECK(server.total_requests() == 0);
}

TEST_CASE("POST, PATCH and PUT send their bodies", "[net][curl]") {
  LoopbackServer server;
  server.route("/things", [](const ReceivedRequest& r, int) {
    return make_reply(r.method == "POST" ? 201 : 200, r.method + ":" + r.body);
  });
  CurlHttpClient client(test_options());
  for (Request::Method method :
       {Request::Method::post, Request::Method::patch, Request::Method::put}) {
    Request request = get(server.url("/things"));
    request.method = method;
    request.body = R"({"body":"hello"})";
    request.headers = {{"Content-Type", "application/json"}};
    Result<Response> result = client.fetch(request);
    REQUIRE(result.has_value());
    CHECK(result->body == std::string(method_name(method)) + R"(:{"body":"hello"})");
  }
  auto seen = server.requests("/things");
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].method == "POST");
  CHECK(seen[1].method == "PATCH");
  CHECK(seen[2].method == "PUT");
  for (const ReceivedRequest& r : seen) {
    CHECK(r.header("content-type") == "application/json");
    CHECK(!r.header("expect"));
  }
}

TEST_CASE("a failed write names its method", "[net][curl]") {
  Request request = get("http://127.0.0.1:" + std::to_string(closed_port()) + "/things");
  request.method = Request::Method::post;
  HttpOptions options = test_options();
  options.max_retries = 0;
  CurlHttpClient client(options);
  Result<Response> result = client.fetch(request);
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().message == "cannot POST " + request.url + ": couldn't connect to server");
}

TEST_CASE("retries wait through the sleep seam when one is given", "[net][curl][retry]") {
  LoopbackServer server;
  server.rate_limited("/limited", 2, "45", make_reply(200, "fine"));
  HttpOptions options = test_options();
  options.max_backoff = std::chrono::seconds(60);
  std::vector<milliseconds> waits;
  options.sleep = [&waits](milliseconds wait) { waits.push_back(wait); };
  CurlHttpClient client(options);
  Result<Response> result = client.fetch(get(server.url("/limited")));
  REQUIRE(result.has_value());
  CHECK(result->status == 200);
  CHECK(result->attempts == 3);
  CHECK(waits == std::vector<milliseconds>(2, std::chrono::seconds(45)));
}

TEST_CASE("a GitLab token does not follow a redirect to another origin", "[net][curl]") {
  LoopbackServer api, elsewhere;
  elsewhere.route("/landing", make_reply(200, "here"));
  api.redirect("/moved", elsewhere.url("/landing"));
  CurlHttpClient client(test_options());
  Request request = get(api.url("/moved"));
  request.headers = {{"PRIVATE-TOKEN", "glpat-secret"}, {"Accept", "application/json"}};
  REQUIRE(client.fetch(request).has_value());
  auto seen = elsewhere.requests("/landing");
  REQUIRE(seen.size() == 1);
  CHECK(!seen[0].header("private-token"));
  CHECK(seen[0].header("accept") == "application/json");
}

TEST_CASE("user info in a URL is sent as Basic authorization to its own origin only",
          "[net][curl][secrets]") {
  LoopbackServer registry;
  LoopbackServer cdn;
  registry.route("/index", make_reply(200, "ok"));
  registry.redirect("/blob", cdn.url("/blob"), 302);
  cdn.route("/blob", make_reply(200, "bytes"));
  const std::string authority = "me:s%40cret@127.0.0.1:" + std::to_string(registry.port());
  CurlHttpClient client(test_options());

  Result<Response> index = client.fetch(get("http://" + authority + "/index"));
  REQUIRE(index.has_value());
  // base64("me:s@cret"): the user info is percent-decoded first.
  CHECK(registry.requests("/index").at(0).header("authorization") == "Basic bWU6c0BjcmV0");
  CHECK(index->effective_url == registry.url("/index"));

  Result<Response> blob = client.fetch(get("http://" + authority + "/blob"));
  REQUIRE(blob.has_value());
  CHECK(registry.requests("/blob").at(0).header("authorization") == "Basic bWU6c0BjcmV0");
  CHECK(!cdn.requests("/blob").at(0).header("authorization"));
}

TEST_CASE("user info in a redirect's Location is never sent", "[net][curl][secrets]") {
  LoopbackServer registry;
  const std::string port = std::to_string(registry.port());
  registry.redirect("/a", "http://evil:planted@127.0.0.1:" + port + "/b", 302);
  registry.route("/b", make_reply(200, "b"));
  CurlHttpClient client(test_options());
  Result<Response> result = client.fetch(get(registry.url("/a")));
  REQUIRE(result.has_value());
  CHECK(!registry.requests("/b").at(0).header("authorization"));
}

TEST_CASE("credentials are refused over plain http except to loopback hosts",
          "[net][curl][secrets]") {
  HttpOptions options = test_options();
  options.max_retries = 0;
  CurlHttpClient client(options);
  struct Case {
    Request request;
    std::string message;
  };
  Request bearer = get("http://registry.example/v2/");
  bearer.headers = {{"Authorization", "Bearer t0ken"}};
  Request gitlab = get("http://gitlab.example/api/v4/projects");
  gitlab.headers = {{"PRIVATE-TOKEN", "glpat-t0ken"}};
  const std::string refused =
      ": refusing to send credentials over plain http (use https; only loopback hosts are "
      "exempt)";
  const std::vector<Case> cases = {
      {bearer, "cannot fetch http://registry.example/v2/" + refused},
      {get("http://me:s3cret@registry.example/simple/"),
       "cannot fetch http://me:***@registry.example/simple/" + refused},
      {gitlab, "cannot fetch http://gitlab.example/api/v4/projects" + refused},
  };
  for (const Case& c : cases) {
    INFO(c.request.url);
    // Refused before any connection: nothing reaches the network.
    Result<Response> result = client.fetch(c.request);
    REQUIRE(!result.has_value());
    CHECK(result.error().message == c.message);
  }
  LoopbackServer local;
  local.route("/x", make_reply(200, "ok"));
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    Request request = get("http://" + host + ":" + std::to_string(local.port()) + "/x");
    request.headers = {{"Authorization", "Bearer t0ken"}};
    CHECK(client.fetch(request).has_value());
  }
}
