// Where OCI registry credentials come from: the auth files' `auths`,
// `credHelpers` and `credsStore`, credential helpers run through a
// FakeRunner, and DRIFTLOCK_OCI_* scoped to DRIFTLOCK_OCI_REGISTRY.
#include "ecosystems/oci/credentials.hpp"

#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "exec/fake_runner.hpp"

using namespace driftlock;
using namespace driftlock::ecosystems::oci;
using driftlock::exec::exited;
using driftlock::exec::FakeRunner;
using driftlock::exec::RunRequest;

namespace {

using Files = std::map<std::string, std::string>;
using Env = std::map<std::string, std::string, std::less<>>;

CredentialSources sources_of(const Env& env, const Files& files, exec::CommandRunner* runner) {
  CredentialSources sources;
  sources.getenv = [env](std::string_view name) -> std::optional<std::string> {
    auto hit = env.find(name);
    if (hit == env.end()) return std::nullopt;
    return hit->second;
  };
  sources.read_file = [files](const std::filesystem::path& path) -> std::optional<std::string> {
    auto hit = files.find(path.string());
    if (hit == files.end()) return std::nullopt;
    return hit->second;
  };
  sources.runner = runner;
  return sources;
}

// A helper that knows one server.
FakeRunner helper_knowing(std::string server, std::string answer) {
  return FakeRunner([server, answer](const RunRequest& request) -> Result<exec::RunResult> {
    std::string asked;
    for (const auto& var : request.env) {
      if (var.name == "DRIFTLOCK_CREDENTIAL_SERVER") asked = var.value;
    }
    if (asked != server) return exited(1, {"credentials not found in native keychain"});
    return exited(0, {answer});
  });
}

}  // namespace

TEST_CASE("oci credentials: auth files", "[oci][auth][credentials][secrets]") {
  const std::string config = R"({
    "auths": {
      "127.0.0.1:5000": {"auth": "dXNlcjpwYTpzcw=="},
      "https://registry.example/v1/": {"auth": "YWxpY2U6czNjcjN0"},
      "other.example": {"username": "bob", "password": "hunter2"},
      "token.example": {"identitytoken": "refresh-me"},
      "broken.example": {"auth": "!!!"},
      "helped.example": {"auth": "aWdub3JlZDppZ25vcmVk"}
    },
    "credHelpers": {"helped.example": "ecr-login"}
  })";
  struct Case {
    std::string host;
    std::optional<std::pair<std::string, std::string>> credentials;
    std::optional<std::string> helper;
  };
  using Pair = std::pair<std::string, std::string>;
  for (const auto& c : std::vector<Case>{
           {"127.0.0.1:5000", Pair{"user", "pa:ss"}, std::nullopt},
           {"REGISTRY.example", Pair{"alice", "s3cr3t"}, std::nullopt},
           {"other.example", Pair{"bob", "hunter2"}, std::nullopt},
           {"token.example", Pair{"<token>", "refresh-me"}, std::nullopt},
           {"broken.example", std::nullopt, std::nullopt},
           // credHelpers wins over an auths entry, as in docker.
           {"helped.example", std::nullopt, "ecr-login"},
           {"127.0.0.1:5001", std::nullopt, std::nullopt},
       }) {
    INFO(c.host);
    auto found = read_auth_file(config, c.host, "config.json");
    REQUIRE(found);
    CHECK(found->helper == c.helper);
    REQUIRE(found->credentials.has_value() == c.credentials.has_value());
    if (c.credentials) {
      CHECK(found->credentials->username == c.credentials->first);
      CHECK(found->credentials->password == c.credentials->second);
    }
  }
  auto store = read_auth_file(R"({"auths": {"a.example": {}}, "credsStore": "desktop"})",
                              "a.example", "config.json");
  REQUIRE(store);
  CHECK(store->helper == "desktop");
  auto broken =
      read_auth_file(R"({"auths": {"h": {"auth": "c2VjcmV0)", "h", "/home/me/.docker/config.json");
  REQUIRE_FALSE(broken);
  CHECK(broken.error().kind == ErrorKind::input);
  CHECK(broken.error().message == "/home/me/.docker/config.json: not a JSON document");
}

TEST_CASE("oci credentials: credential helpers", "[oci][auth][credentials][secrets]") {
  SECTION("an answer") {
    FakeRunner runner = helper_knowing(
        "ghcr.io", R"({"ServerURL":"ghcr.io","Username":"octo","Secret":"ghp_helperS3cret"})");
    auto found = run_credential_helper(runner, "pass", "ghcr.io", "config.json");
    REQUIRE(found);
    REQUIRE(*found);
    CHECK((*found)->username == "octo");
    CHECK((*found)->password == "ghp_helperS3cret");
    const RunRequest request = runner.requests().at(0);
    CHECK(runner.env(0, "DRIFTLOCK_CREDENTIAL_HELPER") == "pass");
    CHECK(request.log == "/dev/null");
    // The names reach the shell as variables only.
    CHECK(request.command.find("pass") == std::string::npos);
    CHECK(request.command.find("ghcr.io") == std::string::npos);
  }
  SECTION("nothing for the server means anonymous") {
    FakeRunner runner = helper_knowing("ghcr.io", "{}");
    auto found = run_credential_helper(runner, "pass", "quay.io", "config.json");
    REQUIRE(found);
    CHECK_FALSE(*found);
  }
  struct Case {
    std::string name;
    std::string helper;
    Result<exec::RunResult> result;
    std::string message;
  };
  const std::string prefix = "credential helper docker-credential-";
  const std::vector<Case> cases = {
      {"missing", "gone", exited(127),
       prefix + "gone (named by /home/me/.docker/config.json) failed for ghcr.io: "
                "docker-credential-gone is not installed (not found on PATH)"},
      {"failing", "pass", exited(1, {"exit status 2: gpg: decryption failed: No secret key"}),
       prefix + "pass (named by /home/me/.docker/config.json) failed for ghcr.io: exited with "
                "1: exit status 2: gpg: decryption failed: No secret key"},
      {"garbage", "pass", exited(0, {"Secret: ghp_leakedIfQuoted"}),
       prefix + "pass (named by /home/me/.docker/config.json) failed for ghcr.io: its answer is "
                "not JSON"},
      {"bad name", "../../bin/sh", exited(0),
       prefix + "../../bin/sh (named by /home/me/.docker/config.json) failed for ghcr.io: not a "
                "helper name"},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      FakeRunner runner([&c](const RunRequest&) { return c.result; });
      auto found =
          run_credential_helper(runner, c.helper, "ghcr.io", "/home/me/.docker/config.json");
      REQUIRE_FALSE(found);
      CHECK(found.error().kind == ErrorKind::infrastructure);
      CHECK(found.error().message == c.message);
      CHECK(found.error().message.find("ghp_leakedIfQuoted") == std::string::npos);
    }
  }
}

TEST_CASE("oci credentials: sources in order and each for its own host",
          "[oci][auth][credentials][secrets]") {
  const Files files = {
      {"/run/user/1/containers/auth.json",
       R"({"auths": {"podman.example": {"auth": "cG9kOm1hbg=="}}})"},
      {"/home/me/.docker/config.json",
       R"({"auths": {"127.0.0.1:5000": {"auth": "ZmlsZTpwdw=="}, "podman.example": {"auth": "ZG9ja2VyOnB3"}},
           "credHelpers": {"ghcr.io": "pass"}, "credsStore": "desktop"})"},
  };
  Env env = {{"HOME", "/home/me"}, {"XDG_RUNTIME_DIR", "/run/user/1"}};
  FakeRunner runner([](const RunRequest& request) -> Result<exec::RunResult> {
    std::string helper, server;
    for (const auto& var : request.env) {
      if (var.name == "DRIFTLOCK_CREDENTIAL_HELPER") helper = var.value;
      if (var.name == "DRIFTLOCK_CREDENTIAL_SERVER") server = var.value;
    }
    if (helper == "pass" && server == "ghcr.io") {
      return exited(0, {R"({"Username":"octo","Secret":"from-pass"})"});
    }
    if (helper == "desktop" && server == "https://index.docker.io/v1/") {
      return exited(0, {R"({"Username":"hub","Secret":"from-desktop"})"});
    }
    return exited(1, {"credentials not found in native keychain"});
  });
  auto expect = [](const Result<std::optional<Credentials>>& found, std::string user,
                   std::string password) {
    REQUIRE(found);
    REQUIRE(*found);
    CHECK((*found)->username == user);
    CHECK((*found)->password == password);
  };

  auto lookup = registry_credentials(sources_of(env, files, &runner));
  expect(lookup("podman.example"), "pod", "man");  // podman's file comes first
  expect(lookup("127.0.0.1:5000"), "file", "pw");
  expect(lookup("ghcr.io"), "octo", "from-pass");
  expect(lookup("index.docker.io"), "hub", "from-desktop");
  auto none = lookup("quay.io");
  REQUIRE(none);
  CHECK_FALSE(*none);
  const std::size_t runs = runner.requests().size();
  expect(lookup("ghcr.io"), "octo", "from-pass");
  CHECK(runner.requests().size() == runs);  // answers are remembered

  SECTION("DRIFTLOCK_OCI_* belong to DRIFTLOCK_OCI_REGISTRY only") {
    env["DRIFTLOCK_OCI_USERNAME"] = "ci";
    env["DRIFTLOCK_OCI_PASSWORD"] = "ci-token";
    env["DRIFTLOCK_OCI_REGISTRY"] = "ghcr.io";
    auto scoped = registry_credentials(sources_of(env, files, &runner));
    expect(scoped("ghcr.io"), "ci", "ci-token");
    expect(scoped("127.0.0.1:5000"), "file", "pw");
    auto other = scoped("quay.io");
    REQUIRE(other);
    CHECK_FALSE(*other);
  }
  SECTION("DRIFTLOCK_OCI_* without DRIFTLOCK_OCI_REGISTRY are an error when needed") {
    env["DRIFTLOCK_OCI_USERNAME"] = "ci";
    env["DRIFTLOCK_OCI_PASSWORD"] = "ci-token";
    auto unscoped = registry_credentials(sources_of(env, files, &runner));
    expect(unscoped("127.0.0.1:5000"), "file", "pw");
    auto refused = unscoped("quay.io");
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message ==
          "quay.io asks for credentials: DRIFTLOCK_OCI_USERNAME and DRIFTLOCK_OCI_PASSWORD are "
          "set, but DRIFTLOCK_OCI_REGISTRY is not; set it to the registry host they belong to");
    CHECK(refused.error().message.find("ci-token") == std::string::npos);
  }
  SECTION("no runner: a configured helper cannot run") {
    auto without = registry_credentials(sources_of(env, files, nullptr));
    auto found = without("ghcr.io");
    REQUIRE_FALSE(found);
    CHECK(found.error().message ==
          "credential helper docker-credential-pass (named by /home/me/.docker/config.json) "
          "cannot run here");
  }
}
