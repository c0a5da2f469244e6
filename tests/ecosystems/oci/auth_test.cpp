#include "ecosystems/oci/auth.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

using namespace driftlock;
using namespace driftlock::ecosystems::oci;

TEST_CASE("oci auth: WWW-Authenticate challenges", "[oci][auth]") {
  auto bearer = parse_challenge(
      R"(Bearer realm="http://127.0.0.1:5001/token",service="registry.example",scope="repository:library/debian:pull")");
  REQUIRE(bearer);
  CHECK(bearer->scheme == Challenge::Scheme::bearer);
  CHECK(bearer->realm == "http://127.0.0.1:5001/token");
  CHECK(bearer->service == "registry.example");
  CHECK(bearer->scope == "repository:library/debian:pull");

  auto spaced = parse_challenge(R"(bearer  Realm = "https://registry.example/t" , scope=a:b:pull)");
  REQUIRE(spaced);
  CHECK(spaced->realm == "https://registry.example/t");
  CHECK_FALSE(spaced->service);
  CHECK(spaced->scope == "a:b:pull");

  auto escaped = parse_challenge(R"(Bearer realm="https://r.example/a\"b")");
  REQUIRE(escaped);
  CHECK(escaped->realm == "https://r.example/a\"b");

  auto basic = parse_challenge(R"(Basic realm="Registry Realm")");
  REQUIRE(basic);
  CHECK(basic->scheme == Challenge::Scheme::basic);

  CHECK_FALSE(parse_challenge(""));
  CHECK_FALSE(parse_challenge("Negotiate abc"));
  CHECK_FALSE(parse_challenge(R"(Bearer service="x")"));
}

TEST_CASE("oci auth: token URL", "[oci][auth]") {
  Challenge challenge;
  challenge.realm = "http://127.0.0.1:5001/token";
  CHECK(token_url(challenge, "repository:base:pull") ==
        "http://127.0.0.1:5001/token?scope=repository%3Abase%3Apull");
  challenge.service = "registry example";
  challenge.scope = "repository:a/b:pull,push";
  CHECK(token_url(challenge, "ignored") ==
        "http://127.0.0.1:5001/"
        "token?service=registry%20example&scope=repository%3Aa%2Fb%3Apull%2Cpush");
  challenge.realm = "http://127.0.0.1:5001/token?x=1";
  challenge.service.reset();
  CHECK(token_url(challenge, "s") ==
        "http://127.0.0.1:5001/token?x=1&scope=repository%3Aa%2Fb%3Apull%2Cpush");
}

TEST_CASE("oci auth: token responses", "[oci][auth]") {
  CHECK(parse_token_response(R"({"token":"abc","expires_in":300})") == "abc");
  CHECK(parse_token_response(R"({"access_token":"xyz"})") == "xyz");
  CHECK(parse_token_response(R"({"token":"","access_token":"xyz"})") == "xyz");
  struct Case {
    std::string body, message;
  };
  for (const auto& c : std::vector<Case>{
           {"<html>secret-token</html>", "the token endpoint did not answer JSON"},
           {R"({"tok":"secret-token"})", "the token endpoint's answer has no token"},
           {R"(["secret-token"])", "the token endpoint's answer has no token"},
       }) {
    auto token = parse_token_response(c.body);
    REQUIRE_FALSE(token);
    CHECK(token.error().kind == ErrorKind::infrastructure);
    CHECK(token.error().message == c.message);
  }
}

TEST_CASE("oci auth: base64", "[oci][auth]") {
  // RFC 4648 section 10 test vectors.
  const std::vector<std::pair<std::string, std::string>> vectors = {{"", ""},
                                                                    {"f", "Zg=="},
                                                                    {"fo", "Zm8="},
                                                                    {"foo", "Zm9v"},
                                                                    {"foob", "Zm9vYg=="},
                                                                    {"fooba", "Zm9vYmE="},
                                                                    {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base64_encode(plain) == encoded);
    CHECK(base64_decode(encoded) == plain);
  }
  CHECK_FALSE(base64_decode("Zm9v!"));
  CHECK_FALSE(base64_decode("Z"));
  CHECK(basic_authorization({"user", "pa:ss"}) == "Basic dXNlcjpwYTpzcw==");
}

TEST_CASE("oci auth: Docker config.json", "[oci][auth]") {
  const std::string config = R"({
    "auths": {
      "127.0.0.1:5000": {"auth": "dXNlcjpwYTpzcw=="},
      "https://registry.example/v1/": {"auth": "YWxpY2U6czNjcjN0"},
      "other.example": {"username": "bob", "password": "hunter2"},
      "broken.example": {"auth": "!!!"}
    },
    "credsStore": "desktop"
  })";
  struct Case {
    std::string host;
    std::optional<std::pair<std::string, std::string>> expected;
  };
  for (const auto& c : std::vector<Case>{
           {"127.0.0.1:5000", std::pair<std::string, std::string>{"user", "pa:ss"}},
           {"REGISTRY.example", std::pair<std::string, std::string>{"alice", "s3cr3t"}},
           {"other.example", std::pair<std::string, std::string>{"bob", "hunter2"}},
           {"broken.example", std::nullopt},
           {"127.0.0.1:5001", std::nullopt},
       }) {
    auto found = credentials_from_docker_config(config, c.host, "config.json");
    REQUIRE(found);
    if (c.expected) {
      REQUIRE(*found);
      CHECK((*found)->username == c.expected->first);
      CHECK((*found)->password == c.expected->second);
    } else {
      CHECK_FALSE(*found);
    }
  }
  auto empty = credentials_from_docker_config("{}", "127.0.0.1:5000", "config.json");
  REQUIRE(empty);
  CHECK_FALSE(*empty);
  auto broken = credentials_from_docker_config(R"({"auths": {"h": {"auth": "c2VjcmV0)", "h",
                                               "/home/me/.docker/config.json");
  REQUIRE_FALSE(broken);
  CHECK(broken.error().kind == ErrorKind::input);
  CHECK(broken.error().message == "/home/me/.docker/config.json: not a JSON document");
}

TEST_CASE("oci auth: credentials from the environment", "[oci][auth]") {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("driftlock-oci-auth-" + std::to_string(std::rand()));
  std::filesystem::create_directories(dir / ".docker");
  std::ofstream(dir / ".docker" / "config.json")
      << R"({"auths": {"127.0.0.1:5000": {"auth": "ZmlsZTpwdw=="}}})";
  std::map<std::string, std::string, std::less<>> env = {{"HOME", dir.string()}};
  auto getenv = [&env](std::string_view key) -> std::optional<std::string> {
    auto hit = env.find(key);
    if (hit == env.end()) return std::nullopt;
    return hit->second;
  };
  auto lookup = environment_credentials(getenv);
  auto from_file = lookup("127.0.0.1:5000");
  REQUIRE(from_file);
  CHECK(from_file->username == "file");
  CHECK(from_file->password == "pw");
  CHECK_FALSE(lookup("127.0.0.1:5001"));

  env["DOCKER_CONFIG"] = (dir / "nowhere").string();
  CHECK_FALSE(lookup("127.0.0.1:5000"));

  env["DRIFTLOCK_OCI_USERNAME"] = "ci";
  env["DRIFTLOCK_OCI_PASSWORD"] = "token";
  auto from_env = lookup("127.0.0.1:5001");
  REQUIRE(from_env);
  CHECK(from_env->username == "ci");
  CHECK(from_env->password == "token");
  std::filesystem::remove_all(dir);
}
