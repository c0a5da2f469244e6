#include "resolve/sources.hpp"

#include <catch2/catch.hpp>

#include "net/fake_http_client.hpp"
#include "net/http_text.hpp"

using namespace driftlock;
using namespace driftlock::resolve;

namespace {

// Answers from a table: name -> releases, or an error.
class TableSource final : public Datasource {
 public:
  std::map<std::string, Result<PackageReleases>> table;
  std::vector<Result<PackageReleases>> fetch(std::span<const std::string> names,
                                             PublishTimes) override {
    std::vector<Result<PackageReleases>> out;
    for (const std::string& name : names) {
      auto it = table.find(name);
      out.push_back(it != table.end() ? it->second
                                      : Result<PackageReleases>(std::unexpected(
                                            Error{ErrorKind::input, name + " not found", {}})));
    }
    return out;
  }
};

PackageReleases releases(std::string name, std::vector<std::string> versions, bool times) {
  PackageReleases p{std::move(name), {}, times};
  for (auto& v : versions) p.releases.push_back(Release{v, {}, false, {}, {}, {}, {}});
  return p;
}

std::vector<std::string> versions_of(const PackageReleases& p) {
  std::vector<std::string> out;
  for (const Release& r : p.releases) out.push_back(r.version);
  return out;
}

HostConfig host_with(std::map<std::string, std::string> files) {
  HostConfig host;
  host.read_file = [files](const std::filesystem::path& path) -> std::optional<std::string> {
    auto it = files.find(path.string());
    if (it == files.end()) return std::nullopt;
    return it->second;
  };
  host.list_folder = [files](const std::filesystem::path& folder) {
    std::vector<std::filesystem::path> out;
    for (const auto& [path, text] : files) {
      if (std::filesystem::path(path).parent_path() == folder) out.push_back(path);
    }
    std::reverse(out.begin(), out.end());  // apt_repositories sorts
    return out;
  };
  host.apt_root = "/etc/apt";
  return host;
}

}  // namespace

TEST_CASE("merged datasource: releases of every repository, failures win") {
  auto a = std::make_unique<TableSource>();
  auto b = std::make_unique<TableSource>();
  a->table.emplace("libssl-dev", releases("libssl-dev", {"3.0.11-1", "3.0.13-1"}, false));
  b->table.emplace("libssl-dev", releases("libssl-dev", {"3.0.13-1", "3.0.14-1"}, false));
  b->table.emplace("curl", releases("curl", {"7.88.1-10"}, false));
  a->table.emplace("zlib1g", std::unexpected(Error{ErrorKind::infrastructure, "HTTP 503", {}}));
  b->table.emplace("zlib1g", releases("zlib1g", {"1:1.2.13"}, false));
  std::vector<std::unique_ptr<Datasource>> sources;
  sources.push_back(std::move(a));
  sources.push_back(std::move(b));
  MergedDatasource merged(std::move(sources));

  std::vector<std::string> names = {"libssl-dev", "curl", "zlib1g", "nothing"};
  auto results = merged.fetch(names, PublishTimes::not_needed);
  REQUIRE(results[0]);
  CHECK(versions_of(*results[0]) == std::vector<std::string>{"3.0.11-1", "3.0.13-1", "3.0.14-1"});
  CHECK_FALSE(results[0]->has_publish_times);
  REQUIRE(results[1]);
  CHECK(versions_of(*results[1]) == std::vector<std::string>{"7.88.1-10"});
  REQUIRE_FALSE(results[2]);
  CHECK(results[2].error().message == "HTTP 503");
  REQUIRE_FALSE(results[3]);
  CHECK(results[3].error().message == "nothing not found");
}

TEST_CASE("apt repositories come from sources.list and sources.list.d in name order") {
  HostConfig host = host_with({
      {"/etc/apt/sources.list", "deb http://registry.example/debian bookworm main\n"},
      {"/etc/apt/sources.list.d/b.sources",
       "Types: deb\nURIs: http://registry.example/security\nSuites: bookworm-security\n"
       "Components: main\n"},
      {"/etc/apt/sources.list.d/a.list", "deb [arch=arm64] http://registry.example/x stable c\n"},
      {"/etc/apt/sources.list.d/ignored.txt", "deb http://registry.example/y stable c\n"},
  });
  auto repositories = apt_repositories(host);
  REQUIRE(repositories);
  REQUIRE(repositories->size() == 3);
  CHECK((*repositories)[0].suite == "bookworm");
  CHECK((*repositories)[1].url == "http://registry.example/x");
  CHECK((*repositories)[1].arch == "arm64");
  CHECK((*repositories)[2].suite == "bookworm-security");
}

TEST_CASE("registry sources: an ecosystem without a configured registry is an input error") {
  net::FakeHttpClient http;
  RegistrySources sources(http, host_with({}));
  Manifest manifest;
  manifest.path = "driftlock.toml";
  manifest.dir = "/nonexistent-project";
  auto npm = sources.make("npm", manifest, {});
  REQUIRE_FALSE(npm);
  CHECK(npm.error().kind == ErrorKind::input);
  CHECK(npm.error().message ==
        "no npm registry configured: set [registries] npm in driftlock.toml, "
        "NPM_CONFIG_REGISTRY, or registry= in .npmrc");
  auto debian = sources.make("debian", manifest, {});
  REQUIRE_FALSE(debian);
  CHECK(debian.error().message ==
        "no Debian repository configured: set [registries] debian in driftlock.toml or add one "
        "to /etc/apt/sources.list");
  manifest.registries.npm = "http://127.0.0.1:9";
  CHECK(sources.make("npm", manifest, {}));
}

namespace {

// The URL of the first request a datasource sends for `name` (the fake
// client answers none, so every request is an error after being recorded).
std::string first_url(RegistrySources& sources, const Manifest& manifest,
                      std::string_view ecosystem, const std::vector<DependencySpec>& specs,
                      net::FakeHttpClient& http) {
  auto source = sources.make(ecosystem, manifest, specs);
  REQUIRE(source);
  std::vector<std::string> names;
  for (const auto& spec : specs) names.push_back(spec.name);
  (void)(*source)->fetch(names, PublishTimes::not_needed);
  const auto requests = http.requests();
  REQUIRE_FALSE(requests.empty());
  return requests.front().url;
}

DependencySpec spec(std::string ecosystem, std::string name, std::string range) {
  DependencySpec out;
  out.ecosystem = std::move(ecosystem);
  out.name = std::move(name);
  out.range = std::move(range);
  return out;
}

}  // namespace

TEST_CASE("registry sources: npm's own registry is asked only when nothing else is set") {
  struct Case {
    std::string name;
    std::optional<std::string> manifest_registry;
    std::optional<std::string> npm_answer;
    std::string url;  // of the first request; empty: make() fails
    int npm_calls;
  };
  const std::vector<Case> cases = {
      {"npm's answer", std::nullopt, "http://registry.example/", "http://registry.example/chalk",
       1},
      {"the manifest first", "http://127.0.0.1:4873", "http://registry.example/",
       "http://127.0.0.1:4873/chalk", 0},
      {"npm missing", std::nullopt, std::nullopt, "", 1},
      {"npm answers no URL", std::nullopt, "undefined", "", 1},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    net::FakeHttpClient http;
    HostConfig host = host_with({});
    int calls = 0;
    std::filesystem::path asked_in;
    host.ask_npm_registry = [&](const std::filesystem::path& cwd) {
      ++calls;
      asked_in = cwd;
      return c.npm_answer;
    };
    RegistrySources sources(http, std::move(host));
    Manifest manifest;
    manifest.path = "/project/driftlock.toml";
    manifest.dir = "/project";
    manifest.registries.npm = c.manifest_registry;
    if (c.url.empty()) {
      auto source = sources.make("npm", manifest, {});
      REQUIRE_FALSE(source);
      CHECK(source.error().message ==
            "no npm registry configured: set [registries] npm in driftlock.toml, "
            "NPM_CONFIG_REGISTRY, or registry= in .npmrc");
    } else {
      CHECK(first_url(sources, manifest, "npm", {spec("npm", "chalk", "*")}, http) == c.url);
    }
    CHECK(calls == c.npm_calls);
    if (calls > 0) CHECK(asked_in == "/project");
  }
}

TEST_CASE("registry sources: defaults of PyPI and OCI") {
  net::FakeHttpClient http;
  RegistrySources sources(http, host_with({}));
  Manifest manifest;
  manifest.path = "/project/driftlock.toml";
  manifest.dir = "/project";
  SECTION("PyPI: pip's default index") {
    CHECK(first_url(sources, manifest, "pypi", {spec("pypi", "tox", "*")}, http) ==
          "https://pypi.org/pypi/tox/json");
  }
  SECTION("OCI: a reference without a registry host is on Docker Hub") {
    CHECK(first_url(sources, manifest, "oci", {spec("oci", "debian", "12")}, http) ==
          "https://registry-1.docker.io/v2/library/debian/tags/list");
  }
}

TEST_CASE("registry sources: npm and PyPI credentials reach their own registry only",
          "[resolve][credentials][secrets]") {
  struct Case {
    std::string name;
    std::string ecosystem;
    std::map<std::string, std::string> files;
    std::map<std::string, std::string, std::less<>> env;
    std::optional<std::string> registry;  // [registries] npm or pypi
    std::string url;                      // the first request
    std::optional<std::string> authorization;
  };
  const std::vector<Case> cases = {
      {"npm _authToken for the registry's host and path",
       "npm",
       {{"/home/me/.npmrc",
         "registry=https://registry.example/npm/\n"
         "//registry.example/npm/:_authToken=${NPM_TOKEN}\n"
         "//other.example/:_authToken=not-this-one\n"}},
       {{"HOME", "/home/me"}, {"NPM_TOKEN", "npm_s3cret"}},
       std::nullopt,
       "https://registry.example/npm/chalk",
       "Bearer npm_s3cret"},
      {"npm _auth; the project's .npmrc wins",
       "npm",
       {{"/project/.npmrc", "//registry.example/:_auth=dTpw\n"},
        {"/home/me/.npmrc", "//registry.example/:_authToken=user-level\n"}},
       {{"HOME", "/home/me"}},
       "https://registry.example",
       "https://registry.example/chalk",
       "Basic dTpw"},
      {"npm username and _password",
       "npm",
       {{"/home/me/.npmrc",
         "//registry.example/:username=me\n//registry.example/:_password=cA==\n"}},
       {{"HOME", "/home/me"}},
       "https://registry.example",
       "https://registry.example/chalk",
       "Basic bWU6cA=="},
      {"npm: a token for another registry is not sent",
       "npm",
       {{"/home/me/.npmrc", "//other.example/:_authToken=not-this-one\n"}},
       {{"HOME", "/home/me"}},
       "https://registry.example",
       "https://registry.example/chalk",
       std::nullopt},
      {"npm: user info in the registry URL leaves the URL",
       "npm",
       {},
       {},
       "https://me:s3cret@registry.example",
       "https://registry.example/chalk",
       "Basic bWU6czNjcmV0"},
      {"PyPI: user info in PIP_INDEX_URL",
       "pypi",
       {},
       {{"PIP_INDEX_URL", "https://me:s3cret@pypi.example/root/simple/"}},
       std::nullopt,
       "https://pypi.example/root/pypi/tox/json",
       "Basic bWU6czNjcmV0"},
      {"PyPI: the netrc entry of the index host",
       "pypi",
       {{"/home/me/.netrc",
         "machine other.example login x password y\n"
         "machine pypi.example login me password s3cret\n"}},
       {{"HOME", "/home/me"}, {"PIP_INDEX_URL", "https://pypi.example/simple"}},
       std::nullopt,
       "https://pypi.example/pypi/tox/json",
       "Basic bWU6czNjcmV0"},
      {"PyPI: $NETRC names the file",
       "pypi",
       {{"/secrets/netrc", "machine pypi.example login me password s3cret\n"}},
       {{"NETRC", "/secrets/netrc"}, {"PIP_INDEX_URL", "https://pypi.example/simple"}},
       std::nullopt,
       "https://pypi.example/pypi/tox/json",
       "Basic bWU6czNjcmV0"},
      {"PyPI: netrc entries of other hosts are not sent",
       "pypi",
       {{"/home/me/.netrc", "machine other.example login x password y\n"}},
       {{"HOME", "/home/me"}},
       std::nullopt,
       "https://pypi.org/pypi/tox/json",
       std::nullopt},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      net::FakeHttpClient http;
      http.set_fallback(
          [](const net::Request&) -> Result<net::Response> { return net::make_response(404, ""); });
      HostConfig host = host_with(c.files);
      host.env = c.env;
      RegistrySources sources(http, host);
      Manifest manifest;
      manifest.path = "/project/driftlock.toml";
      manifest.dir = "/project";
      (c.ecosystem == "npm" ? manifest.registries.npm : manifest.registries.pypi) = c.registry;
      const std::string name = c.ecosystem == "npm" ? "chalk" : "tox";
      CHECK(first_url(sources, manifest, c.ecosystem, {spec(c.ecosystem, name, "*")}, http) ==
            c.url);
      std::optional<std::string> sent;
      const std::vector<net::Request> requests = http.requests();
      for (const auto& [key, value] : requests.front().headers) {
        if (net::equals_ignore_case(key, "authorization")) sent = value;
      }
      CHECK(sent.value_or("(none)") == c.authorization.value_or("(none)"));
    }
  }
}

TEST_CASE("registry sources: an npmrc token naming an unset variable is an input error",
          "[resolve][credentials]") {
  net::FakeHttpClient http;
  HostConfig host =
      host_with({{"/home/me/.npmrc", "//registry.example/:_authToken=${NPM_TOKEN}\n"}});
  host.env = {{"HOME", "/home/me"}};
  RegistrySources sources(http, host);
  Manifest manifest;
  manifest.dir = "/project";
  manifest.registries.npm = "https://registry.example";
  auto source =
      sources.make("npm", manifest, std::vector<DependencySpec>{spec("npm", "chalk", "*")});
  REQUIRE_FALSE(source);
  CHECK(source.error().message ==
        "/home/me/.npmrc: //registry.example/:_authToken uses environment variable 'NPM_TOKEN', "
        "which is not set");
}
