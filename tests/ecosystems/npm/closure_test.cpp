#include "ecosystems/npm/closure.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "ecosystems/npm/version.hpp"
#include "ecosystems/registry.hpp"
#include "support/text_files.hpp"

using namespace driftlock;
using driftlock::testing::read_text;
namespace npm = driftlock::ecosystems::npm;

namespace {

std::string fixture(const std::string& name) {
  const std::string text = read_text(std::filesystem::path(DRIFTLOCK_TEST_DATA) / "closure" / name);
  REQUIRE_FALSE(text.empty());
  return text;
}

// What `npm ls --all --json` printed after `npm install chalk@4 strip-ansi@7
// wrap-ansi@7`: wrap-ansi nests an older strip-ansi (and ansi-regex) of its own.
const std::vector<ClosurePackage> kInstalled = {
    {"ansi-regex", "6.6.0", {"strip-ansi"}},
    {"ansi-styles", "4.3.0", {"chalk", "wrap-ansi"}},
    {"chalk", "4.1.2", {}},
    {"color-convert", "2.0.1", {"ansi-styles"}},
    {"color-name", "1.1.4", {"color-convert"}},
    {"emoji-regex", "8.0.0", {"string-width"}},
    {"has-flag", "4.0.0", {"supports-color"}},
    {"is-fullwidth-code-point", "3.0.0", {"string-width"}},
    {"string-width", "4.2.3", {"wrap-ansi"}},
    {"strip-ansi", "7.2.0", {"string-width", "wrap-ansi"}},
    {"supports-color", "7.2.0", {"chalk"}},
    {"wrap-ansi", "7.0.0", {}},
};

}  // namespace

TEST_CASE("npm closure: the tree flattened, shallowest copy first", "[npm][closure]") {
  for (const char* file : {"npm_ls.json", "npm_ls_long.json"}) {
    CAPTURE(file);
    auto listing = npm::parse_closure(fixture(file));
    REQUIRE(listing);
    CHECK(listing->packages == kInstalled);
    CHECK(listing->skipped.empty());
  }
}

TEST_CASE("npm closure: extraneous and invalid packages are installed", "[npm][closure]") {
  auto listing = npm::parse_closure(fixture("npm_ls_problems.json"));
  REQUIRE(listing);
  std::vector<ClosurePackage> expected = kInstalled;
  expected[7].version = "9.0.0";  // is-fullwidth-code-point, "invalid"
  expected.insert(expected.begin() + 8, ClosurePackage{"lonely", "1.0.0", {}});  // "extraneous"
  CHECK(listing->packages == expected);
}

TEST_CASE("npm closure: small trees", "[npm][closure]") {
  struct Case {
    std::string listing;
    ClosureListing expected;
  };
  const std::vector<Case> cases = {
      {"{}", {}},
      {R"({"name": "empty", "version": "1.0.0"})", {}},
      {R"({"name": "p", "dependencies": {}})", {}},
      // A package installed from a folder or git is skipped; what it needs is not.
      {R"({"dependencies": {"local": {"version": "1.0.0", "resolved": "file:../local",
           "dependencies": {"b": {"version": "2.0.0",
             "resolved": "https://registry.example/b/-/b-2.0.0.tgz"}}},
         "g": {"version": "3.0.0", "resolved": "git+ssh://git@git.example/g.git#abc"}}})",
       {{{"b", "2.0.0", {"local"}}},
        {"g@3.0.0 from git+ssh://git@git.example/g.git#abc", "local@1.0.0 from file:../local"}}},
      // The shallowest copy's version wins; every parent is named.
      {R"({"dependencies": {
           "x": {"version": "1.0.0", "dependencies": {"@s/y": {"version": "2.0.0"}}},
           "z": {"version": "1.0.0", "dependencies": {"@s/y": {"version": "2.0.0"}}},
           "a": {"version": "1.0.0", "dependencies": {
             "b": {"version": "1.0.0", "dependencies": {"@s/y": {"version": "1.0.0"}}}}},
           "@s/y": {"version": "3.0.0"}}})",
       {{{"@s/y", "3.0.0", {"b", "x", "z"}},
         {"a", "1.0.0", {}},
         {"b", "1.0.0", {"a"}},
         {"x", "1.0.0", {}},
         {"z", "1.0.0", {}}},
        {}}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.listing);
    auto listing = npm::parse_closure(c.listing);
    REQUIRE(listing);
    CHECK(*listing == c.expected);
  }
}

TEST_CASE("npm closure errors name the line", "[npm][closure][errors]") {
  struct Case {
    std::string listing;
    std::string message;
  };
  const std::vector<Case> cases = {
      {fixture("npm_ls_missing.json"), "line 34: has-flag is missing (required by supports-color)"},
      {"{\"dependencies\": {\n  \"a\": {\"required\": \"^1.0.0\", \"missing\": true}}}",
       "line 2: a is missing (required by the project)"},
      {R"({"dependencies": {"a": {}}})", "line 1: a has no version (required by the project)"},
      {"{\"dependencies\": {\"a\": {\"version\": \"1.0.0\", \"dependencies\": {\n"
       "\"b\": {\"version\": \"\"}}}}}",
       "line 2: b has no version (required by a)"},
      {R"({"dependencies": {"a": {"version": 1}}})",
       "line 1: a has no version (required by the project)"},
      {"{\"dependencies\": {\"a\": {\n\"version\": \"one\"}}}",
       "line 2: a: " + npm::version_scheme().normalize("one").error().message},
      {R"({"dependencies": {"A B": {"version": "1.0.0"}}})",
       "line 1: invalid npm package name 'A B': contains spaces"},
      {R"({"dependencies": {"a": "1.0.0"}})", "line 1: expected an object for a, found a string"},
      {R"({"dependencies": []})", "line 1: expected an object for 'dependencies', found an array"},
      {"[]", "line 1: expected the JSON object npm ls prints, found an array"},
      {"{\n  \"error\": {\"code\": \"EJSONPARSE\", \"summary\": \"Unexpected token in it's "
       "package.json\"}\n}",
       "line 2: npm ls failed: EJSONPARSE: Unexpected token in it\\x27s package.json"},
      {"{\"error\": {\"summary\": \"\"}}", "line 1: npm ls failed"},
      {"{\"error\": {\"code\": 1, \"summary\": [\"x\"]}}", "line 1: npm ls failed"},
      {"\n\n{\"dependencies\": ",
       "line 3: invalid JSON: unexpected end of input; expected '[', "
       "'{', or a literal"},
      {std::string(600, '['), "line 1: JSON nested deeper than 512 levels"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.listing);
    auto listing = npm::parse_closure(c.listing);
    REQUIRE_FALSE(listing);
    CHECK(listing.error().kind == ErrorKind::input);
    CHECK(listing.error().message == c.message);
  }
}

TEST_CASE("npm's table entry reads npm ls", "[npm][closure]") {
  const Ecosystem* entry = find_ecosystem(ecosystems::all(), "npm");
  REQUIRE(entry);
  CHECK(entry->parse_closure == &npm::parse_closure);
}

TEST_CASE("npm closure: a cut listing is an error, never a crash", "[npm][closure]") {
  const std::string text = fixture("npm_ls_long.json");
  for (std::size_t n = 0; n < text.size(); n += 7) {
    auto listing = npm::parse_closure(text.substr(0, n));
    if (!listing) CHECK(listing.error().message.starts_with("line "));
  }
}
