#include "ecosystems/debian/sources_config.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

using namespace driftlock;
using namespace driftlock::ecosystems::debian;

namespace {

std::string show(const DebianRegistry& r) {
  std::string text = r.url + " " + r.suite + " [" + r.arch + "]";
  for (const auto& c : r.components) text += " " + c;
  return text;
}

std::vector<std::string> show_all(const std::vector<DebianRegistry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(show(e));
  return out;
}

}  // namespace

TEST_CASE("debian sources config: one-line sources.list", "[debian][sources]") {
  const std::string text =
      "# the main archive\n"
      "deb http://127.0.0.1:8082/debian/ bookworm main contrib   # trailing comment\n"
      "deb-src http://127.0.0.1:8082/debian bookworm main\n"
      "\n"
      "deb [arch=arm64,amd64 signed-by=/usr/share/keyrings/x.gpg] "
      "https://registry.example/debian-security bookworm-security main\n"
      "deb [ signed-by=/k.gpg arch=i386 ] http://127.0.0.1:8082/extra stable non-free\n"
      "  deb\thttp://127.0.0.1:8082/tabs\tsid\tmain\n"
      "deb http://127.0.0.1:8082/flat ./\n"
      "deb cdrom:[Debian 12]/ bookworm main\n"
      "deb file:/srv/repo bookworm main\n";
  auto entries = parse_sources_list(text, "sources.list");
  REQUIRE(entries);
  CHECK(show_all(*entries) ==
        std::vector<std::string>{
            "http://127.0.0.1:8082/debian bookworm [amd64] main contrib",
            "https://registry.example/debian-security bookworm-security [arm64] main",
            "http://127.0.0.1:8082/extra stable [i386] non-free",
            "http://127.0.0.1:8082/tabs sid [amd64] main",
        });
  auto arm = parse_sources_list("deb http://127.0.0.1/d s main\n", "x", "arm64");
  REQUIRE(arm);
  CHECK(arm->front().arch == "arm64");
}

TEST_CASE("debian sources config: one-line errors", "[debian][sources]") {
  struct Case {
    std::string text, message;
  };
  const std::vector<Case> cases = {
      {"\nrpm http://127.0.0.1/x y z\n",
       "sources.list:2: unknown type 'rpm' (expected deb or deb-src)"},
      {"deb http://127.0.0.1/x\n",
       "sources.list:1: expected 'deb [options] URI suite component...'"},
      {"deb [arch=amd64 http://127.0.0.1/x s main\n",
       "sources.list:1: options are missing the closing ']'"},
      {"deb http://127.0.0.1/x bookworm\n", "sources.list:1: suite 'bookworm' has no components"},
  };
  for (const auto& c : cases) {
    auto entries = parse_sources_list(c.text, "sources.list");
    REQUIRE_FALSE(entries);
    CHECK(entries.error().kind == ErrorKind::input);
    CHECK(entries.error().message == c.message);
  }
}

TEST_CASE("debian sources config: deb822 .sources", "[debian][sources]") {
  const std::string text =
      "# Modernized from /etc/apt/sources.list\n"
      "Types: deb deb-src\n"
      "URIs: http://127.0.0.1:8082/debian/ https://registry.example/mirror\n"
      "Suites: bookworm bookworm-updates\n"
      "Components: main\n"
      " contrib\n"
      "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
      "\n"
      "Types: deb-src\n"
      "URIs: http://127.0.0.1:8082/src\n"
      "Suites: bookworm\n"
      "Components: main\n"
      "\n"
      "Enabled: no\n"
      "Types: deb\n"
      "URIs: http://127.0.0.1:8082/off\n"
      "Suites: bookworm\n"
      "Components: main\n"
      "\n"
      "Types: deb\n"
      "URIs: http://127.0.0.1:8082/sec\n"
      "Suites: bookworm-security\n"
      "Components: main\n"
      "Architectures: arm64 amd64\n";
  auto entries = parse_sources_file(text, "debian.sources");
  REQUIRE(entries);
  CHECK(show_all(*entries) ==
        std::vector<std::string>{
            "http://127.0.0.1:8082/debian bookworm [amd64] main contrib",
            "http://127.0.0.1:8082/debian bookworm-updates [amd64] main contrib",
            "https://registry.example/mirror bookworm [amd64] main contrib",
            "https://registry.example/mirror bookworm-updates [amd64] main contrib",
            "http://127.0.0.1:8082/sec bookworm-security [arm64] main",
        });
}

TEST_CASE("debian sources config: deb822 errors", "[debian][sources]") {
  struct Case {
    std::string text, message;
  };
  const std::vector<Case> cases = {
      {"URIs: http://127.0.0.1/x\nSuites: s\n", "d.sources:1: a source without Types"},
      {"\nTypes: deb\nSuites: s\nComponents: main\n", "d.sources:2: a source without URIs"},
      {"Types: deb\nURIs: http://127.0.0.1/x\n", "d.sources:1: a source without Suites"},
      {"Types: deb\nURIs: http://127.0.0.1/x\nSuites: s\n",
       "d.sources:1: suite 's' has no Components"},
      {"Types: deb\nnonsense\n", "d.sources:2: expected 'Field: value', got 'nonsense'"},
  };
  for (const auto& c : cases) {
    auto entries = parse_sources_file(c.text, "d.sources");
    REQUIRE_FALSE(entries);
    CHECK(entries.error().kind == ErrorKind::input);
    CHECK(entries.error().message == c.message);
  }
}
