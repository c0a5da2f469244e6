#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <array>
#include <fstream>
#include <random>
#include <sstream>

#include "core/manifest.hpp"
#include "support/text_files.hpp"

using namespace driftlock;
using driftlock::testing::read_text;
using driftlock::testing::write_text;
using namespace std::chrono_literals;

namespace {

// A stand-in for the real schemes, so these tests follow the manifest rules only:
// "bad" anywhere is invalid, a leading 'v' is normalised away, and a range
// matches "*", itself, or versions starting with it once its operator is dropped.
class FakeScheme final : public VersionScheme {
 public:
  explicit FakeScheme(std::string_view name) : m_name(name) {}
  std::string_view ecosystem() const override { return m_name; }
  Result<std::string> normalize(std::string_view version) const override {
    if (version.empty() || version.find("bad") != std::string_view::npos) {
      return fail_input(fmt::format("invalid {} version '{}'", m_name, version));
    }
    if (version.starts_with('v')) version.remove_prefix(1);
    return std::string(version);
  }
  Result<int> compare(std::string_view a, std::string_view b) const override {
    return a < b ? -1 : a == b ? 0 : 1;
  }
  Result<bool> is_prerelease(std::string_view version) const override {
    return version.find('-') != std::string_view::npos;
  }
  Result<void> validate_range(std::string_view range) const override {
    if (range.find("bad") != std::string_view::npos) {
      return fail_input(fmt::format("invalid {} range '{}'", m_name, range));
    }
    return {};
  }
  Result<bool> satisfies(std::string_view range, std::string_view version,
                         Prereleases) const override {
    if (range == "boom") return fail_input("cannot evaluate range 'boom'");
    if (range == "*" || range == version) return true;
    while (!range.empty() && !std::isalnum(static_cast<unsigned char>(range[0]))) {
      range.remove_prefix(1);
    }
    return version.starts_with(range);
  }

 private:
  std::string_view m_name;
};

Result<void> fake_name(std::string_view name) {
  if (name.empty() || name.find(' ') != std::string_view::npos ||
      name.find("bad") != std::string_view::npos) {
    return fail_input(fmt::format("invalid name '{}'", name));
  }
  return {};
}

Ecosystem fake_ecosystem(const FakeScheme& scheme) {
  Ecosystem e;
  e.name = scheme.ecosystem();
  e.scheme = &scheme;
  e.validate_name = fake_name;
  return e;
}

const FakeScheme kNpm("npm"), kPypi("pypi"), kDebian("debian"), kOci("oci");
const std::array<Ecosystem, 4> kEcosystems = {fake_ecosystem(kNpm), fake_ecosystem(kPypi),
                                              fake_ecosystem(kDebian), fake_ecosystem(kOci)};

const std::filesystem::path kContract =
    std::filesystem::path(DRIFTLOCK_TEST_DATA) / "manifests" / "contract-v1.toml";

std::string parse_error(std::string_view text) {
  auto m = parse_manifest(text, "driftlock.toml", kEcosystems);
  if (m) return "(parsed)";
  return render(m.error());
}

}  // namespace

TEST_CASE("the Contract v1 example parses to its values", "[core][manifest]") {
  auto m = load_manifest(kContract, kEcosystems);
  REQUIRE(m.has_value());
  const std::filesystem::path dir = kContract.parent_path();
  CHECK(m->path == kContract);
  CHECK(m->dir == dir);
  CHECK(m->image == "example");
  CHECK(m->snapshot == dir / "snapshots" / "example.lock.json");

  CHECK(m->commands.build ==
        "buildah bud -t \"$DRIFTLOCK_IMAGE_TAG\" --build-arg BASE=\"$DRIFTLOCK_OCI_BASE\" -v "
        "\"$DRIFTLOCK_CANDIDATE_DIR:/pins:ro\" .");
  CHECK(m->commands.test == "./ci/test-image.sh \"$DRIFTLOCK_IMAGE_TAG\"");
  CHECK(m->commands.push ==
        "buildah push \"$DRIFTLOCK_IMAGE_TAG\" docker://127.0.0.1:5000/example:latest");
  CHECK(m->commands.timeout == 30min);
  CHECK(m->commands.jobs == 2);
  CHECK(m->commands.junit == "out/junit/*.xml");
  CHECK(m->commands.unresolved_exit == 125);

  CHECK(m->policy.prereleases == Prereleases::exclude);
  CHECK(m->policy.flaky_tests == FlakyTests::automatic);
  CHECK(m->policy.min_age == std::chrono::days(2));
  CHECK_FALSE(m->policy.as_of);

  CHECK(m->registries.npm == "http://127.0.0.1:4873");
  CHECK(m->registries.pypi == "http://127.0.0.1:8081");
  REQUIRE(m->registries.debian);
  CHECK(m->registries.debian->url == "http://127.0.0.1:8082/debian");
  CHECK(m->registries.debian->suite == "bookworm");
  CHECK(m->registries.debian->components == std::vector<std::string>{"main"});
  CHECK(m->registries.debian->arch == "amd64");

  struct Expected {
    std::string ecosystem, name, range;
    std::optional<std::string> hold, key;
    int line, column;
  };
  const std::vector<Expected> expected = {
      {"debian", "libssl-dev", "*", {}, {}, 32, 1},
      {"npm", "chalk", "*", {}, {}, 24, 1},
      {"npm", "lodash", "^4", {}, {}, 25, 1},
      {"oci", "127.0.0.1:5000/base", "stable", {}, "BASE", 35, 1},
      {"pypi", "cryptography", "*", "42.0.8", {}, 29, 1},
      {"pypi", "tox", "~=4.0", {}, {}, 28, 1},
  };
  REQUIRE(m->dependencies.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const DependencySpec& d = m->dependencies[i];
    INFO(d.ecosystem << ":" << d.name);
    CHECK(d.ecosystem == expected[i].ecosystem);
    CHECK(d.name == expected[i].name);
    CHECK(d.range == expected[i].range);
    CHECK(d.hold == expected[i].hold);
    CHECK(d.key == expected[i].key);
    CHECK_FALSE(d.prereleases);
    CHECK(d.location.path == kContract.string());
    CHECK(d.location.line == expected[i].line);
    CHECK(d.location.column == expected[i].column);
  }
  CHECK(m->dependencies[1].location.line_text == "chalk  = \"*\"");
}

TEST_CASE("a minimal manifest gets the documented defaults", "[core][manifest]") {
  auto m = parse_manifest("image = \"ci-image\"\n", "/srv/ci/driftlock.toml", kEcosystems);
  REQUIRE(m.has_value());
  CHECK(m->path == "/srv/ci/driftlock.toml");
  CHECK(m->dir == "/srv/ci");
  CHECK(m->image == "ci-image");
  CHECK(m->snapshot == "/srv/ci/snapshots/ci-image.lock.json");
  CHECK(m->commands.build.empty());
  CHECK(m->commands.test.empty());
  CHECK(m->commands.push.empty());
  CHECK(m->commands.timeout == 30min);
  CHECK(m->commands.jobs == 1);
  CHECK_FALSE(m->commands.junit);
  CHECK(m->commands.unresolved_exit == 125);
  CHECK(m->policy.prereleases == Prereleases::exclude);
  CHECK(m->policy.min_age == 0s);
  CHECK_FALSE(m->policy.as_of);
  CHECK_FALSE(m->registries.npm);
  CHECK_FALSE(m->registries.pypi);
  CHECK_FALSE(m->registries.debian);
  CHECK(m->dependencies.empty());
}

TEST_CASE("manifest paths resolve against the manifest's folder", "[core][manifest]") {
  const auto cwd = std::filesystem::current_path();
  auto m = parse_manifest("image = \"x\"\nsnapshot = \"../locks/./x.json\"\n",
                          "sub/dir/driftlock.toml", kEcosystems);
  REQUIRE(m.has_value());
  CHECK(m->path == "sub/dir/driftlock.toml");
  CHECK(m->dir == cwd / "sub" / "dir");
  CHECK(m->snapshot == cwd / "sub" / "locks" / "x.json");

  auto absolute =
      parse_manifest("image = \"x\"\nsnapshot = \"/var/x.json\"\n", "driftlock.toml", kEcosystems);
  REQUIRE(absolute.has_value());
  CHECK(absolute->dir == cwd);
  CHECK(absolute->snapshot == "/var/x.json");
}

TEST_CASE("manifest values in their other accepted spellings", "[core][manifest]") {
  const Timestamp as_of = std::chrono::sys_days(std::chrono::year(2024) / 8 / 1);
  struct Case {
    std::string policy;
    Timestamp expected;
  };
  const std::vector<Case> cases = {
      {"as-of = \"2024-08-01T00:00:00Z\"", as_of},
      {"as-of = \"2024-08-01\"", as_of},
      {"as-of = 2024-08-01T00:00:00Z", as_of},
      {"as-of = 2024-08-01T02:30:00+02:30", as_of},
      {"as-of = 2024-08-01", as_of},
  };
  for (const Case& c : cases) {
    INFO(c.policy);
    auto m = parse_manifest("image = \"x\"\n[policy]\n" + c.policy + "\n", "m.toml", kEcosystems);
    REQUIRE(m.has_value());
    CHECK(m->policy.as_of == c.expected);
  }

  auto m = parse_manifest(R"(image = "x"
[commands]
timeout = 90
[policy]
prereleases = true
min-age = 3600
flaky-tests = "expect"
[registries]
npm = "https://registry.example/npm/"
[registries.debian]
url = "http://127.0.0.1:8082/debian//"
suite = "bookworm-updates"
[dependencies.npm]
chalk = {}
left-pad = { hold = "v1.3.0", prereleases = true }
[dependencies.oci]
"127.0.0.1:5000/team/base-image:1" = { range = "stable", key = "BASE_IMAGE_2" }
"registry.example/tools" = { range = "latest", prereleases = false }
)",
                          "m.toml", kEcosystems);
  REQUIRE(m.has_value());
  CHECK(m->commands.timeout == 90s);
  CHECK(m->policy.prereleases == Prereleases::include);
  CHECK(m->policy.min_age == 1h);
  CHECK(m->policy.flaky_tests == FlakyTests::expect);
  CHECK(m->registries.npm == "https://registry.example/npm");
  REQUIRE(m->registries.debian);
  CHECK(m->registries.debian->url == "http://127.0.0.1:8082/debian");
  CHECK(m->registries.debian->suite == "bookworm-updates");
  CHECK(m->registries.debian->components == std::vector<std::string>{"main"});
  CHECK(m->registries.debian->arch == "amd64");
  REQUIRE(m->dependencies.size() == 4);
  const auto& chalk = m->dependencies[0];
  CHECK(chalk.name == "chalk");
  CHECK(chalk.range == "*");
  CHECK_FALSE(chalk.hold);
  const auto& left_pad = m->dependencies[1];
  CHECK(left_pad.name == "left-pad");
  CHECK(left_pad.range == "*");
  CHECK(left_pad.hold == "1.3.0");
  CHECK(left_pad.prereleases == Prereleases::include);
  CHECK_FALSE(left_pad.key);
  CHECK(m->dependencies[2].key == "BASE_IMAGE_2");
  CHECK(m->dependencies[3].name == "registry.example/tools");
  CHECK(m->dependencies[3].key == "TOOLS");
  CHECK(m->dependencies[3].prereleases == Prereleases::exclude);
}

TEST_CASE("derive_oci_key", "[core][manifest]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"127.0.0.1:5000/base", "BASE"},
      {"registry.example/team/my-image", "MY_IMAGE"},
      {"registry.example/team/my-image:1.2", "MY_IMAGE"},
      {"registry.example/team/node@sha256:abcd", "NODE"},
      {"python", "PYTHON"},
      {"127.0.0.1:5000/3rd.party", "_3RD_PARTY"},
      {"127.0.0.1:5000", "_127_0_0_1"},
      {"", "_"},
  };
  for (const auto& [reference, key] : cases) {
    INFO(reference);
    CHECK(derive_oci_key(reference) == key);
  }
}

TEST_CASE("a missing manifest file is an input error", "[core][manifest]") {
  auto m = load_manifest("/nonexistent/driftlock.toml", kEcosystems);
  REQUIRE_FALSE(m.has_value());
  CHECK(m.error().kind == ErrorKind::input);
  CHECK_FALSE(m.error().location);
  CHECK(m.error().message ==
        "cannot read manifest '/nonexistent/driftlock.toml': No such file or directory");
}

TEST_CASE("manifest errors name the key and point at it", "[core][manifest][errors]") {
  struct Case {
    std::string text;
    std::string expected;
  };
  const std::string img = "image = \"x\"\n";
  const std::vector<Case> cases = {
      // TOML syntax
      {"image = \"x\n",
       "driftlock.toml:1:11: Error while parsing string: unescaped control characters other "
       "than TAB (U+0009) are explicitly prohibited\n  image = \"x\n            ^"},
      {img + "[commands\n",
       "driftlock.toml:2:10: Error while parsing table header: expected ']', saw '\\n'\n"
       "  [commands\n           ^"},
      {img + "image = \"y\"\n",
       "driftlock.toml:2:9: Error while parsing key-value pair: cannot redefine existing string "
       "'image'\n  image = \"y\"\n          ^"},
      // top level
      {"[commands]\nbuild = \"make\"\n",
       "driftlock.toml:1:1: missing required key 'image'\n  [commands]\n  ^"},
      {"imgae = \"x\"\n",
       "driftlock.toml:1:1: unknown top-level key 'imgae' (did you mean 'image'?)\n"
       "  imgae = \"x\"\n  ^"},
      {img + "[comands]\n",
       "driftlock.toml:2:2: unknown table 'comands' (did you mean 'commands'?)\n  [comands]\n   ^"},
      {img + "colour = 1\n",
       "driftlock.toml:2:1: unknown top-level key 'colour'\n  colour = 1\n  ^"},
      {"image = 3\n",
       "driftlock.toml:1:9: expected a string for 'image', found an integer\n  image = 3\n"
       "          ^"},
      {"image = \"my image\"\n",
       "driftlock.toml:1:9: 'image' must be a safe name of at most 128 characters "
       "([A-Za-z0-9][A-Za-z0-9._-]*), not 'my image'\n  image = \"my image\"\n          ^"},
      {"image = \"caf\xc3\xa9\"\n",
       "driftlock.toml:1:9: 'image' must be a safe name of at most 128 characters "
       "([A-Za-z0-9][A-Za-z0-9._-]*), not 'caf\xc3\xa9'\n  image = \"caf\xc3\xa9\"\n          ^"},
      {"image = \"\"\n",
       "driftlock.toml:1:9: 'image' must be a safe name of at most 128 characters "
       "([A-Za-z0-9][A-Za-z0-9._-]*), not ''\n  image = \"\"\n          ^"},
      {img + "snapshot = \"\"\n",
       "driftlock.toml:2:12: 'snapshot' must not be empty\n  snapshot = \"\"\n             ^"},
      {img + "snapshot = [\"a\"]\n",
       "driftlock.toml:2:12: expected a string for 'snapshot', found an array\n"
       "  snapshot = [\"a\"]\n             ^"},
      {img + "commands = 3\n",
       "driftlock.toml:2:12: expected a table for 'commands', found an integer\n"
       "  commands = 3\n             ^"},
      // [commands]
      {img + "[commands]\nbuld = \"make\"\n",
       "driftlock.toml:3:1: unknown key 'buld' in [commands] (did you mean 'build'?)\n"
       "  buld = \"make\"\n  ^"},
      {img + "[commands]\nbuild = 1.5\n",
       "driftlock.toml:3:9: expected a string for [commands] build, found a float\n"
       "  build = 1.5\n          ^"},
      {img + "[commands]\nbuild = \"make\\u0000x\"\n",
       "driftlock.toml:3:9: [commands] build must not contain a NUL character\n"
       "  build = \"make\\u0000x\"\n          ^"},
      {img + "[commands]\njobs = 0\n",
       "driftlock.toml:3:8: [commands] jobs must be an integer from 1 to 64, not 0\n"
       "  jobs = 0\n         ^"},
      {img + "[commands]\njobs = 9223372036854775807\n",
       "driftlock.toml:3:8: [commands] jobs must be an integer from 1 to 64, not "
       "9223372036854775807\n  jobs = 9223372036854775807\n         ^"},
      {img + "[commands]\njobs = \"2\"\n",
       "driftlock.toml:3:8: expected an integer for [commands] jobs, found a string\n"
       "  jobs = \"2\"\n         ^"},
      {img + "[commands]\ntimeout = \"soon\"\n",
       "driftlock.toml:3:11: [commands] timeout: invalid duration 'soon' (expected e.g. 90s, 30m, "
       "2h, 2d, 1w or 1h30m)\n  timeout = \"soon\"\n            ^"},
      {img + "[commands]\ntimeout = \"0\"\n",
       "driftlock.toml:3:11: [commands] timeout must be at least 1s\n  timeout = \"0\"\n"
       "            ^"},
      {img + "[commands]\ntimeout = -5\n",
       "driftlock.toml:3:11: [commands] timeout must be a number of seconds from 1 to "
       "9223372036854775, not -5\n  timeout = -5\n            ^"},
      {img + "[commands]\ntimeout = true\n",
       "driftlock.toml:3:11: expected a duration (a string like \"30m\" or integer seconds) for "
       "[commands] timeout, found a boolean\n  timeout = true\n            ^"},
      {img + "[commands]\njunit = \"\"\n",
       "driftlock.toml:3:9: [commands] junit must not be empty\n  junit = \"\"\n          ^"},
      {img + "[commands]\nunresolved-exit = 256\n",
       "driftlock.toml:3:19: [commands] unresolved-exit must be an integer from 1 to 255, not "
       "256\n  unresolved-exit = 256\n                    ^"},
      {img + "[commands]\nerror-exit = 0\n",
       "driftlock.toml:3:14: [commands] error-exit must be an integer from 1 to 255, not "
       "0\n  error-exit = 0\n               ^"},
      {img + "[commands]\nunresolved-exit = 3\nerror-exit = 3\n",
       "driftlock.toml:4:14: [commands] error-exit must differ from unresolved-exit (3)\n"
       "  error-exit = 3\n               ^"},
      // [policy]
      {img + "[policy]\nprereleases = \"yes\"\n",
       "driftlock.toml:3:15: expected a boolean for [policy] prereleases, found a string\n"
       "  prereleases = \"yes\"\n                ^"},
      {img + "[policy]\nmin-age = \"-2d\"\n",
       "driftlock.toml:3:11: [policy] min-age: invalid duration '-2d' (expected e.g. 90s, 30m, "
       "2h, 2d, 1w or 1h30m)\n  min-age = \"-2d\"\n            ^"},
      {img + "[policy]\nas-of = \"yesterday\"\n",
       "driftlock.toml:3:9: [policy] as-of: invalid timestamp 'yesterday' (expected RFC 3339, "
       "e.g. 2024-08-01T00:00:00Z)\n  as-of = \"yesterday\"\n          ^"},
      {img + "[policy]\nas-of = 2024-08-01T00:00:00\n",
       "driftlock.toml:3:9: [policy] as-of: a date-time needs a UTC offset, e.g. "
       "2024-08-01T00:00:00Z\n  as-of = 2024-08-01T00:00:00\n          ^"},
      {img + "[policy]\nas-of = 12:00:00\n",
       "driftlock.toml:3:9: expected a timestamp for [policy] as-of, found a time\n"
       "  as-of = 12:00:00\n          ^"},
      {img + "[policy]\nflaky-tests = \"expected\"\n",
       "driftlock.toml:3:15: [policy] flaky-tests: unknown mode 'expected' (expected auto, expect "
       "or trust) (did you mean 'expect'?)\n  flaky-tests = \"expected\"\n                ^"},
      {img + "[policy]\nflaky-tests = true\n",
       "driftlock.toml:3:15: expected a string for [policy] flaky-tests, found a boolean\n"
       "  flaky-tests = true\n                ^"},
      {img + "[policy]\nmin_age = \"2d\"\n",
       "driftlock.toml:3:1: unknown key 'min_age' in [policy] (did you mean 'min-age'?)\n"
       "  min_age = \"2d\"\n  ^"},
      // [registries]
      {img + "[registries]\nnpm = \"ftp://127.0.0.1/npm\"\n",
       "driftlock.toml:3:7: [registries] npm must be an http:// or https:// URL, not "
       "'ftp://127.0.0.1/npm'\n  npm = \"ftp://127.0.0.1/npm\"\n        ^"},
      {img + "[registries]\npypi = \"http://\"\n",
       "driftlock.toml:3:8: [registries] pypi must be an http:// or https:// URL, not 'http://'\n"
       "  pypi = \"http://\"\n         ^"},
      {img + "[registries]\npypi = \"http://127.0.0.1/a b\"\n",
       "driftlock.toml:3:8: [registries] pypi must be an http:// or https:// URL, not "
       "'http://127.0.0.1/a b'\n  pypi = \"http://127.0.0.1/a b\"\n         ^"},
      {img + "[registries]\npyp = \"http://127.0.0.1\"\n",
       "driftlock.toml:3:1: unknown key 'pyp' in [registries] (did you mean 'pypi'?)\n"
       "  pyp = \"http://127.0.0.1\"\n  ^"},
      {img + "[registries]\ndebian = \"http://127.0.0.1\"\n",
       "driftlock.toml:3:10: expected a table for [registries] debian, found a string\n"
       "  debian = \"http://127.0.0.1\"\n           ^"},
      {img + "[registries]\ndebian = { url = \"http://127.0.0.1\" }\n",
       "driftlock.toml:3:10: missing required key 'suite' in [registries] debian\n"
       "  debian = { url = \"http://127.0.0.1\" }\n           ^"},
      {img + "[registries]\ndebian = { ulr = \"http://127.0.0.1\", suite = \"bookworm\" }\n",
       "driftlock.toml:3:12: unknown key 'ulr' in [registries] debian (did you mean 'url'?)\n"
       "  debian = { ulr = \"http://127.0.0.1\", suite = \"bookworm\" }\n             ^"},
      {img + "[registries.debian]\nurl = \"http://127.0.0.1\"\nsuite = \"../etc\"\n",
       "driftlock.toml:4:9: [registries] debian.suite must match [A-Za-z0-9][A-Za-z0-9._+/-]*, "
       "not '../etc'\n  suite = \"../etc\"\n          ^"},
      {img + "[registries.debian]\nurl = \"http://127.0.0.1\"\nsuite = \"s\"\ncomponents = []\n",
       "driftlock.toml:5:14: [registries] debian.components must not be empty\n"
       "  components = []\n               ^"},
      {img + "[registries.debian]\nurl = \"http://127.0.0.1\"\nsuite = \"s\"\n"
             "components = [\"main\", 1]\n",
       "driftlock.toml:5:23: expected a string for [registries] debian.components[1], found an "
       "integer\n  components = [\"main\", 1]\n                        ^"},
      {img + "[registries.debian]\nurl = \"http://127.0.0.1\"\nsuite = \"s\"\narch = \"amd 64\"\n",
       "driftlock.toml:5:8: [registries] debian.arch must match [A-Za-z0-9][A-Za-z0-9-]*, not "
       "'amd 64'\n  arch = \"amd 64\"\n         ^"},
      // [dependencies]
      {img + "dependencies = 3\n",
       "driftlock.toml:2:16: expected a table for 'dependencies', found an integer\n"
       "  dependencies = 3\n                 ^"},
      {img + "[dependencies]\nnpm = \"chalk\"\n",
       "driftlock.toml:3:7: expected a table for [dependencies] npm, found a string\n"
       "  npm = \"chalk\"\n        ^"},
      {img + "[dependencies.nmp]\nchalk = \"*\"\n",
       "driftlock.toml:2:15: unknown ecosystem 'nmp' in [dependencies] (did you mean 'npm'?)\n"
       "  [dependencies.nmp]\n                ^"},
      {img + "[dependencies.cargo]\nserde = \"*\"\n",
       "driftlock.toml:2:15: unknown ecosystem 'cargo' in [dependencies] (expected one of: npm, "
       "pypi, debian, oci)\n  [dependencies.cargo]\n                ^"},
      {img + "[dependencies.npm]\nchalk = 4\n",
       "driftlock.toml:3:9: expected a range string or an inline table for [dependencies.npm] "
       "chalk, found an integer\n  chalk = 4\n          ^"},
      {img + "[dependencies.npm]\nchalk = \"bad^4\"\n",
       "driftlock.toml:3:9: [dependencies.npm] chalk: invalid npm range 'bad^4'\n"
       "  chalk = \"bad^4\"\n          ^"},
      {img + "[dependencies.npm]\nchalk = { range = \"bad\" }\n",
       "driftlock.toml:3:19: [dependencies.npm] chalk: invalid npm range 'bad'\n"
       "  chalk = { range = \"bad\" }\n                    ^"},
      {img + "[dependencies.npm]\nchalk = { range = 4 }\n",
       "driftlock.toml:3:19: expected a string for [dependencies.npm] chalk.range, found an "
       "integer\n  chalk = { range = 4 }\n                    ^"},
      {img + "[dependencies.npm]\n\"my chalk\" = \"*\"\n",
       "driftlock.toml:3:1: [dependencies.npm] \"my chalk\": invalid name 'my chalk'\n"
       "  \"my chalk\" = \"*\"\n  ^"},
      {img + "[dependencies.pypi]\ntox = { rnage = \"*\" }\n",
       "driftlock.toml:3:9: unknown key 'rnage' in [dependencies.pypi] tox (did you mean "
       "'range'?)\n  tox = { rnage = \"*\" }\n          ^"},
      {img + "[dependencies.pypi]\ntox = { hold = \"bad1\" }\n",
       "driftlock.toml:3:16: [dependencies.pypi] tox.hold: invalid pypi version 'bad1'\n"
       "  tox = { hold = \"bad1\" }\n                 ^"},
      {img + "[dependencies.pypi]\ntox = { range = \"~=4.0\", hold = \"3.1\" }\n",
       "driftlock.toml:3:33: [dependencies.pypi] tox: hold 3.1 is outside the range '~=4.0' "
       "(widen the range or change the hold)\n"
       "  tox = { range = \"~=4.0\", hold = \"3.1\" }\n                                  ^"},
      {img + "[dependencies.pypi]\ntox = { range = \"boom\", hold = \"3.1\" }\n",
       "driftlock.toml:3:32: [dependencies.pypi] tox.hold: cannot evaluate range 'boom'\n"
       "  tox = { range = \"boom\", hold = \"3.1\" }\n                                 ^"},
      {img + "[dependencies.pypi]\ntox = { prereleases = 1 }\n",
       "driftlock.toml:3:23: expected a boolean for [dependencies.pypi] tox.prereleases, found "
       "an integer\n  tox = { prereleases = 1 }\n                        ^"},
      {img + "[dependencies.pypi]\ntox = { key = \"TOX\" }\n",
       "driftlock.toml:3:15: [dependencies.pypi] tox: only oci dependencies have an env key\n"
       "  tox = { key = \"TOX\" }\n                ^"},
      {img + "[dependencies.oci]\n\"r/base\" = { key = \"base\" }\n",
       "driftlock.toml:3:20: [dependencies.oci] \"r/base\".key must match [A-Z_][A-Z0-9_]*, not "
       "'base'\n  \"r/base\" = { key = \"base\" }\n                     ^"},
      {img + "[dependencies.oci]\n\"r/a/base\" = \"stable\"\n\"r/b/base\" = \"stable\"\n",
       "driftlock.toml:4:1: [dependencies.oci] \"r/b/base\": env key 'BASE' is already used by "
       "\"r/a/base\" (set key = \"...\" on one of them)\n  \"r/b/base\" = \"stable\"\n  ^"},
      {img + "[dependencies.oci]\n\"r/x\" = { key = \"BASE\" }\n\"r/base\" = \"stable\"\n",
       "driftlock.toml:4:1: [dependencies.oci] \"r/base\": env key 'BASE' is already used by "
       "\"r/x\" (set key = \"...\" on one of them)\n  \"r/base\" = \"stable\"\n  ^"},
      // the problem nearest the top wins; a misspelling beats the missing key it causes
      {"[commands]\njobs = 0\n[policy]\nmin-age = \"x\"\n",
       "driftlock.toml:2:8: [commands] jobs must be an integer from 1 to 64, not 0\n"
       "  jobs = 0\n         ^"},
      {"imag = \"x\"\n",
       "driftlock.toml:1:1: unknown top-level key 'imag' (did you mean 'image'?)\n  imag = \"x\"\n"
       "  ^"},
      // control characters stay escaped in messages
      {img + "[commands]\n\"a\\nb\" = 1\n",
       "driftlock.toml:3:1: unknown key 'a\\nb' in [commands]\n  \"a\\nb\" = 1\n  ^"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(parse_error(c.text) == c.expected);
  }
}

TEST_CASE("every truncation of a valid manifest parses or fails with a location",
          "[core][manifest][robustness]") {
  const std::string text = read_text(kContract);
  REQUIRE(text.size() > 1000);
  int parsed = 0;
  for (std::size_t n = 0; n <= text.size(); ++n) {
    auto m = parse_manifest(std::string_view(text).substr(0, n), "driftlock.toml", kEcosystems);
    if (m) {
      ++parsed;
      continue;
    }
    INFO("prefix length " << n << ": " << m.error().message);
    REQUIRE(m.error().location);
    CHECK(m.error().location->line >= 1);
    CHECK(m.error().location->column >= 1);
    CHECK_FALSE(m.error().message.empty());
  }
  CHECK(parsed > 0);
}

TEST_CASE("hostile manifests fail cleanly", "[core][manifest][robustness]") {
  const std::string img = "image = \"x\"\n";
  std::string dotted = "a";
  for (int i = 0; i < 100000; ++i) dotted += ".a";
  std::string header = "[" + dotted + "]\n";
  CHECK(parse_error(img + dotted + " = 1\n")
            .starts_with(
                "driftlock.toml:2:514: more than 256 dots on one line (keys nest too deeply)\n"));
  CHECK(parse_error(img + header).starts_with("driftlock.toml:2:515: more than 256 dots"));
  CHECK(parse_error(img + "x = " + std::string(100000, '[') + std::string(100000, ']') + "\n")
            .starts_with("driftlock.toml:2:"));
  std::string inline_tables = "x = ";
  for (int i = 0; i < 100000; ++i) inline_tables += "{a=";
  CHECK(parse_error(img + inline_tables + "1\n").starts_with("driftlock.toml:2:"));

  // Dots inside strings and comments are not keys.
  const std::string many_dots(5000, '.');
  auto fine = parse_manifest(img + "[commands]\nbuild = \"" + many_dots + "\"  # " + many_dots +
                                 "\ntest = '''\n" + many_dots + "\n" + many_dots + "'''\n",
                             "m.toml", kEcosystems);
  REQUIRE(fine.has_value());
  CHECK(fine->commands.build == many_dots);
  // A multi-line string may end in quotes; the dots after it still count.
  CHECK(parse_error(img + "x = [\"\"\"q\"\"\"\"\", {" + dotted + " = 1}]\n")
            .starts_with("driftlock.toml:2:"));

  // Every key given every type of value.
  const std::vector<std::string> keys = {"image",
                                         "snapshot",
                                         "commands.build",
                                         "commands.timeout",
                                         "commands.jobs",
                                         "commands.junit",
                                         "commands.unresolved-exit",
                                         "commands.error-exit",
                                         "policy.prereleases",
                                         "policy.min-age",
                                         "policy.as-of",
                                         "registries.npm",
                                         "registries.debian",
                                         "registries.debian.url",
                                         "registries.debian.components",
                                         "dependencies",
                                         "dependencies.npm",
                                         "dependencies.npm.chalk",
                                         "dependencies.npm.chalk.range",
                                         "dependencies.npm.chalk.hold",
                                         "dependencies.oci.base.key",
                                         "dependencies.oci.base.prereleases"};
  const std::vector<std::string> values = {"1",
                                           "-9223372036854775808",
                                           "1.5",
                                           "nan",
                                           "true",
                                           "[]",
                                           "[1, \"a\"]",
                                           "{}",
                                           "{ a = 1 }",
                                           "1979-05-27",
                                           "07:32:00",
                                           "1979-05-27T07:32:00",
                                           "1979-05-27T07:32:00Z",
                                           "\"\"",
                                           "\"\\u0000\"",
                                           "\"\xe2\x98\x83\"",
                                           "\"" + std::string(10000, 'x') + "\""};
  for (const std::string& key : keys) {
    for (const std::string& value : values) {
      std::string text = (key == "image" ? "" : img) + key + " = " + value + "\n";
      INFO(text.substr(0, 200));
      auto m = parse_manifest(text, "m.toml", kEcosystems);
      if (!m) CHECK(m.error().location);
    }
  }

  // Random byte mutations of the full example.
  const std::string base = read_text(kContract);
  std::mt19937 random(20261125);
  const std::string alphabet = std::string("\"'[]{}=.,#\n\\ aZ09-") + '\0' + "\xff\xc3";
  for (int round = 0; round < 2000; ++round) {
    std::string text = base;
    for (int edits = 1 + static_cast<int>(random() % 4); edits > 0; --edits) {
      std::size_t at = random() % text.size();
      char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0:
          text[at] = c;
          break;
        case 1:
          text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          text.erase(at, 1 + random() % 8);
          break;
      }
    }
    auto m = parse_manifest(text, "m.toml", kEcosystems);
    if (!m) {
      INFO(text);
      REQUIRE(m.error().location);
    }
  }
}
