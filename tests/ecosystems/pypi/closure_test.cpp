#include "ecosystems/pypi/closure.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "ecosystems/pypi/name.hpp"
#include "ecosystems/pypi/version.hpp"
#include "ecosystems/registry.hpp"
#include "support/text_files.hpp"

using namespace driftlock;
using driftlock::testing::read_text;
namespace pypi = driftlock::ecosystems::pypi;

namespace {

std::string fixture(const std::string& name) {
  const std::string text = read_text(std::filesystem::path(DRIFTLOCK_TEST_DATA) / "closure" / name);
  REQUIRE_FALSE(text.empty());
  return text;
}

const ClosurePackage* find(const ClosureListing& listing, std::string_view name) {
  for (const ClosurePackage& p : listing.packages) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("pypi closure: pip freeze and pip list of one environment agree", "[pypi][closure]") {
  auto freeze = pypi::parse_closure(fixture("pip_freeze.txt"));
  REQUIRE(freeze);
  auto list = pypi::parse_closure(fixture("pip_list.json"));
  REQUIRE(list);
  CHECK(freeze->packages.size() == 92);
  CHECK(freeze->skipped.empty());
  CHECK(list->skipped.empty());
  // pip freeze leaves pip's own tools out; pip list does not.
  std::vector<ClosurePackage> listed = list->packages;
  std::erase_if(listed,
                [](const ClosurePackage& p) { return p.name == "pip" || p.name == "setuptools"; });
  CHECK(listed == freeze->packages);
  CHECK(list->packages.size() == 94);
  // Spelt as pip prints them, sorted byte-wise (as snapshots sort), no via.
  REQUIRE(find(*freeze, "mypy_extensions"));
  CHECK(*find(*freeze, "Flask") == ClosurePackage{"Flask", "3.1.3", {}});
  CHECK(freeze->packages.front().name == "Flask");
  CHECK(std::is_sorted(freeze->packages.begin(), freeze->packages.end(),
                       [](const auto& a, const auto& b) { return a.name < b.name; }));
}

TEST_CASE("pypi closure: pip inspect says who requires what", "[pypi][closure]") {
  auto listing = pypi::parse_closure(fixture("pip_inspect.json"));
  REQUIRE(listing);
  const std::vector<ClosurePackage> expected = {
      {"Flask", "3.1.3", {}},
      {"Jinja2", "3.1.6", {"Flask"}},
      {"MarkupSafe", "3.0.3", {"Flask", "Jinja2", "Werkzeug"}},
      {"Werkzeug", "3.1.8", {"Flask"}},
      {"attrs", "26.1.0", {"jsonschema", "referencing"}},
      {"blinker", "1.9.0", {"Flask"}},
      {"click", "8.4.0", {"Flask"}},
      {"itsdangerous", "2.2.0", {"Flask"}},
      {"jsonschema", "4.26.0", {}},
      {"jsonschema-specifications", "2025.9.1", {"jsonschema"}},
      {"mypy_extensions", "1.1.0", {}},
      {"referencing", "0.37.0", {"jsonschema", "jsonschema-specifications"}},
      {"rpds-py", "0.30.0", {"jsonschema", "referencing"}},
      {"typing_extensions", "4.15.0", {"referencing"}},
  };
  CHECK(listing->packages == expected);
  CHECK(listing->skipped == std::vector<std::string>{"localtool @ file:///tmp/cl-pkgs/localtool",
                                                     "-e file:///tmp/cl-pkgs/edittool"});
}

TEST_CASE("pypi closure: local and editable installs are skipped", "[pypi][closure]") {
  auto freeze = pypi::parse_closure(fixture("pip_freeze_local.txt"));
  REQUIRE(freeze);
  CHECK(freeze->packages.empty());
  CHECK(freeze->skipped == std::vector<std::string>{"-e /tmp/cl-pkgs/edittool",
                                                    "localtool @ file:///tmp/cl-pkgs/localtool"});
  // pip list cannot tell a folder install from a registry one.
  auto list = pypi::parse_closure(fixture("pip_list_local.json"));
  REQUIRE(list);
  CHECK(list->packages == std::vector<ClosurePackage>{{"localtool", "0.1.0", {}},
                                                      {"pip", "23.2.1", {}},
                                                      {"setuptools", "65.5.0", {}}});
  CHECK(list->skipped == std::vector<std::string>{"-e /tmp/cl-pkgs/edittool"});
}

TEST_CASE("pypi closure: small listings", "[pypi][closure]") {
  struct Case {
    std::string listing;
    ClosureListing expected;
  };
  const std::vector<Case> cases = {
      {"", {}},
      {"\n  \n# only comments\n", {}},
      {"[]", {}},
      {"  \n[]", {}},
      {R"({"version": "1", "installed": []})", {}},
      {"b==2.0\r\na==1.0  # pinned by hand\n\n-i https://index.example/simple\n"
       "--extra-index-url https://other.example\n",
       {{{"a", "1.0", {}}, {"b", "2.0", {}}}, {}}},
      // Two spellings of one name are one package.
      {"Foo.Bar==1.0\nfoo_bar==1.0\n", {{{"Foo.Bar", "1.0", {}}}, {}}},
      {"-e git+https://git.example/x.git@abc#egg=x\n--editable ./y\nz @ "
       "https://files.example/z.whl\n"
       "legacy===2004d\nw@ file:///w\n",
       {{},
        {"-e git+https://git.example/x.git@abc#egg=x", "--editable ./y",
         "z @ https://files.example/z.whl", "legacy===2004d", "w@ file:///w"}}},
      {R"([{"name": "B", "version": "1.0"}, {"name": "a", "version": "2.0", "location": "/x"}])",
       {{{"B", "1.0", {}}, {"a", "2.0", {}}}, {}}},
      // Markers and extras are ignored; only installed packages are named;
      // a package requiring itself with an extra is not its own parent.
      {R"({"installed": [
          {"metadata": {"name": "top", "version": "1.0",
                        "requires_dist": ["Mid[fast] >=1; python_version < '3.13'", "absent",
                                          "top[all]; extra == 'all'", "(bad"]}},
          {"metadata": {"name": "mid", "version": "2.0", "requires_dist": ["LEAF"]}},
          {"metadata": {"name": "leaf", "version": "3.0"}}]})",
       {{{"leaf", "3.0", {"mid"}}, {"mid", "2.0", {"top"}}, {"top", "1.0", {}}}, {}}},
      // Odd direct_url shapes still skip the package.
      {R"({"installed": [
          {"metadata": {"name": "a", "version": "1"}, "direct_url": {"dir_info": {"editable": "yes"}}},
          {"metadata": {"name": "b", "version": "1"}, "direct_url": {"url": "file:///b", "dir_info": 3}}]})",
       {{}, {"a @ a direct URL", "b @ file:///b"}}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.listing);
    auto listing = pypi::parse_closure(c.listing);
    REQUIRE(listing);
    CHECK(*listing == c.expected);
  }
}

TEST_CASE("pypi closure errors name the line", "[pypi][closure][errors]") {
  const std::string bad_version = pypi::version_scheme().normalize("not-a-version").error().message;
  const std::string bad_name = pypi::validate_name("foo bar").error().message;
  struct Case {
    std::string listing;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"flask\n", "line 1: expected 'name==version', not 'flask'"},
      {"a==1.0\n\nflask>=2.0\n", "line 3: expected 'name==version', not 'flask>=2.0'"},
      {"==1.0", "line 1: expected 'name==version', not '==1.0'"},
      {"foo==", "line 1: expected 'name==version', not 'foo=='"},
      {"it's\x01", "line 1: expected 'name==version', not 'it\\x27s\\x01'"},
      {"it's==1", "line 1: " + pypi::validate_name("it's").error().message},
      {std::string(100, 'x'),
       "line 1: expected 'name==version', not '" + std::string(80, 'x') + "...'"},
      {"foo bar==1.0", "line 1: " + bad_name},
      {"# x\nfoo==not-a-version", "line 2: foo: " + bad_version},
      {"Foo==1.0\nfoo==2.0\n", "line 2: foo 2.0 conflicts with Foo 1.0 at line 1"},
      {"[{\"name\": \"a\"}]", "line 1: missing 'version'"},
      {"[\n  {\"name\": \"a\", \"version\": 1}]",
       "line 2: expected a string for 'version', found an integer"},
      {"[42]", "line 1: expected an object for a package, found an integer"},
      {"[{\"name\": \"a\", \"version\": \"1\"},\n {\"name\": \"A\", \"version\": \"2\"}]",
       "line 2: A 2 conflicts with a 1 at line 1"},
      {"[{\"name\": \"a\",",
       "line 1: invalid JSON: syntax error while parsing object key - unexpected end of input; "
       "expected string literal"},
      {R"({"version": "1"})", "line 1: expected pip inspect's 'installed' array"},
      {R"({"installed": {}})", "line 1: expected an array for 'installed', found an object"},
      {"{\"installed\": [\n{\"metadata\": {\"name\": \"a\"}}]}", "line 2: missing 'version'"},
      {"{\"installed\": [\n{\"name\": \"a\"}]}", "line 2: missing 'metadata'"},
      {"{\"installed\": [{\"metadata\": {\"name\": \"a\", \"version\": \"1\",\n"
       "\"requires_dist\": [\"b\", 3]}}]}",
       "line 2: expected a string in 'requires_dist', found an integer"},
      {std::string(600, '{'), "line 1: JSON nested deeper than 512 levels"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.listing);
    auto listing = pypi::parse_closure(c.listing);
    REQUIRE_FALSE(listing);
    CHECK(listing.error().kind == ErrorKind::input);
    CHECK(listing.error().message == c.message);
  }
}

TEST_CASE("pypi's table entry reads pip's listings", "[pypi][closure]") {
  const Ecosystem* entry = find_ecosystem(ecosystems::all(), "pypi");
  REQUIRE(entry);
  CHECK(entry->parse_closure == &pypi::parse_closure);
}

TEST_CASE("pypi closure: a cut listing is an error, never a crash", "[pypi][closure]") {
  for (const char* file : {"pip_inspect.json", "pip_list.json", "pip_freeze.txt"}) {
    const std::string text = fixture(file);
    for (std::size_t n = 0; n < text.size(); n += 5) {
      auto listing = pypi::parse_closure(text.substr(0, n));
      if (!listing) CHECK(listing.error().message.starts_with("line "));
    }
  }
}
