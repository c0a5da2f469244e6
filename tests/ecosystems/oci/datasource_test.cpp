#include "ecosystems/oci/datasource.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "net/fake_http_client.hpp"
#include "net/http_text.hpp"

using namespace driftlock;
using namespace driftlock::ecosystems::oci;
using driftlock::net::FakeHttpClient;
using driftlock::net::make_response;
using driftlock::net::Request;

namespace {

const std::string kImage = "127.0.0.1:5000/base";
const std::string kRepo = "http://127.0.0.1:5000/v2/base";
const std::string kDigest = "sha256:" + std::string(64, 'd');

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(DRIFTLOCK_TEST_DATA) + "/registry/oci/" + name, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<Result<PackageReleases>> fetch(Datasource& source, std::vector<std::string> names) {
  return source.fetch(names, PublishTimes::needed);
}

std::optional<std::string> header_of(const Request& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (net::equals_ignore_case(key, name)) return value;
  }
  return std::nullopt;
}

const Release* find_release(const PackageReleases& releases, std::string_view version) {
  for (const auto& release : releases.releases) {
    if (release.version == version) return &release;
  }
  return nullptr;
}

// tags/list in two pages, linked relatively.
void add_tags(FakeHttpClient& http, const std::string& repo = kRepo) {
  http.add(repo + "/tags/list",
           make_response(200, fixture("tags-page1.json"),
                         {{"Link", "</v2/base/tags/list?n=3&last=stable>; rel=\"next\""}}));
  http.add(repo + "/tags/list?n=3&last=stable", make_response(200, fixture("tags-page2.json")));
}

}  // namespace

TEST_CASE("oci datasource: HEAD digest and paginated tags", "[oci][datasource]") {
  FakeHttpClient http;
  add_tags(http);
  http.add(kRepo + "/manifests/stable",
           make_response(200, "", {{"Docker-Content-Digest", kDigest}}));
  OciDatasource source(http, {{kImage, "stable"}});
  auto results = fetch(source, {kImage});
  REQUIRE(results.size() == 1);
  REQUIRE(results[0]);
  CHECK(results[0]->name == kImage);
  CHECK_FALSE(results[0]->has_publish_times);
  CHECK(results[0]->releases.size() == 6);
  const Release* stable = find_release(*results[0], "stable");
  REQUIRE(stable);
  CHECK(stable->digest == kDigest);
  CHECK(stable->source_url == kImage + ":stable");
  const Release* latest = find_release(*results[0], "latest");
  REQUIRE(latest);
  CHECK_FALSE(latest->digest);

  const auto requests = http.requests();
  REQUIRE(requests.size() == 3);
  CHECK(requests[2].url == kRepo + "/manifests/stable");
  CHECK(requests[2].method == Request::Method::head);
  CHECK(header_of(requests[2], "Accept") ==
        "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
        "application/vnd.docker.distribution.manifest.list.v2+json, "
        "application/vnd.docker.distribution.manifest.v2+json");
  CHECK_FALSE(header_of(requests[2], "Authorization"));
}

TEST_CASE("oci datasource: no digest header on HEAD falls back to GET", "[oci][datasource]") {
  FakeHttpClient http;
  http.add(kRepo + "/tags/list", make_response(200, fixture("tags-page1.json")));
  const std::string index = fixture("index.json");
  http.add(kRepo + "/manifests/stable", [&](const Request& request) -> Result<net::Response> {
    if (request.method == Request::Method::head) return make_response(200, "");
    return make_response(200, index, {{"Content-Type", "application/vnd.oci.image.index.v1+json"}});
  });
  OciDatasource source(http, {{kImage, "stable"}});
  auto results = fetch(source, {kImage});
  REQUIRE(results[0]);
  const Release* stable = find_release(*results[0], "stable");
  REQUIRE(stable);
  // sha256sum of the fixture file, i.e. of the bytes as served.
  CHECK(stable->digest ==
        "sha256:17d44d5591062286ce8ef20c114c2e852457a7db7b0c4e87881029fd9f45da92");
  const auto requests = http.requests();
  REQUIRE(requests.size() == 3);
  CHECK(requests[2].method == Request::Method::get);
  CHECK(header_of(requests[2], "Accept") == std::string(kManifestAccept));
}

TEST_CASE("oci datasource: manifest body digest is the SHA-256 of the bytes", "[oci][datasource]") {
  FakeHttpClient http;
  http.add(kRepo + "/tags/list", make_response(200, R"({"name":"base","tags":["stable"]})"));
  http.add(kRepo + "/manifests/stable", make_response(200, "abc"));
  OciDatasource source(http, {{kImage, "stable"}});
  auto results = fetch(source, {kImage});
  REQUIRE(results[0]);
  CHECK(results[0]->releases.at(0).digest ==
        "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("oci datasource: 401 starts the Bearer token flow", "[oci][datasource][auth]") {
  const std::string token_endpoint =
      "http://127.0.0.1:5001/token?service=registry.example&scope=repository%3Abase%3Apull";
  const std::string challenge =
      R"(Bearer realm="http://127.0.0.1:5001/token",service="registry.example",scope="repository:base:pull")";
  FakeHttpClient http;
  auto guarded = [&](net::Response ok) {
    return [ok, challenge](const Request& request) -> Result<net::Response> {
      if (header_of(request, "Authorization") != "Bearer s3cr3t-token") {
        return make_response(401, R"({"errors":[{"code":"UNAUTHORIZED"}]})",
                             {{"WWW-Authenticate", challenge}});
      }
      return ok;
    };
  };
  http.add(kRepo + "/tags/list",
           guarded(make_response(200, R"({"name":"base","tags":["stable","12"]})")));
  http.add(kRepo + "/manifests/stable",
           guarded(make_response(200, "", {{"Docker-Content-Digest", kDigest}})));
  http.add(token_endpoint, make_response(200, R"({"token":"s3cr3t-token","expires_in":300})"));
  OciDatasource source(http, {{kImage, "stable"}}, [](std::string_view host) {
    CHECK(host == "127.0.0.1:5000");
    return std::optional<Credentials>(Credentials{"ci-user", "hunter2"});
  });
  auto results = fetch(source, {kImage});
  REQUIRE(results[0]);
  CHECK(find_release(*results[0], "stable")->digest == kDigest);
  CHECK(results[0]->releases.size() == 2);
  CHECK(http.count(token_endpoint) == 1);  // the token is reused for the manifest
  for (const auto& request : http.requests()) {
    if (request.url == token_endpoint) {
      CHECK(header_of(request, "Authorization") == "Basic Y2ktdXNlcjpodW50ZXIy");
    }
  }
  CHECK(http.count(kRepo + "/manifests/stable") == 1);  // sent with the token at once
}

TEST_CASE("oci datasource: access_token and anonymous token requests", "[oci][datasource][auth]") {
  FakeHttpClient http;
  http.add(kRepo + "/tags/list", [](const Request& request) -> Result<net::Response> {
    if (header_of(request, "Authorization") == "Bearer anon") {
      return make_response(200, R"({"name":"base","tags":["stable"]})");
    }
    return make_response(401, "",
                         {{"WWW-Authenticate", R"(Bearer realm="http://127.0.0.1:5001/t")"}});
  });
  http.add("http://127.0.0.1:5001/t?scope=repository%3Abase%3Apull",
           [](const Request& request) -> Result<net::Response> {
             CHECK_FALSE(header_of(request, "Authorization"));
             return make_response(200, R"({"access_token":"anon"})");
           });
  http.add(kRepo + "/manifests/stable", [](const Request& request) -> Result<net::Response> {
    CHECK(header_of(request, "Authorization") == "Bearer anon");
    return make_response(200, "", {{"Docker-Content-Digest", kDigest}});
  });
  OciDatasource source(http, {{kImage, "stable"}});
  auto results = fetch(source, {kImage});
  REQUIRE(results[0]);
  CHECK(results[0]->releases.at(0).digest == kDigest);
}

TEST_CASE("oci datasource: Basic challenge uses the credentials", "[oci][datasource][auth]") {
  FakeHttpClient http;
  auto guarded = [](net::Response ok) {
    return [ok](const Request& request) -> Result<net::Response> {
      if (header_of(request, "Authorization") != "Basic dTpw") {
        return make_response(401, "", {{"WWW-Authenticate", R"(Basic realm="Registry Realm")"}});
      }
      return ok;
    };
  };
  http.add(kRepo + "/tags/list", guarded(make_response(200, R"({"tags":["stable"]})")));
  http.add(kRepo + "/manifests/stable",
           guarded(make_response(200, "", {{"Docker-Content-Digest", kDigest}})));
  OciDatasource source(http, {{kImage, "stable"}}, [](std::string_view) {
    return std::optional<Credentials>(Credentials{"u", "p"});
  });
  auto results = fetch(source, {kImage});
  REQUIRE(results[0]);
  CHECK(results[0]->releases.at(0).digest == kDigest);
}

TEST_CASE("oci datasource: failed authentication keeps secrets out of messages",
          "[oci][datasource][auth]") {
  const std::string token_endpoint =
      "http://127.0.0.1:5001/token?service=registry.example&scope=repository%3Abase%3Apull";
  struct Case {
    std::string name;
    net::Response token_answer;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"token endpoint refuses", make_response(401, R"({"details":"bad password hunter2"})"),
       "OCI image '127.0.0.1:5000/base': cannot fetch " + kRepo +
           "/tags/list: HTTP 401 (cannot get a token from http://127.0.0.1:5001/token: HTTP 401)"},
      {"token endpoint answers garbage", make_response(200, "<html>s3cr3t-token</html>"),
       "OCI image '127.0.0.1:5000/base': cannot fetch " + kRepo +
           "/tags/list: HTTP 401 (cannot get a token from http://127.0.0.1:5001/token: the "
           "token endpoint did not answer JSON)"},
      {"token rejected by the registry", make_response(200, R"({"token":"s3cr3t-token"})"),
       "OCI image '127.0.0.1:5000/base': cannot fetch " + kRepo + "/tags/list: HTTP 401"},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      FakeHttpClient http;
      http.add(kRepo + "/tags/list",
               make_response(
                   401, "",
                   {{"WWW-Authenticate",
                     R"(Bearer realm="http://127.0.0.1:5001/token",service="registry.example")"}}));
      http.add(token_endpoint, c.token_answer);
      OciDatasource source(http, {{kImage, "stable"}}, [](std::string_view) {
        return std::optional<Credentials>(Credentials{"ci-user", "hunter2"});
      });
      auto results = fetch(source, {kImage});
      REQUIRE_FALSE(results[0]);
      CHECK(results[0].error().kind == ErrorKind::infrastructure);
      CHECK(results[0].error().message == c.message);
      for (const std::string secret : {"hunter2", "ci-user", "Y2ktdXNlcjpodW50ZXIy", "s3cr3t"}) {
        CHECK(results[0].error().message.find(secret) == std::string::npos);
      }
      CHECK(http.count(token_endpoint) == 1);
    }
  }
}

TEST_CASE("oci datasource: missing tags and repositories are input errors", "[oci][datasource]") {
  FakeHttpClient http;
  http.add(kRepo + "/tags/list", make_response(200, fixture("tags-page1.json")));
  http.add(kRepo + "/manifests/nope",
           make_response(404, R"({"errors":[{"code":"MANIFEST_UNKNOWN"}]})"));
  http.add("http://127.0.0.1:5000/v2/gone/tags/list", make_response(404, ""));
  OciDatasource source(
      http, {{kImage, "nope"}, {"127.0.0.1:5000/gone", "stable"}, {"registry.example/", "1"}});
  auto results = fetch(
      source, {kImage, "127.0.0.1:5000/gone", "127.0.0.1:5000/unmapped", "registry.example/"});
  REQUIRE(results.size() == 4);
  struct Expected {
    ErrorKind kind;
    std::string message;
  };
  const std::vector<Expected> expected = {
      {ErrorKind::input, "OCI image '127.0.0.1:5000/base' has no tag 'nope'"},
      {ErrorKind::input,
       "OCI image '127.0.0.1:5000/gone' not found: http://127.0.0.1:5000/v2/gone/tags/list gave "
       "HTTP 404"},
      {ErrorKind::input, "OCI image '127.0.0.1:5000/unmapped': no tag to follow was given"},
      {ErrorKind::input, "OCI image 'registry.example/' names no image path after the registry"},
  };
  for (std::size_t i = 0; i < expected.size(); ++i) {
    REQUIRE_FALSE(results[i]);
    CHECK(results[i].error().kind == expected[i].kind);
    CHECK(results[i].error().message == expected[i].message);
  }
}

TEST_CASE("oci datasource: registry failures are infrastructure errors", "[oci][datasource]") {
  FakeHttpClient http;
  auto busy = make_response(503, "");
  busy.attempts = 5;
  http.add(kRepo + "/tags/list", busy);
  http.add("https://registry.example/v2/library/debian/tags/list",
           Error{ErrorKind::infrastructure, "couldn't resolve host name", std::nullopt});
  http.add("http://127.0.0.1:5000/v2/junk/tags/list", make_response(200, "<html>"));
  OciDatasource source(http, {{kImage, "stable"},
                              {"registry.example/library/debian", "12"},
                              {"127.0.0.1:5000/junk", "1"}});
  auto results = fetch(source, {kImage, "registry.example/library/debian", "127.0.0.1:5000/junk"});
  REQUIRE_FALSE(results[0]);
  CHECK(results[0].error().kind == ErrorKind::infrastructure);
  CHECK(results[0].error().message == "OCI image '127.0.0.1:5000/base': cannot fetch " + kRepo +
                                          "/tags/list: HTTP 503 (gave up after 5 attempts)");
  REQUIRE_FALSE(results[1]);
  CHECK(results[1].error().message ==
        "OCI image 'registry.example/library/debian': couldn't resolve host name");
  REQUIRE_FALSE(results[2]);
  CHECK(results[2].error().message ==
        "OCI image '127.0.0.1:5000/junk': unexpected tag list from "
        "http://127.0.0.1:5000/v2/junk/tags/list: malformed JSON at byte 1");
}

TEST_CASE("oci datasource: a glob follows every matching tag", "[oci][datasource]") {
  FakeHttpClient http;
  add_tags(http);
  http.add(kRepo + "/manifests/3.11.4-slim",
           make_response(200, "", {{"Docker-Content-Digest", "sha256:" + std::string(64, '4')}}));
  http.add(kRepo + "/manifests/3.11.5-slim",
           make_response(200, "", {{"Docker-Content-Digest", "sha256:" + std::string(64, '5')}}));
  OciDatasource source(http, {{kImage, "3.11.*-slim"}});
  auto results = fetch(source, {kImage});
  REQUIRE(results[0]);
  CHECK(find_release(*results[0], "3.11.4-slim")->digest == "sha256:" + std::string(64, '4'));
  CHECK(find_release(*results[0], "3.11.5-slim")->digest == "sha256:" + std::string(64, '5'));
  CHECK_FALSE(find_release(*results[0], "12")->digest);
  CHECK(http.batches() == 3);  // page 1, page 2, both HEADs together
}

TEST_CASE("oci datasource: several images share batches", "[oci][datasource]") {
  FakeHttpClient http;
  const std::string other = "https://registry.example/v2/library/debian";
  http.add(kRepo + "/tags/list", make_response(200, R"({"tags":["stable"]})"));
  http.add(other + "/tags/list", make_response(200, R"({"name":"library/debian","tags":null})"));
  http.add(kRepo + "/manifests/stable",
           make_response(200, "", {{"Docker-Content-Digest", kDigest}}));
  http.add(other + "/manifests/12", make_response(200, "", {{"Docker-Content-Digest", kDigest}}));
  auto source =
      make_datasource(http, {{kImage, "stable"}, {"registry.example/library/debian", "12"}});
  auto results = fetch(*source, {kImage, "registry.example/library/debian"});
  REQUIRE(results[0]);
  REQUIRE(results[1]);
  // A followed tag the listing does not show still gets its Release.
  REQUIRE(results[1]->releases.size() == 1);
  CHECK(results[1]->releases[0].version == "12");
  CHECK(results[1]->releases[0].digest == kDigest);
  CHECK(http.batches() == 2);
}

TEST_CASE("oci datasource: references, schemes and Link headers", "[oci][datasource]") {
  struct RefCase {
    std::string name, host, path;
  };
  for (const auto& c : std::vector<RefCase>{
           {"127.0.0.1:5000/base", "127.0.0.1:5000", "base"},
           {"registry.example/library/debian", "registry.example", "library/debian"},
           {"registry.example/a/b", "registry.example", "a/b"},
           {"localhost/a/b", "localhost", "a/b"},
           {"localhost:5000/x", "localhost:5000", "x"},
           {"[::1]:5000/x", "[::1]:5000", "x"},
           // Without a registry host: Docker Hub's API, official images under library/.
           {"debian", "registry-1.docker.io", "library/debian"},
           {"library/debian", "registry-1.docker.io", "library/debian"},
           {"user/repo", "registry-1.docker.io", "user/repo"},
           {"docker.io/debian", "registry-1.docker.io", "library/debian"}}) {
    INFO(c.name);
    auto reference = split_reference(c.name);
    REQUIRE(reference);
    CHECK(reference->host == c.host);
    CHECK(reference->path == c.path);
  }
  CHECK_FALSE(split_reference("registry.example/"));
  CHECK_FALSE(split_reference("docker.io/"));

  CHECK(repository_url({"127.0.0.1:5000", "base"}, Scheme::automatic) ==
        "http://127.0.0.1:5000/v2/base");
  CHECK(repository_url({"localhost:5000", "base"}, Scheme::automatic) ==
        "http://localhost:5000/v2/base");
  CHECK(repository_url({"[::1]:5000", "base"}, Scheme::automatic) == "http://[::1]:5000/v2/base");
  CHECK(repository_url({"registry.example", "a/b"}, Scheme::automatic) ==
        "https://registry.example/v2/a/b");
  CHECK(repository_url({"registry.example", "a"}, Scheme::http) == "http://registry.example/v2/a");
  CHECK(repository_url({"127.0.0.1:5000", "a"}, Scheme::https) == "https://127.0.0.1:5000/v2/a");
  CHECK(repository_url({"registry-1.docker.io", "library/debian"}, Scheme::automatic) ==
        "https://registry-1.docker.io/v2/library/debian");

  const std::string base = "http://127.0.0.1:5000/v2/base/tags/list";
  CHECK(next_link(R"(</v2/base/tags/list?n=2&last=b>; rel="next")", base) ==
        "http://127.0.0.1:5000/v2/base/tags/list?n=2&last=b");
  CHECK(next_link(R"(<https://registry.example/v2/x/tags/list?last=b>; rel=next)", base) ==
        "https://registry.example/v2/x/tags/list?last=b");
  CHECK(next_link(R"(</a?last=1>; rel="prev", </b?last=2>; rel="next")", base) ==
        "http://127.0.0.1:5000/b?last=2");
  CHECK_FALSE(next_link(R"(</a?last=1>; rel="prev")", base));
  CHECK_FALSE(next_link("garbage", base));
}

TEST_CASE("oci datasource: references without a host resolve on Docker Hub with its token flow",
          "[oci][datasource][auth]") {
  const std::string hub = "https://registry-1.docker.io/v2/";
  const std::string realm = "https://auth.docker.io/token";
  FakeHttpClient http;
  // Docker Hub answers anonymous calls with a Bearer challenge naming the scope.
  auto guarded = [&](const std::string& path, net::Response ok) {
    return [ok, path, realm](const Request& request) -> Result<net::Response> {
      if (header_of(request, "Authorization") != "Bearer token-for-" + path) {
        return make_response(
            401, "",
            {{"WWW-Authenticate", fmt::format(R"(Bearer realm="{}",service="registry.docker.io",)"
                                              R"(scope="repository:{}:pull")",
                                              realm, path)}});
      }
      return ok;
    };
  };
  for (const std::string path : {"library/debian", "user/repo"}) {
    http.add(hub + path + "/tags/list",
             guarded(path, make_response(200, R"({"tags":["12","latest"]})")));
    http.add(hub + path + "/manifests/12",
             guarded(path, make_response(200, "", {{"Docker-Content-Digest", kDigest}})));
    std::string encoded = path;
    encoded.replace(encoded.find('/'), 1, "%2F");
    http.add(realm + "?service=registry.docker.io&scope=repository%3A" + encoded + "%3Apull",
             [path](const Request& request) -> Result<net::Response> {
               CHECK(header_of(request, "Authorization") == "Basic dTpw");
               return make_response(200, fmt::format(R"({{"token":"token-for-{}"}})", path));
             });
  }
  std::vector<std::string> asked;
  OciDatasource source(http, {{"debian", "12"}, {"user/repo", "12"}},
                       [&asked](std::string_view host) -> std::optional<Credentials> {
                         asked.emplace_back(host);
                         // Where `docker login` files Docker Hub's credentials.
                         if (host != "index.docker.io") return std::nullopt;
                         return Credentials{"u", "p"};
                       });
  auto results = fetch(source, {"debian", "user/repo"});
  for (std::size_t i = 0; i < results.size(); ++i) {
    REQUIRE(results[i]);
    const Release* twelve = find_release(*results[i], "12");
    REQUIRE(twelve);
    CHECK(twelve->digest == kDigest);
  }
  // The snapshot keeps the names as written in the manifest.
  CHECK(results[0]->name == "debian");
  CHECK(find_release(*results[0], "12")->source_url == "debian:12");
  CHECK(results[1]->name == "user/repo");
  CHECK(asked ==
        std::vector<std::string>{"docker.io", "index.docker.io", "docker.io", "index.docker.io"});
  for (const auto& request : http.requests()) {
    CHECK((request.url.starts_with(hub) || request.url.starts_with(realm)));
  }
}

TEST_CASE("oci datasource: credentials never go to a plain http token realm on another host",
          "[oci][datasource][auth][secrets]") {
  const std::string repo = "https://registry.example/v2/base";
  const std::string image = "registry.example/base";
  FakeHttpClient http;
  http.add(
      repo + "/tags/list",
      make_response(401, "",
                    {{"WWW-Authenticate",
                      R"(Bearer realm="http://auth.example/token",service="registry.example")"}}));
  const std::string realm =
      "http://auth.example/token?service=registry.example&scope=repository%3Abase%3Apull";
  http.add(realm, [](const Request& request) -> Result<net::Response> {
    CHECK_FALSE(header_of(request, "Authorization"));
    return make_response(401, "");
  });
  OciDatasource source(http, {{image, "stable"}}, [](std::string_view) {
    return std::optional<Credentials>(Credentials{"ci-user", "hunter2"});
  });
  auto results = fetch(source, {image});
  REQUIRE_FALSE(results[0]);
  CHECK(results[0].error().message ==
        "OCI image 'registry.example/base': cannot fetch " + repo +
            "/tags/list: HTTP 401 (cannot get a token from http://auth.example/token: HTTP 401) "
            "(credentials were not sent to the token realm http://auth.example/token: not https)");
  CHECK(http.count(realm) == 1);
}

TEST_CASE("oci datasource: an identity token is exchanged at the realm by an OAuth2 POST",
          "[oci][datasource][auth]") {
  const std::string realm = "http://127.0.0.1:5001/token";
  FakeHttpClient http;
  http.add(kRepo + "/tags/list", [&](const Request& request) -> Result<net::Response> {
    if (header_of(request, "Authorization") == "Bearer access") {
      return make_response(200, R"({"tags":["stable"]})");
    }
    return make_response(401, "",
                         {{"WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"reg\""}});
  });
  http.add(kRepo + "/manifests/stable",
           make_response(200, "", {{"Docker-Content-Digest", kDigest}}));
  http.add(realm, [](const Request& request) -> Result<net::Response> {
    CHECK(request.method == Request::Method::post);
    CHECK_FALSE(header_of(request, "Authorization"));
    CHECK(request.body ==
          "grant_type=refresh_token&client_id=driftlock&service=reg&scope=repository%3Abase%3Apull"
          "&refresh_token=refresh-me");
    return make_response(200, R"({"access_token":"access"})");
  });
  OciDatasource source(http, {{kImage, "stable"}}, [](std::string_view) {
    return std::optional<Credentials>(Credentials{"<token>", "refresh-me"});
  });
  auto results = fetch(source, {kImage});
  REQUIRE(results[0]);
  CHECK(results[0]->releases.at(0).digest == kDigest);
}

TEST_CASE("oci datasource: a token is not sent where a Link header points elsewhere",
          "[oci][datasource][auth][secrets]") {
  FakeHttpClient http;
  http.add(kRepo + "/tags/list", [](const Request& request) -> Result<net::Response> {
    if (header_of(request, "Authorization") != "Basic dTpw") {
      return make_response(401, "", {{"WWW-Authenticate", R"(Basic realm="r")"}});
    }
    return make_response(
        200, R"({"tags":["stable"]})",
        {{"Link", R"(<http://127.0.0.1:6000/v2/base/tags/list?last=stable>; rel="next")"}});
  });
  http.add("http://127.0.0.1:6000/v2/base/tags/list?last=stable",
           [](const Request& request) -> Result<net::Response> {
             CHECK_FALSE(header_of(request, "Authorization"));
             return make_response(200, R"({"tags":["12"]})");
           });
  http.add(kRepo + "/manifests/stable",
           make_response(200, "", {{"Docker-Content-Digest", kDigest}}));
  OciDatasource source(http, {{kImage, "stable"}}, [](std::string_view) {
    return std::optional<Credentials>(Credentials{"u", "p"});
  });
  auto results = fetch(source, {kImage});
  REQUIRE(results[0]);
  CHECK(results[0]->releases.size() == 2);
  CHECK(http.count("http://127.0.0.1:6000/v2/base/tags/list?last=stable") == 1);
}

TEST_CASE("oci datasource: a failed credential lookup is named in the 401's message",
          "[oci][datasource][auth][secrets]") {
  FakeHttpClient http;
  http.add(kRepo + "/tags/list",
           make_response(401, "", {{"WWW-Authenticate", R"(Basic realm="r")"}}));
  OciDatasource source(http, {{kImage, "stable"}},
                       [](std::string_view) -> Result<std::optional<Credentials>> {
                         return fail(ErrorKind::infrastructure, "credential helper failed");
                       });
  auto results = fetch(source, {kImage});
  REQUIRE_FALSE(results[0]);
  CHECK(results[0].error().message == "OCI image '127.0.0.1:5000/base': cannot fetch " + kRepo +
                                          "/tags/list: HTTP 401 (credential helper failed)");
}
