// npm registry resolution over a fake environment and file table, so the
// real home folder is never read.
#include <catch2/catch.hpp>

#include <map>

#include "ecosystems/npm/registry_config.hpp"

using namespace driftlock;
using namespace driftlock::ecosystems::npm;

namespace {

using Files = std::map<std::string, std::string>;

ReadFile reader(const Files& files) {
  return [&files](const std::filesystem::path& path) -> std::optional<std::string> {
    auto it = files.find(path.string());
    if (it == files.end()) return std::nullopt;
    return it->second;
  };
}

// npm is never started in tests: the asker answers a fixed text and counts
// how often it was asked, and from which folder.
struct FakeNpm {
  std::optional<std::string> answer;
  int calls = 0;
  std::filesystem::path cwd;

  AskNpmRegistry asker() {
    return [this](const std::filesystem::path& folder) {
      ++calls;
      cwd = folder;
      return answer;
    };
  }
};

const AskNpmRegistry kNoNpm;

RegistrySettings with_manifest(std::optional<std::string> npm) {
  RegistrySettings settings;
  settings.npm = std::move(npm);
  return settings;
}

}  // namespace

TEST_CASE("npm registry resolution order", "[npm][registry_config]") {
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
      {"manifest wins",
       "http://127.0.0.1:4873",
       {{"NPM_CONFIG_REGISTRY", "https://env.registry.example/"}, {"HOME", "/home/u"}},
       {{"/proj/.npmrc", "registry=https://project.registry.example/"}},
       "http://127.0.0.1:4873",
       "[registries] npm in driftlock.toml"},
      {"environment, upper case",
       std::nullopt,
       {{"NPM_CONFIG_REGISTRY", "https://env.registry.example/"}, {"HOME", "/home/u"}},
       {{"/proj/.npmrc", "registry=https://project.registry.example/"}},
       "https://env.registry.example",
       "NPM_CONFIG_REGISTRY"},
      {"environment, lower case first",
       std::nullopt,
       {{"NPM_CONFIG_REGISTRY", "https://upper.registry.example"},
        {"npm_config_registry", "https://lower.registry.example"}},
       {},
       "https://lower.registry.example",
       "npm_config_registry"},
      {"empty environment value is unset",
       std::nullopt,
       {{"NPM_CONFIG_REGISTRY", "  "}, {"HOME", "/home/u"}},
       {{"/home/u/.npmrc", "registry=https://user.registry.example"}},
       "https://user.registry.example",
       "/home/u/.npmrc"},
      {"project .npmrc before the user's",
       std::nullopt,
       home,
       {{"/proj/.npmrc", "registry=https://project.registry.example/"},
        {"/home/u/.npmrc", "registry=https://user.registry.example/"}},
       "https://project.registry.example",
       "/proj/.npmrc"},
      {"project .npmrc without registry falls through",
       std::nullopt,
       home,
       {{"/proj/.npmrc", "save-exact=true\n"},
        {"/home/u/.npmrc", "registry=https://user.registry.example/"}},
       "https://user.registry.example",
       "/home/u/.npmrc"},
      {"NPM_CONFIG_USERCONFIG replaces ~/.npmrc",
       std::nullopt,
       {{"HOME", "/home/u"}, {"NPM_CONFIG_USERCONFIG", "/etc/ci/npmrc"}},
       {{"/home/u/.npmrc", "registry=https://user.registry.example/"},
        {"/etc/ci/npmrc", "registry=https://ci.registry.example/"}},
       "https://ci.registry.example",
       "/etc/ci/npmrc"},
      {"${VAR} expansion",
       std::nullopt,
       {{"HOME", "/home/u"}, {"NPM_HOST", "mirror.registry.example"}},
       {{"/home/u/.npmrc", "registry=https://${NPM_HOST}/npm/"}},
       "https://mirror.registry.example/npm",
       "/home/u/.npmrc"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto resolved =
        resolve_registry(with_manifest(c.manifest), c.env, "/proj", reader(c.files), kNoNpm);
    REQUIRE(resolved.has_value());
    CHECK(resolved->url == c.url);
    CHECK(resolved->source == c.source);
  }
}

TEST_CASE("npm registry resolution errors", "[npm][registry_config]") {
  struct Case {
    std::string name;
    Env env;
    Files files;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"nothing configured",
       {{"HOME", "/home/u"}},
       {},
       "no npm registry configured: set [registries] npm in driftlock.toml, "
       "NPM_CONFIG_REGISTRY, or registry= in .npmrc"},
      {"no HOME, no files",
       {},
       {},
       "no npm registry configured: set [registries] npm in "
       "driftlock.toml, NPM_CONFIG_REGISTRY, or registry= in .npmrc"},
      {"not http",
       {{"NPM_CONFIG_REGISTRY", "ftp://registry.example"}},
       {},
       "npm registry 'ftp://registry.example' from NPM_CONFIG_REGISTRY is not an http(s) URL"},
      {"credentials are masked",
       {{"HOME", "/home/u"}},
       {{"/home/u/.npmrc", "registry=ftp://me:pw@registry.example"}},
       "npm registry 'ftp://me:***@registry.example' from /home/u/.npmrc is not an http(s) URL"},
      {"unset variable",
       {{"HOME", "/home/u"}},
       {{"/proj/.npmrc", "registry=https://${NPM_HOST}/"}},
       "/proj/.npmrc: registry uses environment variable 'NPM_HOST', which is not set"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    auto resolved =
        resolve_registry(with_manifest(std::nullopt), c.env, "/proj", reader(c.files), kNoNpm);
    REQUIRE_FALSE(resolved.has_value());
    CHECK(resolved.error().kind == ErrorKind::input);
    CHECK(resolved.error().message == c.message);
  }
}

TEST_CASE("npm registry: npm's own answer only when nothing else is set",
          "[npm][registry_config]") {
  struct Case {
    std::string name;
    std::optional<std::string> manifest;
    Env env;
    Files files;
    std::string url;
    std::string source;
    int npm_calls;
  };
  const std::vector<Case> cases = {
      {"nothing else set: npm's answer",
       std::nullopt,
       {{"HOME", "/home/u"}},
       {},
       "http://registry.example",
       "npm config get registry",
       1},
      {"no HOME either",
       std::nullopt,
       {},
       {{"/proj/.npmrc", "save-exact=true\n"}},
       "http://registry.example",
       "npm config get registry",
       1},
      {"manifest",
       "http://127.0.0.1:4873",
       {},
       {},
       "http://127.0.0.1:4873",
       "[registries] npm in driftlock.toml",
       0},
      {"environment",
       std::nullopt,
       {{"npm_config_registry", "https://env.registry.example/"}},
       {},
       "https://env.registry.example",
       "npm_config_registry",
       0},
      {"project .npmrc",
       std::nullopt,
       {},
       {{"/proj/.npmrc", "registry=https://project.registry.example/"}},
       "https://project.registry.example",
       "/proj/.npmrc",
       0},
      {"user .npmrc",
       std::nullopt,
       {{"HOME", "/home/u"}},
       {{"/home/u/.npmrc", "registry=https://user.registry.example/"}},
       "https://user.registry.example",
       "/home/u/.npmrc",
       0},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    FakeNpm npm{"http://registry.example/\n", 0, {}};
    auto resolved =
        resolve_registry(with_manifest(c.manifest), c.env, "/proj", reader(c.files), npm.asker());
    REQUIRE(resolved.has_value());
    CHECK(resolved->url == c.url);
    CHECK(resolved->source == c.source);
    CHECK(npm.calls == c.npm_calls);
    if (c.npm_calls > 0) CHECK(npm.cwd == "/proj");
  }
}

TEST_CASE("npm registry: npm missing or answering no URL leaves the error",
          "[npm][registry_config]") {
  struct Case {
    std::string name;
    std::optional<std::string> answer;
  };
  const std::vector<Case> cases = {
      {"npm missing or failing", std::nullopt},
      {"empty answer", ""},
      {"undefined", "undefined\n"},
      {"not http", "ftp://registry.example/\n"},
      {"two words", "http://registry.example/ extra\n"},
      {"scheme only", "https://\n"},
  };
  const std::string message =
      "no npm registry configured: set [registries] npm in driftlock.toml, "
      "NPM_CONFIG_REGISTRY, or registry= in .npmrc";
  for (const Case& c : cases) {
    INFO(c.name);
    FakeNpm npm{c.answer, 0, {}};
    auto resolved = resolve_registry(with_manifest(std::nullopt), {{"HOME", "/home/u"}}, "/proj",
                                     reader({}), npm.asker());
    REQUIRE_FALSE(resolved.has_value());
    CHECK(resolved.error().kind == ErrorKind::input);
    CHECK(resolved.error().message == message);
    CHECK(npm.calls == 1);
  }
}

TEST_CASE("npm registry: reading npm config get registry's output", "[npm][registry_config]") {
  struct Case {
    std::string output;
    std::optional<std::string> registry;
  };
  const std::vector<Case> cases = {
      {"http://registry.example/\n", "http://registry.example/"},
      {"  https://registry.example/npm/  \r\n", "https://registry.example/npm/"},
      {"HTTPS://registry.example", "HTTPS://registry.example"},
      {"some notice\nhttp://registry.example/\n\n", "http://registry.example/"},
      {"http://registry.example/\nundefined\n", std::nullopt},
      {"undefined", std::nullopt},
      {"registry.example", std::nullopt},
      {"http:///x", std::nullopt},
      {"", std::nullopt},
  };
  for (const Case& c : cases) {
    INFO(c.output);
    CHECK(registry_from_npm_output(c.output) == c.registry);
  }
}

TEST_CASE(".npmrc registry lines", "[npm][registry_config]") {
  struct Case {
    std::string text;
    std::optional<std::string> registry;
  };
  const std::vector<Case> cases = {
      {"registry=https://a.example/", "https://a.example/"},
      {"  registry = https://a.example/  \r\n", "https://a.example/"},
      {"registry=\"https://a.example/\"", "https://a.example/"},
      {"registry='https://a.example/'", "https://a.example/"},
      {"registry=https://a.example/ ; a comment", "https://a.example/"},
      {"registry=https://a.example/\\;x", "https://a.example/;x"},
      {"; registry=https://a.example/\n# registry=https://b.example/", std::nullopt},
      {"registry=https://a.example/\nregistry=https://b.example/", "https://b.example/"},
      {"@scope:registry=https://scoped.example/", std::nullopt},
      {"//a.example/:_authToken=secret\nregistry=https://a.example/", "https://a.example/"},
      {"[section]\nregistry=https://a.example/", std::nullopt},
      {"registry=", std::nullopt},
      {"registry=${UNSET?}", std::nullopt},
      {"registry=https://${HOST}:${PORT}/x", "https://h.example:8080/x"},
      {"", std::nullopt},
  };
  const Env env{{"HOST", "h.example"}, {"PORT", "8080"}};
  for (const Case& c : cases) {
    INFO(c.text);
    auto registry = npmrc_registry(c.text, env, ".npmrc");
    REQUIRE(registry.has_value());
    CHECK(*registry == c.registry);
  }
}

TEST_CASE("npm registry helpers read the real process", "[npm][registry_config]") {
  const Env env = current_environment();
  CHECK(env.contains("PATH"));
  CHECK_FALSE(read_file_if_present("/nonexistent/driftlock/.npmrc"));
  const auto text =
      read_file_if_present(std::string(DRIFTLOCK_TEST_DATA) + "/registry/npm/README.md");
  REQUIRE(text);
  CHECK(text->starts_with("Hand-written npm registry"));
}

TEST_CASE("npmrc credentials are scoped to their registry URL prefix",
          "[npm][registry_config][credentials][secrets]") {
  struct Case {
    std::string text;
    std::vector<std::string> expected;  // "host|port|path|authorization|source"
  };
  const std::vector<Case> cases = {
      {"//registry.example/:_authToken=npm_abc",
       {"registry.example||/|Bearer npm_abc|//registry.example/:_authToken in .npmrc"}},
      {"//Registry.Example:8443/team/:_authToken = \"${TOKEN}\"",
       {"registry.example|8443|/team/|Bearer t0ken|//Registry.Example:8443/team/:_authToken in "
        ".npmrc"}},
      {"//h.example/:_auth=dTpw", {"h.example||/|Basic dTpw|//h.example/:_auth in .npmrc"}},
      {"//h.example/:username=me\n//h.example/:_password=cA==",
       {"h.example||/|Basic bWU6cA==|//h.example/:username and _password in .npmrc"}},
      // The token wins over _auth in one scope; scopes stay apart.
      {"//a.example/:_auth=dTpw\n//a.example/:_authToken=t\n//b.example/:_authToken=u",
       {"a.example||/|Bearer t|//a.example/:_authToken in .npmrc",
        "b.example||/|Bearer u|//b.example/:_authToken in .npmrc"}},
      // Un-scoped and sectioned settings are not credentials; a username alone is not either.
      {"_authToken=legacy\n_auth=dTpw\n[s]\n//a.example/:_authToken=x\n", {}},
      {"//h.example/:username=me", {}},
      {"//h.example/:_authToken=${UNSET?}", {}},
  };
  const Env env{{"TOKEN", "t0ken"}};
  for (const Case& c : cases) {
    INFO(c.text);
    auto found = npmrc_credentials(c.text, env, ".npmrc");
    REQUIRE(found);
    std::vector<std::string> got;
    for (const auto& credential : *found) {
      got.push_back(credential.host + "|" + credential.port + "|" + credential.path + "|" +
                    credential.authorization + "|" + credential.source);
    }
    CHECK(got == c.expected);
  }
  auto unset = npmrc_credentials("//h.example/:_authToken=${NPM_TOKEN}", env, "/home/me/.npmrc");
  REQUIRE_FALSE(unset);
  CHECK(unset.error().message ==
        "/home/me/.npmrc: //h.example/:_authToken uses environment variable 'NPM_TOKEN', which is "
        "not set");
  auto bad =
      npmrc_credentials("//h.example/:username=me\n//h.example/:_password=!!", env, ".npmrc");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == ".npmrc: //h.example/:_password is not base64");
}
