// The PyPI datasource against FakeHttpClient (JSON API parsing, yanked rule,
// digest choice, errors) and once against a loopback server through curl.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "core/time.hpp"
#include "ecosystems/pypi/datasource.hpp"
#include "net/curl_client.hpp"
#include "net/fake_http_client.hpp"
#include "support/loopback_server.hpp"

using namespace driftlock;
using namespace driftlock::ecosystems::pypi;
using driftlock::net::FakeHttpClient;
using driftlock::net::make_response;

namespace {

constexpr const char* kBase = "https://registry.example";

std::string fixture(const std::string& file) {
  std::ifstream in(std::string(DRIFTLOCK_TEST_DATA) + "/registry/pypi/" + file, std::ios::binary);
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

Error error_for(const net::Response& response) {
  FakeHttpClient http;
  http.add(std::string(kBase) + "/pypi/left-pad/json", response);
  PypiDatasource source(http, kBase);
  const std::vector<std::string> names{"Left_Pad"};
  auto results = source.fetch(names, PublishTimes::needed);
  REQUIRE(results.size() == 1);
  REQUIRE_FALSE(results[0].has_value());
  return results[0].error();
}

// A JSON API document whose `releases` is `releases_json`.
std::string document(std::string_view releases_json) {
  return R"({"info":{"name":"p","description":"long"},"releases":)" + std::string(releases_json) +
         "}";
}

std::string file_json(std::string_view filename, std::string_view type, std::string_view sha256,
                      bool yanked = false) {
  return fmt::format(
      R"({{"filename":"{}","packagetype":"{}","digests":{{"sha256":"{}"}},)"
      R"("upload_time_iso_8601":"2024-01-01T00:00:00.000000Z","url":"https://files.registry.example/{}","yanked":{}}})",
      filename, type, sha256, filename, yanked ? "true" : "false");
}

const std::string kA(64, 'a');
const std::string kB(64, 'b');
const std::string kC(64, 'c');

}  // namespace

TEST_CASE("PyPI project URLs use the normalized name", "[pypi][datasource]") {
  struct Case {
    std::string base, name, url;
  };
  const std::vector<Case> cases = {
      {"https://registry.example", "requests", "https://registry.example/pypi/requests/json"},
      {"https://registry.example/", "Typing_Extensions",
       "https://registry.example/pypi/typing-extensions/json"},
      {"http://127.0.0.1:8081/root", "zope.interface",
       "http://127.0.0.1:8081/root/pypi/zope-interface/json"},
      {"https://registry.example", "A__b--C", "https://registry.example/pypi/a-b-c/json"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(project_url(c.base, c.name) == c.url);
  }
}

TEST_CASE("PyPI JSON API documents give times, yanked releases and digests", "[pypi][datasource]") {
  FakeHttpClient http;
  http.add("https://registry.example/pypi/requests/json",
           make_response(200, fixture("requests.json"), {{"Content-Type", "application/json"}}));
  PypiDatasource source(http, kBase);
  const std::vector<std::string> names{"Requests"};
  auto results = source.fetch(names, PublishTimes::not_needed);
  REQUIRE(results.size() == 1);
  REQUIRE(results[0].has_value());
  const PackageReleases& requests = *results[0];

  const auto sent = http.requests();
  REQUIRE(sent.size() == 1);
  REQUIRE(sent[0].headers.size() == 1);
  CHECK(sent[0].headers[0] == std::pair<std::string, std::string>{"Accept", "application/json"});

  CHECK(requests.name == "Requests");
  CHECK(requests.has_publish_times);
  CHECK(requests.releases.size() == 7);

  SECTION("the sdist's digest, the earliest upload") {
    const Release& release = find(requests, "2.31.0");
    CHECK_FALSE(release.yanked);
    CHECK(release.published == at("2023-05-22T15:12:42Z"));
    CHECK(release.digest ==
          "sha256:a455365429e6f3fd19b1ca79671da8612354e80640ca15b531c1372adb167005");
    CHECK(release.source_url == "https://files.registry.example/packages/requests-2.31.0.tar.gz");
    CHECK_FALSE(release.deprecated);
  }
  SECTION("every file yanked: the release is yanked") {
    CHECK(find(requests, "2.32.0").yanked);
  }
  SECTION("some files yanked: the release is not") {
    const Release& release = find(requests, "2.32.1");
    CHECK_FALSE(release.yanked);
    // The rule does not look at yanked flags: the sdist still names the release.
    CHECK(release.digest ==
          "sha256:cd9cac83f3512c8b122fd0a0dd5d665eb9204ec9edb91644d66898230459bd38");
  }
  SECTION("no sdist: the first wheel by filename") {
    const Release& release = find(requests, "2.32.3");
    CHECK(release.digest ==
          "sha256:9e70103c956cd529c1fb1f5b17bc95a81711ec1ed86a725cd7cb06834dac4a30");
    CHECK(release.published == at("2024-05-29T15:37:45Z"));
  }
  SECTION("no files: not yanked, no time, no digest") {
    const Release& release = find(requests, "0.2.0");
    CHECK_FALSE(release.yanked);
    CHECK_FALSE(release.published);
    CHECK_FALSE(release.digest);
    CHECK_FALSE(release.source_url);
  }
  SECTION("old files have only upload_time, which is UTC") {
    CHECK(find(requests, "0.2.1").published == at("2011-02-14T18:27:30Z"));
  }
  SECTION("pre-releases are listed like any release") {
    CHECK(find(requests, "3.0.0b1").published == at("2024-09-01T08:00:00Z"));
  }
}

TEST_CASE("PyPI requirements come from `info`, for the release it describes",
          "[pypi][datasource]") {
  struct Row {
    std::string info;
    std::optional<Requirements> newest;
  };
  const std::vector<Row> rows{
      {R"j({"version":"2.0","requires_dist":["idna (<4,>=2.5)","certifi",)j"
       R"j("PySocks!=1.5.7; extra == 'socks'","tomli; python_version < '3.11'"]})j",
       Requirements{{"idna", "<4,>=2.5"}, {"certifi", ""}}},
      {R"j({"version":"2.0","requires_dist":[]})j", Requirements{}},
      // null: the index could not read the metadata, not "no requirements".
      {R"j({"version":"2.0","requires_dist":null})j", std::nullopt},
      {R"j({"version":"2.0","requires_dist":[7,{"x":1},"ok"],"project_urls":{"a":"b"}})j",
       Requirements{{"ok", ""}}},
      {R"j({"version":"3.0","requires_dist":["idna"]})j", std::nullopt},
  };
  for (const Row& row : rows) {
    INFO(row.info);
    FakeHttpClient http;
    http.add("https://registry.example/pypi/p/json",
             make_response(200, R"({"info":)" + row.info + R"(,"releases":{"1.0":[],"2.0":[]}})",
                           {{"Content-Type", "application/json"}}));
    PypiDatasource source(http, kBase);
    const std::vector<std::string> names{"p"};
    auto results = source.fetch(names, PublishTimes::not_needed);
    REQUIRE(results[0].has_value());
    CHECK(find(*results[0], "2.0").requirements == row.newest);
    CHECK_FALSE(find(*results[0], "1.0").requirements);
  }
}

TEST_CASE("PyPI digest choice does not depend on file order", "[pypi][datasource]") {
  struct Case {
    std::string name;
    std::string files;
    std::optional<std::string> digest;
  };
  const std::vector<Case> cases = {
      {"sdist beats wheels",
       "[" + file_json("p-1-py3-none-any.whl", "bdist_wheel", kA) + "," +
           file_json("p-1.tar.gz", "sdist", kB) + "]",
       "sha256:" + kB},
      {"first wheel by filename",
       "[" + file_json("p-1-py3-none-any.whl", "bdist_wheel", kA) + "," +
           file_json("p-1-cp312-cp312-manylinux.whl", "bdist_wheel", kB) + "]",
       "sha256:" + kB},
      {"wheels beat eggs",
       "[" + file_json("a-1.egg", "bdist_egg", kA) + "," +
           file_json("p-1-py3-none-any.whl", "bdist_wheel", kC) + "]",
       "sha256:" + kC},
      {"two sdists: first by filename",
       "[" + file_json("p-1.zip", "sdist", kA) + "," + file_json("p-1.tar.gz", "sdist", kB) + "]",
       "sha256:" + kB},
      {"a file without a usable sha256 is skipped",
       "[" + file_json("p-1.tar.gz", "sdist", "not-hex") + "," +
           file_json("p-1-py3-none-any.whl", "bdist_wheel", kC) + "]",
       "sha256:" + kC},
      {"upper-case hex is lowered",
       "[" + file_json("p-1.tar.gz", "sdist", std::string(64, 'A')) + "]", "sha256:" + kA},
      {"no usable digest at all", "[" + file_json("p-1.tar.gz", "sdist", "") + "]", std::nullopt},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto parsed = parse_project_document("p", document(R"({"1":)" + c.files + "}"),
                                         "https://registry.example/pypi/p/json");
    REQUIRE(parsed.has_value());
    REQUIRE(parsed->releases.size() == 1);
    CHECK(parsed->releases[0].digest == c.digest);
  }
}

TEST_CASE("PyPI yanked needs every file yanked", "[pypi][datasource]") {
  struct Case {
    std::string files;
    bool yanked;
  };
  const std::vector<Case> cases = {
      {"[]", false},
      {"[" + file_json("p-1.tar.gz", "sdist", kA, true) + "]", true},
      {"[" + file_json("p-1.tar.gz", "sdist", kA, true) + "," +
           file_json("p-1-py3-none-any.whl", "bdist_wheel", kB, true) + "]",
       true},
      {"[" + file_json("p-1.tar.gz", "sdist", kA, true) + "," +
           file_json("p-1-py3-none-any.whl", "bdist_wheel", kB, false) + "]",
       false},
      {R"([{"filename":"p-1.tar.gz","yanked":"yes"}])", false},
  };
  for (const Case& c : cases) {
    INFO(c.files);
    auto parsed = parse_project_document("p", document(R"({"1":)" + c.files + "}"),
                                         "https://registry.example/pypi/p/json");
    REQUIRE(parsed.has_value());
    CHECK(parsed->releases.at(0).yanked == c.yanked);
  }
}

TEST_CASE("PyPI fetches every name in one batch, in order", "[pypi][datasource]") {
  FakeHttpClient http;
  http.add("https://registry.example/pypi/requests/json",
           make_response(200, fixture("requests.json")));
  http.add("https://registry.example/pypi/typing-extensions/json",
           make_response(200, fixture("typing-extensions.json")));
  PypiDatasource source(http, kBase);
  const std::vector<std::string> names{"typing_extensions", "requests"};
  auto results = source.fetch(names, PublishTimes::needed);
  CHECK(http.batches() == 1);
  REQUIRE(results.size() == 2);
  REQUIRE(results[0].has_value());
  CHECK(results[0]->name == "typing_extensions");
  CHECK(results[0]->releases.size() == 1);
  REQUIRE(results[1].has_value());
  CHECK(results[1]->name == "requests");

  CHECK(source.fetch({}, PublishTimes::needed).empty());
  CHECK(http.batches() == 1);
}

TEST_CASE("PyPI registry failures are errors naming the package", "[pypi][datasource]") {
  struct Case {
    std::string name;
    net::Response response;
    ErrorKind kind;
    std::string message;
  };
  net::Response retried = make_response(502, "bad gateway");
  retried.attempts = 3;
  const std::string url = "https://registry.example/pypi/left-pad/json";
  const std::vector<Case> cases = {
      {"404", make_response(404, R"({"message": "Not Found"})"), ErrorKind::input,
       "PyPI package 'Left_Pad' not found at https://registry.example"},
      {"HTML page",
       make_response(200, "\n  <html><body>Proxy error</body></html>",
                     {{"Content-Type", "text/html"}}),
       ErrorKind::infrastructure,
       "PyPI package 'Left_Pad': the registry returned a non-JSON document from " + url +
           " (Content-Type: text/html)"},
      {"malformed", make_response(200, R"({"releases": {"1.0": [})"), ErrorKind::infrastructure,
       "PyPI package 'Left_Pad': malformed JSON from " + url + " at byte 23"},
      {"retried 502", retried, ErrorKind::infrastructure,
       "PyPI package 'Left_Pad': cannot fetch " + url + ": HTTP 502 (gave up after 3 attempts)"},
      {"no releases", make_response(200, R"({"info":{}})"), ErrorKind::infrastructure,
       "PyPI package 'Left_Pad': unexpected document from " + url + ": no 'releases' object"},
      {"releases list", make_response(200, R"({"releases":[]})"), ErrorKind::infrastructure,
       "PyPI package 'Left_Pad': unexpected document from " + url +
           ": 'releases' is not an object"},
      {"files object", make_response(200, R"({"releases":{"1.0":{}}})"), ErrorKind::infrastructure,
       "PyPI package 'Left_Pad': unexpected document from " + url +
           ": the files of version '1.0' are not a list"},
      {"file string", make_response(200, R"({"releases":{"1.0":["x"]}})"),
       ErrorKind::infrastructure,
       "PyPI package 'Left_Pad': unexpected document from " + url +
           ": a file of version '1.0' is not an object"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const Error error = error_for(c.response);
    CHECK(error.kind == c.kind);
    CHECK(error.message == c.message);
  }
}

TEST_CASE("PyPI transport errors keep their kind and gain the package name", "[pypi][datasource]") {
  FakeHttpClient http;
  http.add(
      "https://registry.example/pypi/left-pad/json",
      Error{ErrorKind::infrastructure,
            "cannot fetch https://registry.example/pypi/left-pad/json: timed out", std::nullopt});
  PypiDatasource source(http, kBase);
  const std::vector<std::string> names{"left-pad"};
  auto results = source.fetch(names, PublishTimes::needed);
  REQUIRE_FALSE(results.at(0).has_value());
  CHECK(results[0].error().kind == ErrorKind::infrastructure);
  CHECK(results[0].error().message ==
        "PyPI package 'left-pad': cannot fetch https://registry.example/pypi/left-pad/json: "
        "timed out");
}

TEST_CASE("PyPI datasource against a loopback index", "[pypi][datasource][loopback]") {
  driftlock::testing::LoopbackServer server;
  // A static JSON index serves files without a JSON content type.
  server.route(
      "/index/pypi/requests/json",
      driftlock::testing::make_reply(200, fixture("requests.json"), "application/octet-stream"));
  server.gzipped("/index/pypi/typing-extensions/json", fixture("typing-extensions.json"));
  server.malformed_json("/index/pypi/broken/json");
  net::HttpOptions options;
  options.max_retries = 0;
  net::CurlHttpClient http(options);
  std::unique_ptr<Datasource> source = make_datasource(http, server.url("/index"));
  const std::vector<std::string> names{"requests", "Typing.Extensions", "broken", "absent"};
  auto results = source->fetch(names, PublishTimes::needed);

  REQUIRE(results.size() == 4);
  REQUIRE(results[0].has_value());
  CHECK(find(*results[0], "2.32.0").yanked);
  REQUIRE(results[1].has_value());
  CHECK(results[1]->name == "Typing.Extensions");
  CHECK(find(*results[1], "1.0.0").published == at("2020-01-01T00:00:00Z"));
  REQUIRE_FALSE(results[2].has_value());
  CHECK(results[2].error().kind == ErrorKind::infrastructure);
  CHECK(results[2].error().message.starts_with("PyPI package 'broken': malformed JSON from " +
                                               server.url("/index/pypi/broken/json") +
                                               " at byte "));
  REQUIRE_FALSE(results[3].has_value());
  CHECK(results[3].error().kind == ErrorKind::input);
  CHECK(results[3].error().message == "PyPI package 'absent' not found at " + server.url("/index"));

  const auto seen = server.requests("/index/pypi/requests/json");
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].header("accept") == "application/json");
}
