#include "resolve/sources.hpp"

#include <catch2/catch.hpp>

#include "net/fake_http_client.hpp"

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
