#include "ecosystems/debian/datasource.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "ecosystems/debian/compress_support.hpp"
#include "ecosystems/debian/packages_index.hpp"
#include "net/curl_client.hpp"
#include "net/fake_http_client.hpp"
#include "support/loopback_server.hpp"

using namespace driftlock;
using namespace driftlock::ecosystems::debian;
using driftlock::net::FakeHttpClient;
using driftlock::net::make_response;
using driftlock::testing::debian::gz_compress;
using driftlock::testing::debian::xz_compress;

namespace {

const std::string kBase = "http://127.0.0.1:8082/debian";
const std::string kDists = kBase + "/dists/bookworm/";

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(DRIFTLOCK_TEST_DATA) + "/registry/debian/" + name, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Listed {
  std::string path;  // relative to dists/bookworm/
  std::string body;
};

std::string release_for(const std::vector<Listed>& files) {
  std::string text =
      "Origin: Example\nLabel: Example\nSuite: stable\nCodename: bookworm\n"
      "Date: Sat, 09 Nov 2024 10:00:00 UTC\nArchitectures: amd64\nComponents: main contrib\n"
      "Description: fixture archive\nSHA256:\n";
  for (const auto& file : files) {
    text += fmt::format(" {} {:>8} {}\n", sha256_hex(file.body), file.body.size(), file.path);
  }
  return text;
}

DebianRegistry registry(std::vector<std::string> components = {"main"}) {
  return DebianRegistry{kBase, "bookworm", std::move(components), "amd64"};
}

std::vector<Result<PackageReleases>> fetch(Datasource& source, std::vector<std::string> names) {
  return source.fetch(names, PublishTimes::needed);
}

}  // namespace

TEST_CASE("debian datasource: answers all names from one index download", "[debian][datasource]") {
  const std::string plain = fixture("Packages");
  const std::string xz = xz_compress(plain);
  FakeHttpClient http;
  http.add(kDists + "Release",
           make_response(200, release_for({{"main/binary-amd64/Packages", plain},
                                           {"main/binary-amd64/Packages.xz", xz}})));
  http.add(kDists + "main/binary-amd64/Packages.xz", make_response(200, xz));
  DebianDatasource source(http, registry());
  auto results = fetch(source, {"libexample-dev", "tzdata-example", "absent", "libexample-dev"});
  REQUIRE(results.size() == 4);
  REQUIRE(results[0]);
  CHECK(results[0]->name == "libexample-dev");
  CHECK_FALSE(results[0]->has_publish_times);
  REQUIRE(results[0]->releases.size() == 2);
  CHECK(results[0]->releases[0].version == "1.2.3-1");
  CHECK(results[0]->releases[0].digest ==
        "sha256:fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9");
  CHECK(results[0]->releases[0].source_url ==
        kBase + "/pool/main/e/example/libexample-dev_1.2.3-1_amd64.deb");
  CHECK_FALSE(results[0]->releases[0].published);
  CHECK(results[0]->releases[1].version == "1.2.4-1~deb12u1");
  REQUIRE(results[1]);
  CHECK(results[1]->releases.size() == 1);
  REQUIRE_FALSE(results[2]);
  CHECK(results[2].error().kind == ErrorKind::input);
  CHECK(results[2].error().message ==
        "Debian package 'absent' not found in http://127.0.0.1:8082/debian bookworm main");
  REQUIRE(results[3]);
  CHECK(results[3]->releases.size() == 2);
  CHECK(http.count(kDists + "Release") == 1);
  CHECK(http.count(kDists + "main/binary-amd64/Packages.xz") == 1);
  CHECK(http.count(kDists + "main/binary-amd64/Packages") == 0);
}

TEST_CASE("debian datasource: picks xz, then gz, then plain", "[debian][datasource]") {
  const std::string plain = fixture("Packages");
  const std::string gz = gz_compress(plain);
  const std::string xz = xz_compress(plain);
  struct Case {
    std::vector<Listed> listed;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {{{"main/binary-amd64/Packages", plain},
        {"main/binary-amd64/Packages.gz", gz},
        {"main/binary-amd64/Packages.xz", xz}},
       "Packages.xz"},
      {{{"main/binary-amd64/Packages", plain}, {"main/binary-amd64/Packages.gz", gz}},
       "Packages.gz"},
      {{{"main/binary-amd64/Packages", plain}, {"main/binary-arm64/Packages.xz", xz}}, "Packages"},
  };
  for (const auto& c : cases) {
    FakeHttpClient http;
    http.add(kDists + "Release", make_response(200, release_for(c.listed)));
    for (const auto& file : c.listed) http.add(kDists + file.path, make_response(200, file.body));
    DebianDatasource source(http, registry());
    auto results = fetch(source, {"libexample1"});
    REQUIRE(results[0]);
    CHECK(results[0]->releases.size() == 1);
    CHECK(http.count(kDists + "main/binary-amd64/" + c.expected) == 1);
    CHECK(http.requests().size() == 2);
  }
}

TEST_CASE("debian datasource: several components in one batch", "[debian][datasource]") {
  const std::string main_index = fixture("Packages");
  const std::string contrib_index =
      "Package: libexample-dev\nVersion: 1.3.0-1\nFilename: pool/contrib/x.deb\n"
      "SHA256: " +
      std::string(64, 'A') +
      "\n\n"
      "Package: libexample-dev\nVersion: 1.2.3-1\nFilename: pool/contrib/dup.deb\n";
  const std::string contrib_gz = gz_compress(contrib_index);
  FakeHttpClient http;
  http.add(kDists + "Release",
           make_response(200, release_for({{"main/binary-amd64/Packages", main_index},
                                           {"contrib/binary-amd64/Packages.gz", contrib_gz}})));
  http.add(kDists + "main/binary-amd64/Packages", make_response(200, main_index));
  http.add(kDists + "contrib/binary-amd64/Packages.gz", make_response(200, contrib_gz));
  DebianDatasource source(http, registry({"main", "contrib"}));
  auto results = fetch(source, {"libexample-dev", "nothere"});
  REQUIRE(results[0]);
  REQUIRE(results[0]->releases.size() == 3);  // 1.2.3-1 from contrib is a duplicate
  CHECK(results[0]->releases[2].version == "1.3.0-1");
  CHECK(results[0]->releases[2].digest == "sha256:" + std::string(64, 'a'));
  CHECK(results[0]->releases[2].source_url == kBase + "/pool/contrib/x.deb");
  REQUIRE_FALSE(results[1]);
  CHECK(results[1].error().message ==
        "Debian package 'nothere' not found in http://127.0.0.1:8082/debian bookworm main "
        "contrib");
  CHECK(http.batches() == 2);  // the Release, then both indexes together
}

TEST_CASE("debian datasource: repository failures name each package", "[debian][datasource]") {
  const std::string plain = fixture("Packages");
  const std::string xz = xz_compress(plain);
  const std::string release = release_for({{"main/binary-amd64/Packages.xz", xz}});
  struct Case {
    std::string name;
    std::function<void(FakeHttpClient&)> setup;
    ErrorKind kind;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"hash mismatch",
       [&](FakeHttpClient& http) {
         http.add(kDists + "Release", make_response(200, release));
         http.add(kDists + "main/binary-amd64/Packages.xz", make_response(200, xz + "x"));
       },
       ErrorKind::infrastructure,
       "Debian package 'libexample1': " + kDists +
           "main/binary-amd64/Packages.xz: SHA256 mismatch: the Release lists " + sha256_hex(xz) +
           ", the download has " + sha256_hex(xz + "x")},
      {"no such suite",
       [&](FakeHttpClient& http) { http.add(kDists + "Release", make_response(404, "")); },
       ErrorKind::input,
       "Debian package 'libexample1': Debian suite 'bookworm' not found: " + kDists +
           "Release gave HTTP 404"},
      {"Release 500",
       [&](FakeHttpClient& http) {
         auto response = make_response(503, "");
         response.attempts = 5;
         http.add(kDists + "Release", response);
       },
       ErrorKind::infrastructure,
       "Debian package 'libexample1': cannot fetch " + kDists +
           "Release: HTTP 503 (gave up after 5 attempts)"},
      {"index 404",
       [&](FakeHttpClient& http) {
         http.add(kDists + "Release", make_response(200, release));
         http.add(kDists + "main/binary-amd64/Packages.xz", make_response(404, ""));
       },
       ErrorKind::infrastructure,
       "Debian package 'libexample1': cannot fetch " + kDists +
           "main/binary-amd64/Packages.xz: HTTP 404"},
      {"transport error",
       [&](FakeHttpClient& http) {
         http.add(kDists + "Release",
                  Error{ErrorKind::infrastructure, "couldn't connect to server", std::nullopt});
       },
       ErrorKind::infrastructure, "Debian package 'libexample1': couldn't connect to server"},
      {"component not in Release",
       [&](FakeHttpClient& http) {
         http.add(kDists + "Release",
                  make_response(200, release_for({{"main/binary-arm64/Packages.xz", xz}})));
       },
       ErrorKind::input,
       "Debian package 'libexample1': " + kDists +
           "Release lists no Packages index for main/binary-amd64"},
      {"Release without SHA256",
       [&](FakeHttpClient& http) {
         http.add(kDists + "Release", make_response(200, "Origin: x\n"));
       },
       ErrorKind::infrastructure,
       "Debian package 'libexample1': " + kDists +
           "Release: the Release file has no SHA256 checksums"},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      FakeHttpClient http;
      c.setup(http);
      DebianDatasource source(http, registry());
      auto results = fetch(source, {"libexample1", "tzdata-example"});
      REQUIRE(results.size() == 2);
      REQUIRE_FALSE(results[0]);
      CHECK(results[0].error().kind == c.kind);
      CHECK(results[0].error().message == c.message);
      REQUIRE_FALSE(results[1]);
      CHECK(results[1].error().message.starts_with("Debian package 'tzdata-example': "));
    }
  }
}

TEST_CASE("debian datasource: no names, no requests", "[debian][datasource]") {
  FakeHttpClient http;
  auto source = make_datasource(http, registry());
  CHECK(fetch(*source, {}).empty());
  CHECK(http.requests().empty());
}

TEST_CASE("debian datasource: url helpers", "[debian][datasource]") {
  DebianRegistry r{"http://127.0.0.1:8082/debian/", "stable", {"main", "contrib"}, "arm64"};
  CHECK(release_url(r) == "http://127.0.0.1:8082/debian/dists/stable/Release");
  CHECK(describe(r) == "http://127.0.0.1:8082/debian stable main contrib");
}

TEST_CASE("debian datasource: a real HTTP server with Packages.xz",
          "[debian][datasource][loopback]") {
  driftlock::testing::LoopbackServer server;
  const std::string plain = fixture("Packages");
  const std::string xz = xz_compress(plain);
  server.route(
      "/debian/dists/bookworm/Release",
      driftlock::testing::make_reply(200, release_for({{"main/binary-amd64/Packages", plain},
                                                       {"main/binary-amd64/Packages.xz", xz}})));
  server.route("/debian/dists/bookworm/main/binary-amd64/Packages.xz",
               driftlock::testing::make_reply(200, xz, "application/x-xz"));
  net::HttpOptions options;
  options.max_retries = 0;
  net::CurlHttpClient http(options);
  auto source = make_datasource(http, DebianRegistry{server.url("/debian"), "bookworm", {}, {}});
  auto results = fetch(*source, {"libexample1", "libexample-dev", "missing"});
  REQUIRE(results.size() == 3);
  REQUIRE(results[0]);
  REQUIRE(results[0]->releases.size() == 1);
  CHECK(results[0]->releases[0].version == "1.2.3-1");
  REQUIRE(results[1]);
  CHECK(results[1]->releases.size() == 2);
  REQUIRE_FALSE(results[2]);
  CHECK(results[2].error().message ==
        "Debian package 'missing' not found in " + server.url("/debian") + " bookworm main");
  CHECK(server.request_count("/debian/dists/bookworm/Release") == 1);
  CHECK(server.request_count("/debian/dists/bookworm/main/binary-amd64/Packages.xz") == 1);
}
