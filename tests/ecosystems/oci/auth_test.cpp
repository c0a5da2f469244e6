#include "ecosystems/oci/auth.hpp"

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
           // Found by fuzz/targets/oci_auth.cpp (out_of_range went uncaught).
           {"3333333333e333333333", "the token endpoint did not answer JSON"},
           {R"({"tok":"secret-token"})", "the token endpoint's answer has no token"},
           {R"(["secret-token"])", "the token endpoint's answer has no token"},
       }) {
    auto token = parse_token_response(c.body);
    REQUIRE_FALSE(token);
    CHECK(token.error().kind == ErrorKind::infrastructure);
    CHECK(token.error().message == c.message);
  }
}

TEST_CASE("oci auth: Basic authorization", "[oci][auth]") {
  CHECK(basic_authorization({"user", "pa:ss"}) == "Basic dXNlcjpwYTpzcw==");
}
