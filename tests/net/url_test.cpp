#include <catch2/catch.hpp>

#include "net/url.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

using namespace driftlock::net;

TEST_CASE("origins compare scheme and host and port", "[net][url]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"https://Registry.Example/a/b", "https://registry.example:443"},
      {"HTTP://registry.example:8080/x?y", "http://registry.example:8080"},
      {"http://registry.example", "http://registry.example:80"},
      {"https://u:p@registry.example:444/", "https://registry.example:444"},
      {"http://[::1]:5000/v2/", "http://[::1]:5000"},
      {"http://[::1]/v2/", "http://[::1]:80"},
      // An '@' in the path or query is not user info.
      {"https://registry.example/@scope%2fname", "https://registry.example:443"},
      {"/relative/path", ""},
      {"not a url", ""},
  };
  for (const auto& [url, origin] : cases) {
    INFO(url);
    CHECK(origin_of(url) == origin);
  }
  CHECK(scheme_of("HTTPS://x") == "https");
  CHECK(scheme_of("ftp://x/y") == "ftp");
  CHECK(scheme_of("x") == "");
}

TEST_CASE("URLs are read by libcurl's parser", "[net][url]") {
  auto url = parse_url("https://me:p%40ss@Registry.Example:8443/root/simple/?q=1");
  REQUIRE(url);
  CHECK(url->scheme == "https");
  CHECK(url->host == "registry.example");
  CHECK(url->port == "8443");
  CHECK(url->explicit_port);
  CHECK(url->path == "/root/simple/");
  CHECK(url->query == "q=1");
  CHECK(url->user == "me");
  CHECK(url->password == "p@ss");

  auto plain = parse_url("http://127.0.0.1/x");
  REQUIRE(plain);
  CHECK(plain->port == "80");
  CHECK_FALSE(plain->explicit_port);
  CHECK_FALSE(plain->user);
  CHECK_FALSE(parse_url("registry.example/x"));
}

TEST_CASE("user info is removed from URLs", "[net][url][secrets]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"https://me:s3cret@registry.example/x?y=1", "https://registry.example/x?y=1"},
      {"https://t0ken@registry.example/", "https://registry.example/"},
      {"http://a:b@127.0.0.1:8080/simple/", "http://127.0.0.1:8080/simple/"},
      {"https://registry.example/@scope%2fname", "https://registry.example/@scope%2fname"},
      {"not a url", "not a url"},
  };
  for (const auto& [url, clean] : cases) {
    INFO(url);
    CHECK(without_userinfo(url) == clean);
  }
}

TEST_CASE("references resolve against a base URL", "[net][url]") {
  const std::string base = "http://127.0.0.1:5000/v2/base/tags/list";
  CHECK(resolve_reference(base, "/v2/base/tags/list?n=2&last=b") ==
        "http://127.0.0.1:5000/v2/base/tags/list?n=2&last=b");
  CHECK(resolve_reference(base, "list?last=c") == "http://127.0.0.1:5000/v2/base/tags/list?last=c");
  CHECK(resolve_reference(base, "https://registry.example/x") == "https://registry.example/x");
  CHECK_FALSE(resolve_reference("relative", "/x"));
}

TEST_CASE("credentials may go over https or over http to loopback hosts only",
          "[net][url][secrets]") {
  const std::vector<std::pair<std::string, bool>> cases = {
      {"https://registry.example/x", true},
      {"http://registry.example/x", false},
      {"http://127.0.0.1:5000/v2/", true},
      {"http://127.1.2.3/v2/", true},
      {"http://localhost:4873/", true},
      {"http://[::1]:5000/v2/", true},
      {"http://127.0.0.1.evil.example/", false},
      {"http://localhost.evil.example/", false},
      {"ftp://127.0.0.1/", false},
      {"not a url", false},
  };
  for (const auto& [url, allowed] : cases) {
    INFO(url);
    CHECK(may_carry_credentials(url) == allowed);
  }
  CHECK(is_loopback_host("LOCALHOST"));
  CHECK_FALSE(is_loopback_host("128.0.0.1"));
}
