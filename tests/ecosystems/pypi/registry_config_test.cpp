// PyPI index resolution over a fake environment and file table, so the real
// home folder and /etc are never read.
#include <catch2/catch.hpp>

#include <map>

#include "ecosystems/pypi/registry_config.hpp"

using namespace driftlock;
using namespace driftlock::ecosystems::pypi;

namespace {

using Files = std::map<std::string, std::string>;

ReadFile reader(const Files& files) {
  return [&files](const std::filesystem::path& path) -> std::optional<std::string> {
    auto it = files.find(path.string());
    if (it == files.end()) return std::nullopt;
    return it->second;
  };
}

RegistrySettings with_manifest(std::optional<std::string> pypi) {
  RegistrySettings settings;
  settings.pypi = std::move(pypi);
  return settings;
}

}  // namespace

TEST_CASE("PyPI index resolution order", "[pypi][registry_config]") {
  struct Case {
    std::string name;
    std::optional<std::string> manifest;
    Env env;
    Files files;
    std::string url;
    std::string source;
  };
  const Env home{{"HOME", "/home/u"}};
  const std::vector<Case> cases = {
      {"manifest wins, taken as the JSON API base",
       "http://127.0.0.1:8081/",
       {{"PIP_INDEX_URL", "https://env.registry.example/simple"}},
       {},
       "http://127.0.0.1:8081",
       "[registries] pypi in driftlock.toml"},
      {"PIP_INDEX_URL",
       std::nullopt,
       {{"PIP_INDEX_URL", "https://env.registry.example/root/simple/"}, {"HOME", "/home/u"}},
       {{"/etc/pip.conf", "[global]\nindex-url = https://etc.registry.example/simple"}},
       "https://env.registry.example/root",
       "PIP_INDEX_URL"},
      {"user config",
       std::nullopt,
       home,
       {{"/home/u/.config/pip/pip.conf",
         "[global]\nindex-url = https://user.registry.example/simple"},
        {"/etc/pip.conf", "[global]\nindex-url = https://etc.registry.example/simple"}},
       "https://user.registry.example",
       "[global] index-url in /home/u/.config/pip/pip.conf"},
      {"XDG_CONFIG_HOME moves the user config",
       std::nullopt,
       {{"HOME", "/home/u"}, {"XDG_CONFIG_HOME", "/cfg"}},
       {{"/cfg/pip/pip.conf", "[global]\nindex-url = https://xdg.registry.example/simple"},
        {"/home/u/.config/pip/pip.conf",
         "[global]\nindex-url = https://user.registry.example/simple"}},
       "https://xdg.registry.example",
       "[global] index-url in /cfg/pip/pip.conf"},
      {"the new user config beats the legacy one",
       std::nullopt,
       home,
       {{"/home/u/.pip/pip.conf", "[global]\nindex-url = https://legacy.registry.example/simple"},
        {"/home/u/.config/pip/pip.conf",
         "[global]\nindex-url = https://user.registry.example/simple"}},
       "https://user.registry.example",
       "[global] index-url in /home/u/.config/pip/pip.conf"},
      {"legacy user config",
       std::nullopt,
       home,
       {{"/home/u/.pip/pip.conf", "[global]\nindex_url: https://legacy.registry.example/simple"}},
       "https://legacy.registry.example",
       "[global] index-url in /home/u/.pip/pip.conf"},
      {"PIP_CONFIG_FILE beats the others",
       std::nullopt,
       {{"HOME", "/home/u"}, {"PIP_CONFIG_FILE", "/ci/pip.ini"}},
       {{"/ci/pip.ini", "[global]\nindex-url = https://ci.registry.example/simple"},
        {"/home/u/.config/pip/pip.conf",
         "[global]\nindex-url = https://user.registry.example/simple"}},
       "https://ci.registry.example",
       "[global] index-url in /ci/pip.ini"},
      {"[install] in any file beats [global]",
       std::nullopt,
       home,
       {{"/home/u/.config/pip/pip.conf",
         "[global]\nindex-url = https://user.registry.example/simple"},
        {"/etc/pip.conf", "[install]\nindex-url = https://etc.registry.example/simple"}},
       "https://etc.registry.example",
       "[install] index-url in /etc/pip.conf"},
      {"/etc/xdg is the last resort",
       std::nullopt,
       {},
       {{"/etc/xdg/pip/pip.conf", "[global]\nindex-url = https://xdg.registry.example/simple"}},
       "https://xdg.registry.example",
       "[global] index-url in /etc/xdg/pip/pip.conf"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto resolved = resolve_registry(with_manifest(c.manifest), c.env, reader(c.files));
    REQUIRE(resolved.has_value());
    CHECK(resolved->url == c.url);
    CHECK(resolved->source == c.source);
  }
}

TEST_CASE("PyPI index resolution errors", "[pypi][registry_config]") {
  struct Case {
    std::string name;
    Env env;
    Files files;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"not a simple index",
       {{"PIP_INDEX_URL", "https://me:pw@registry.example/api/"}},
       {},
       "cannot derive the PyPI JSON API from index URL 'https://me:***@registry.example/api' "
       "(from PIP_INDEX_URL): it does not end in /simple; set [registries] pypi in driftlock.toml"},
      {"not http",
       {},
       {{"/etc/pip.conf", "[global]\nindex-url = file:///srv/simple"}},
       "PyPI index URL 'file:///srv/simple' from [global] index-url in /etc/pip.conf is not an "
       "http(s) URL"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto resolved = resolve_registry(with_manifest(std::nullopt), c.env, reader(c.files));
    REQUIRE_FALSE(resolved.has_value());
    CHECK(resolved.error().kind == ErrorKind::input);
    CHECK(resolved.error().message == c.message);
  }
}

TEST_CASE("PyPI: pip's default index when nothing is configured", "[pypi][registry_config]") {
  struct Case {
    std::string name;
    Env env;
    Files files;
  };
  const std::vector<Case> cases = {
      {"nothing configured", {{"HOME", "/home/u"}}, {}},
      {"no HOME, no files", {}, {}},
      {"PIP_CONFIG_FILE=/dev/null turns files off",
       {{"PIP_CONFIG_FILE", "/dev/null"}},
       {{"/etc/pip.conf", "[global]\nindex-url = https://etc.registry.example/simple"}}},
      {"index-url outside a known section",
       {},
       {{"/etc/pip.conf",
         "index-url = https://a.example/simple\n[freeze]\nindex-url = "
         "https://b.example/simple"}}},
      {"empty PIP_INDEX_URL is unset", {{"PIP_INDEX_URL", " "}}, {}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto resolved = resolve_registry(with_manifest(std::nullopt), c.env, reader(c.files));
    REQUIRE(resolved.has_value());
    // The datasource asks {url}/pypi/{name}/json: PyPI's documented JSON API.
    CHECK(resolved->url == "https://pypi.org");
    CHECK(resolved->source == "pip's default index (PyPI)");
  }
}

TEST_CASE("PyPI JSON API base from an index URL", "[pypi][registry_config]") {
  struct Case {
    std::string index;
    std::optional<std::string> base;
  };
  const std::vector<Case> cases = {
      {"https://registry.example/simple", "https://registry.example"},
      {"https://registry.example/simple/", "https://registry.example"},
      {"  http://127.0.0.1:8081/root/pypi/simple//  ", "http://127.0.0.1:8081/root/pypi"},
      {"HTTPS://registry.example/simple", "HTTPS://registry.example"},
      {"https://registry.example/simple https://other.example/simple", "https://registry.example"},
      {"https://registry.example/notsimple", std::nullopt},
      {"https://registry.example/simple/extra", std::nullopt},
      {"/simple", std::nullopt},
  };
  for (const Case& c : cases) {
    INFO(c.index);
    auto base = json_api_base(c.index, "test");
    if (c.base) {
      REQUIRE(base.has_value());
      CHECK(*base == *c.base);
    } else {
      CHECK_FALSE(base.has_value());
    }
  }
}

TEST_CASE("pip.conf values", "[pypi][registry_config]") {
  struct Case {
    std::string text, section;
    std::optional<std::string> value;
  };
  const std::vector<Case> cases = {
      {"[global]\nindex-url = https://a.example/simple\n", "global", "https://a.example/simple"},
      {"[global]\nINDEX_URL=https://a.example/simple", "global", "https://a.example/simple"},
      {"[global]\nindex-url: https://a.example/simple", "global", "https://a.example/simple"},
      {"[global]\r\nindex-url = https://a.example/simple\r\n", "global",
       "https://a.example/simple"},
      {"[global]\n# index-url = https://x.example/simple\n; also a comment", "global",
       std::nullopt},
      {"[global]\nindex-url = https://a.example/simple\nindex-url = https://b.example/simple",
       "global", "https://b.example/simple"},
      {"[global]\nindex-url =\n    https://a.example/simple", "global", "https://a.example/simple"},
      {"[global]\nextra-index-url =\n    https://x.example/simple\nindex-url = "
       "https://a.example/simple",
       "global", "https://a.example/simple"},
      {"[install]\nindex-url = https://a.example/simple", "global", std::nullopt},
      {"[install]\nindex-url = https://a.example/simple", "install", "https://a.example/simple"},
      {"index-url = https://a.example/simple", "global", std::nullopt},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(ini_value(c.text, c.section, "index-url") == c.value);
  }
}
