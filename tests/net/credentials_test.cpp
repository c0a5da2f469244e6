#include <catch2/catch.hpp>

#include "net/credentials.hpp"
#include "net/fake_http_client.hpp"
#include "net/http_text.hpp"

#include <optional>
#include <string>
#include <vector>

using namespace driftlock;
using namespace driftlock::net;

namespace {

std::optional<std::string> authorization_of(const Request& request) {
  for (const auto& [name, value] : request.headers) {
    if (equals_ignore_case(name, "authorization")) return value;
  }
  return std::nullopt;
}

ScopedCredential scoped(std::string url, std::string authorization) {
  auto credential = credential_for_url(url, std::move(authorization), "test");
  REQUIRE(credential);
  return *credential;
}

}  // namespace

TEST_CASE("credentials apply to their own host and port and path prefix only",
          "[net][credentials][secrets]") {
  std::vector<ScopedCredential> credentials = {
      scoped("https://registry.example/", "Bearer host-wide"),
      scoped("https://registry.example/team/", "Bearer team"),
      scoped("https://registry.example:8443/", "Bearer port-8443"),
      scoped("http://127.0.0.1:4873/", "Bearer loopback"),
  };
  ScopedCredential any_port;
  any_port.host = "pypi.example";
  any_port.any_port = true;
  any_port.authorization = "Basic netrc";
  credentials.push_back(any_port);

  struct Case {
    std::string url;
    std::optional<std::string> authorization;
  };
  const std::vector<Case> cases = {
      {"https://registry.example/left-pad", "Bearer host-wide"},
      {"https://REGISTRY.example:443/left-pad", "Bearer host-wide"},
      {"https://registry.example/team/pkg", "Bearer team"},
      {"https://registry.example/teammate", "Bearer host-wide"},
      {"https://registry.example:8443/x", "Bearer port-8443"},
      {"https://registry.example:9000/x", std::nullopt},
      {"https://registry.example.evil.example/x", std::nullopt},
      {"https://evil.example/registry.example/", std::nullopt},
      {"http://127.0.0.1:4873/a", "Bearer loopback"},
      {"http://127.0.0.1:4874/a", std::nullopt},
      {"https://pypi.example:8080/simple/", "Basic netrc"},
      {"not a url", std::nullopt},
  };
  for (const Case& c : cases) {
    INFO(c.url);
    const ScopedCredential* found = find_credential(credentials, c.url);
    CHECK((found ? std::optional<std::string>(found->authorization) : std::nullopt) ==
          c.authorization);
  }
}

TEST_CASE("the authorizing client adds a matching credential unless the request has one",
          "[net][credentials][secrets]") {
  FakeHttpClient inner;
  inner.set_fallback([](const Request&) -> Result<Response> { return make_response(200, "{}"); });
  AuthorizingHttpClient client(inner, {scoped("https://registry.example/", "Bearer npm_t0ken")});
  std::vector<Request> requests(3);
  requests[0].url = "https://registry.example/a";
  requests[1].url = "https://other.example/a";
  requests[2].url = "https://registry.example/b";
  requests[2].headers = {{"Authorization", "Bearer own"}};
  auto results = client.perform(requests);
  REQUIRE(results.size() == 3);
  const auto sent = inner.requests();
  REQUIRE(sent.size() == 3);
  CHECK(authorization_of(sent[0]) == "Bearer npm_t0ken");
  CHECK_FALSE(authorization_of(sent[1]));
  CHECK(authorization_of(sent[2]) == "Bearer own");
  CHECK(basic_authorization("u", "p") == "Basic dTpw");
}
