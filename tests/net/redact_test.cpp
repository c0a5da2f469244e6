#include <catch2/catch.hpp>

#include "net/redact.hpp"

#include <string>
#include <utility>
#include <vector>

using namespace driftlock::net;

TEST_CASE("secrets in text are masked", "[net][redact][secrets]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      // User info in URLs.
      {"https://registry.example/simple/", "https://registry.example/simple/"},
      {"https://me:secret@registry.example/x", "https://me:***@registry.example/x"},
      {"https://tok3n@registry.example/x", "https://***@registry.example/x"},
      {"http://a:b@127.0.0.1:8080", "http://a:***@127.0.0.1:8080"},
      {"https://me:p@ss@registry.example/x", "https://me:***@registry.example/x"},
      {"cannot fetch https://u:pw@a.example/x: HTTP 401 (see https://b.example/)",
       "cannot fetch https://u:***@a.example/x: HTTP 401 (see https://b.example/)"},
      // An '@' after the authority is not user info.
      {"https://registry.example/@scope%2fname", "https://registry.example/@scope%2fname"},
      {"https://registry.example?q=a@b", "https://registry.example?q=a@b"},
      // npmrc settings.
      {"//registry.example/:_authToken=npm_abc123", "//registry.example/:_authToken=***"},
      {"_auth = \"dTpw\"", "_auth = ***"},
      {"//h/:_password=cGFzcw==", "//h/:_password=***"},
      // Headers.
      {"Authorization: Bearer eyJhbGciOi.x.y", "Authorization: Bearer ***"},
      {"authorization: Basic dTpw", "authorization: Basic ***"},
      {"PRIVATE-TOKEN: glpat-abc", "PRIVATE-TOKEN: ***"},
      {R"({"Authorization":"token ghp_abc"})", R"({"Authorization":"token ***"})"},
      // Query parameters.
      {"https://h.example/t?service=x&access_token=abc&scope=y",
       "https://h.example/t?service=x&access_token=***&scope=y"},
      {"https://h.example/f?X-Amz-Signature=abcd", "https://h.example/f?X-Amz-Signature=***"},
      {"https://h.example/f?password=hunter2#top", "https://h.example/f?password=***#top"},
      // Nothing secret.
      {"not a url", "not a url"},
      {"the registry wants Basic authorization", "the registry wants Basic authorization"},
      {"npm package 'token' 1.0.0", "npm package 'token' 1.0.0"},
  };
  for (const auto& [text, masked] : cases) {
    INFO(text);
    CHECK(redact(text) == masked);
    CHECK(redact(masked) == masked);  // idempotent
  }
  CHECK(redact_url("https://me:secret@registry.example/x") == "https://me:***@registry.example/x");
}
