// The npm datasource against FakeHttpClient (document parsing, headers,
// errors) and once against a loopback server through the real curl client.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "core/time.hpp"
#include "ecosystems/npm/datasource.hpp"
#include "net/curl_client.hpp"
#include "net/fake_http_client.hpp"
#include "support/loopback_server.hpp"

using namespace driftlock;
using namespace driftlock::ecosystems::npm;
using driftlock::net::FakeHttpClient;
using driftlock::net::make_response;

namespace {

constexpr const char* kBase = "https://registry.example/npm";

std::string fixture(const std::string& file) {
  std::ifstream in(std::string(DRIFTLOCK_TEST_DATA) + "/registry/npm/" + file, std::ios::binary);
  REQUIRE(in);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Timestamp at(std::string_view text) {
  return parse_timestamp(text).value();
}

const Release& find(const PackageReleases& package, std::string_view version) {
  for (const Release& release : package.releases) {
    if (release.version == version) return release;
  }
  FAIL("no release " << version);
  throw;  // unreachable: FAIL throws
}

std::optional<std::string> accept_of(const net::Request& request) {
  for (const auto& [name, value] : request.headers) {
    if (name == "Accept") return value;
  }
  return std::nullopt;
}

std::vector<Result<PackageReleases>> fetch_one(FakeHttpClient& http, std::string name,
                                               PublishTimes times = PublishTimes::needed) {
  NpmDatasource source(http, kBase);
  std::vector<std::string> names{std::move(name)};
  return source.fetch(names, times);
}

Error error_for(const net::Response& response) {
  FakeHttpClient http;
  http.add(std::string(kBase) + "/left-pad", response);
  auto results = fetch_one(http, "left-pad");
  REQUIRE(results.size() == 1);
  REQUIRE_FALSE(results[0].has_value());
  return results[0].error();
}

}  // namespace

TEST_CASE("npm package URLs escape the scope's slash", "[npm][datasource]") {
  struct Case {
    std::string base, name, url;
  };
  const std::vector<Case> cases = {
      {"https://registry.example", "chalk", "https://registry.example/chalk"},
      {"https://registry.example/", "chalk", "https://registry.example/chalk"},
      {"http://127.0.0.1:4873", "@example/widget", "http://127.0.0.1:4873/@example%2fwidget"},
      {"https://registry.example/api/npm/", "@a/b.c_d~e",
       "https://registry.example/api/npm/@a%2fb.c_d~e"},
      {"https://registry.example", "we ird", "https://registry.example/we%20ird"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(package_url(c.base, c.name) == c.url);
  }
}

TEST_CASE("npm digests prefer the strongest integrity hash, then shasum", "[npm][datasource]") {
  struct Case {
    std::string integrity, shasum;
    std::optional<std::string> digest;
  };
  const std::vector<Case> cases = {
      {"sha512-AAAA==", "", "sha512-AAAA=="},
      {"sha1-BBBB sha512-AAAA==", "", "sha512-AAAA=="},
      {"sha512-AAAA== sha256-CCCC", "", "sha512-AAAA=="},
      {"sha256-CCCC?foo  sha1-BBBB", "", "sha256-CCCC"},
      {"md5-DDDD", "40ebf814ef75aa3d754e99ff9afe1ef90fc913c5", "sha1-QOv4FO91qj11Tpn/mv4e+Q/JE8U="},
      {"", "40ebf814ef75aa3d754e99ff9afe1ef90fc913c5", "sha1-QOv4FO91qj11Tpn/mv4e+Q/JE8U="},
      {"", "40EBF814EF75AA3D754E99FF9AFE1EF90FC913C5", "sha1-QOv4FO91qj11Tpn/mv4e+Q/JE8U="},
      {"", "40ebf814", std::nullopt},
      {"", "zzebf814ef75aa3d754e99ff9afe1ef90fc913c5", std::nullopt},
      {"sha512-", "", std::nullopt},
      {"", "", std::nullopt},
  };
  for (const Case& c : cases) {
    INFO(c.integrity << " / " << c.shasum);
    CHECK(pick_digest(c.integrity, c.shasum) == c.digest);
  }
}

TEST_CASE("npm full documents give publish times, deprecations and unpublished versions",
          "[npm][datasource]") {
  FakeHttpClient http;
  http.add(std::string(kBase) + "/chalk",
           make_response(200, fixture("chalk.full.json"), {{"Content-Type", "application/json"}}));
  auto results = fetch_one(http, "chalk", PublishTimes::needed);
  REQUIRE(results.size() == 1);
  REQUIRE(results[0].has_value());
  const PackageReleases& chalk = *results[0];

  CHECK(accept_of(http.requests().at(0)) == std::string(kFullAccept));
  CHECK(chalk.name == "chalk");
  CHECK(chalk.has_publish_times);
  CHECK(chalk.releases.size() == 8);

  const Release& current = find(chalk, "4.1.2");
  CHECK(current.published == at("2021-07-30T12:00:00Z"));
  CHECK_FALSE(current.yanked);
  CHECK_FALSE(current.deprecated);
  CHECK(current.digest ==
        "sha512-8LwxjzmMJnXrbEmlWjE3wLeM+jSOCu6bDUdVSEES5SJkloBmKO9RyPX+Oovlo3uZOzFf/"
        "HK9Co1eYC7K2rOyoQ==");
  CHECK(current.source_url == "https://registry.example/chalk/-/chalk-4.1.2.tgz");

  const Release& old = find(chalk, "1.0.0");
  CHECK(old.deprecated == "Please upgrade to chalk 2 or later");
  CHECK(old.digest == "sha1-QOv4FO91qj11Tpn/mv4e+Q/JE8U=");
  CHECK(old.published == at("2015-02-21T09:41:14Z"));

  const Release& gone = find(chalk, "4.1.3");
  CHECK(gone.yanked);
  CHECK(gone.published == at("2021-08-01T10:00:00Z"));
  CHECK_FALSE(gone.digest);

  CHECK(find(chalk, "5.4.0-beta.1").published == at("2024-12-20T08:00:00Z"));
}

TEST_CASE("npm asks for the abbreviated document when times are not needed", "[npm][datasource]") {
  FakeHttpClient http;
  http.add(std::string(kBase) + "/chalk",
           make_response(200, fixture("chalk.abbreviated.json"),
                         {{"Content-Type", "application/vnd.npm.install-v1+json"}}));
  auto results = fetch_one(http, "chalk", PublishTimes::not_needed);
  REQUIRE(results.at(0).has_value());
  const PackageReleases& chalk = *results[0];

  CHECK(accept_of(http.requests().at(0)) ==
        "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*");
  CHECK_FALSE(chalk.has_publish_times);
  CHECK(chalk.releases.size() == 7);
  for (const Release& release : chalk.releases) CHECK_FALSE(release.published);
  CHECK(find(chalk, "1.0.0").deprecated == "Please upgrade to chalk 2 or later");
  CHECK(find(chalk, "5.3.0").digest.value().starts_with("sha512-"));
}

TEST_CASE("npm fetches every name in one batch, in order", "[npm][datasource]") {
  FakeHttpClient http;
  http.add(std::string(kBase) + "/chalk", make_response(200, fixture("chalk.full.json")));
  http.add(std::string(kBase) + "/@example%2fwidget",
           make_response(200, fixture("example-widget.full.json")));
  http.add(std::string(kBase) + "/missing", make_response(404, R"({"error":"Not found"})"));
  NpmDatasource source(http, std::string(kBase) + "/");
  const std::vector<std::string> names{"@example/widget", "missing", "chalk"};
  auto results = source.fetch(names, PublishTimes::needed);

  CHECK(http.batches() == 1);
  REQUIRE(results.size() == 3);
  REQUIRE(results[0].has_value());
  CHECK(results[0]->name == "@example/widget");
  CHECK(results[0]->releases.size() == 2);
  CHECK(find(*results[0], "1.1.0").published == at("2022-03-01T12:30:00Z"));
  REQUIRE_FALSE(results[1].has_value());
  CHECK(results[1].error().message ==
        "npm package 'missing' not found at https://registry.example/npm");
  REQUIRE(results[2].has_value());
  CHECK(results[2]->name == "chalk");
}

TEST_CASE("npm fetch of no names sends nothing", "[npm][datasource]") {
  FakeHttpClient http;
  NpmDatasource source(http, kBase);
  CHECK(source.fetch({}, PublishTimes::needed).empty());
  CHECK(http.batches() == 0);
}

TEST_CASE("npm registry failures are errors naming the package", "[npm][datasource]") {
  struct Case {
    std::string name;
    net::Response response;
    ErrorKind kind;
    std::string message;
  };
  net::Response retried = make_response(503, "busy");
  retried.attempts = 5;
  const std::vector<Case> cases = {
      {"404", make_response(404, "{}"), ErrorKind::input,
       "npm package 'left-pad' not found at https://registry.example/npm"},
      {"HTML page",
       make_response(200, "<!DOCTYPE html><html>Login</html>",
                     {{"Content-Type", "text/html; charset=utf-8"}}),
       ErrorKind::infrastructure,
       "npm package 'left-pad': the registry returned a non-JSON document from "
       "https://registry.example/npm/left-pad (Content-Type: text/html; charset=utf-8)"},
      {"empty body", make_response(200, ""), ErrorKind::infrastructure,
       "npm package 'left-pad': the registry returned a non-JSON document from "
       "https://registry.example/npm/left-pad (no Content-Type)"},
      {"malformed", make_response(200, R"({"name":"left-pad","versions":{"1.0.0":)"),
       ErrorKind::infrastructure,
       "npm package 'left-pad': malformed JSON from https://registry.example/npm/left-pad at "
       "byte 40"},
      // Found by fuzz/targets/npm_document.cpp: nlohmann throws out_of_range, not
      // parse_error, for a number beyond a double, and it went uncaught.
      {"number out of range", make_response(200, R"({"versions":{"1.0.0":{"x":1e999}}})"),
       ErrorKind::infrastructure,
       "npm package 'left-pad': malformed JSON from https://registry.example/npm/left-pad: a "
       "number out of range"},
      {"retried 503", retried, ErrorKind::infrastructure,
       "npm package 'left-pad': cannot fetch https://registry.example/npm/left-pad: HTTP 503 "
       "(gave up after 5 attempts)"},
      {"401", make_response(401, "{}"), ErrorKind::infrastructure,
       "npm package 'left-pad': cannot fetch https://registry.example/npm/left-pad: HTTP 401"},
      {"array", make_response(200, "[1]"), ErrorKind::infrastructure,
       "npm package 'left-pad': unexpected document from https://registry.example/npm/left-pad: "
       "not a JSON object"},
      {"no versions", make_response(200, R"({"name":"left-pad"})"), ErrorKind::infrastructure,
       "npm package 'left-pad': unexpected document from https://registry.example/npm/left-pad: "
       "no 'versions' object"},
      {"versions list", make_response(200, R"({"versions":[]})"), ErrorKind::infrastructure,
       "npm package 'left-pad': unexpected document from https://registry.example/npm/left-pad: "
       "'versions' is not an object"},
      {"version string", make_response(200, R"({"versions":{"1.0.0":"x"}})"),
       ErrorKind::infrastructure,
       "npm package 'left-pad': unexpected document from https://registry.example/npm/left-pad: "
       "version '1.0.0' is not an object"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const Error error = error_for(c.response);
    CHECK(error.kind == c.kind);
    CHECK(error.message == c.message);
  }
}

TEST_CASE("npm transport errors keep their kind and gain the package name", "[npm][datasource]") {
  FakeHttpClient http;
  http.add(std::string(kBase) + "/left-pad",
           Error{ErrorKind::infrastructure,
                 "cannot fetch https://registry.example/npm/left-pad: couldn't connect to server",
                 std::nullopt});
  auto results = fetch_one(http, "left-pad");
  REQUIRE_FALSE(results.at(0).has_value());
  CHECK(results[0].error().kind == ErrorKind::infrastructure);
  CHECK(results[0].error().message ==
        "npm package 'left-pad': cannot fetch https://registry.example/npm/left-pad: couldn't "
        "connect to server");
}

TEST_CASE("npm messages mask credentials in the registry URL", "[npm][datasource]") {
  FakeHttpClient http;
  http.add("https://me:secret@registry.example/x", make_response(404, "{}"));
  NpmDatasource source(http, "https://me:secret@registry.example");
  const std::vector<std::string> names{"x"};
  auto results = source.fetch(names, PublishTimes::needed);
  REQUIRE_FALSE(results.at(0).has_value());
  CHECK(results[0].error().message ==
        "npm package 'x' not found at https://me:***@registry.example");
}

TEST_CASE("npm document details", "[npm][datasource]") {
  const std::string url = "https://registry.example/p";

  SECTION("an empty deprecation message is no deprecation") {
    auto parsed = parse_package_document(
        "p", R"({"versions":{"1.0.0":{"deprecated":""},"2.0.0":{"deprecated":true}}})", url);
    REQUIRE(parsed.has_value());
    CHECK_FALSE(find(*parsed, "1.0.0").deprecated);
    CHECK(find(*parsed, "2.0.0").deprecated == "deprecated");
  }
  SECTION("a wholly unpublished package lists its versions as yanked") {
    auto parsed = parse_package_document("p", R"({"name":"p","time":{
        "created":"2020-01-01T00:00:00.000Z","modified":"2021-01-01T00:00:00.000Z",
        "1.0.0":"2020-01-01T00:00:00.000Z",
        "unpublished":{"time":"2021-01-01T00:00:00.000Z","versions":["1.0.0","1.1.0"]}}})",
                                         url);
    REQUIRE(parsed.has_value());
    REQUIRE(parsed->releases.size() == 2);
    CHECK(find(*parsed, "1.0.0").yanked);
    CHECK(find(*parsed, "1.0.0").published == at("2020-01-01T00:00:00Z"));
    CHECK(find(*parsed, "1.1.0").yanked);
    CHECK_FALSE(find(*parsed, "1.1.0").published);
  }
  SECTION("a bad time leaves the release undated") {
    auto parsed = parse_package_document(
        "p", R"({"versions":{"1.0.0":{}},"time":{"1.0.0":"yesterday"}})", url);
    REQUIRE(parsed.has_value());
    CHECK(parsed->has_publish_times);
    CHECK_FALSE(find(*parsed, "1.0.0").published);
  }
  SECTION("each version's dependencies are its requirements") {
    auto parsed = parse_package_document("p", R"({"versions":{
        "1.0.0":{"dependencies":{"q":"^1.0.0","@s/r":"~2.1.0"},"dist":{"shasum":"x"}},
        "2.0.0":{},
        "3.0.0":{"dependencies":{"q":{"odd":true}}},
        "4.0.0":{"dependencies":"q"}}})",
                                         url);
    REQUIRE(parsed.has_value());
    CHECK(find(*parsed, "1.0.0").requirements == Requirements{{"@s/r", "~2.1.0"}, {"q", "^1.0.0"}});
    CHECK(find(*parsed, "2.0.0").requirements == Requirements{});
    // What is not an object of strings says nothing reliable: unknown.
    CHECK_FALSE(find(*parsed, "3.0.0").requirements);
    CHECK_FALSE(find(*parsed, "4.0.0").requirements);
  }
  SECTION("readme and users are skipped, even when odd") {
    auto parsed = parse_package_document(
        "p", R"({"readme":{"huge":[1,2,3]},"users":7,"versions":{"1.0.0":{"readme":"x"}}})", url);
    REQUIRE(parsed.has_value());
    CHECK(parsed->releases.size() == 1);
  }
}

TEST_CASE("npm datasource against a loopback registry", "[npm][datasource][loopback]") {
  driftlock::testing::LoopbackServer server;
  server.route("/chalk",
               driftlock::testing::make_reply(200, fixture("chalk.full.json"), "application/json"));
  server.route(
      "/@example/widget",
      driftlock::testing::make_reply(200, fixture("example-widget.full.json"), "application/json"));
  server.html_error_page("/proxied");
  net::HttpOptions options;
  options.max_retries = 0;
  net::CurlHttpClient http(options);
  std::unique_ptr<Datasource> source = make_datasource(http, server.url("/"));
  const std::vector<std::string> names{"chalk", "@example/widget", "proxied", "absent"};
  auto results = source->fetch(names, PublishTimes::needed);

  REQUIRE(results.size() == 4);
  REQUIRE(results[0].has_value());
  CHECK(find(*results[0], "4.1.2").published == at("2021-07-30T12:00:00Z"));
  REQUIRE(results[1].has_value());
  CHECK(results[1]->releases.size() == 2);
  REQUIRE_FALSE(results[2].has_value());
  CHECK(results[2].error().kind == ErrorKind::infrastructure);
  CHECK(results[2].error().message ==
        "npm package 'proxied': the registry returned a non-JSON document from " +
            server.url("/proxied") + " (Content-Type: text/html; charset=utf-8)");
  REQUIRE_FALSE(results[3].has_value());
  CHECK(results[3].error().message == "npm package 'absent' not found at " + server.url(""));

  const auto seen = server.requests("/chalk");
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].header("accept") == std::string(kFullAccept));
}
