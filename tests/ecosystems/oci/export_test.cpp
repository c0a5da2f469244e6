#include "ecosystems/oci/export.hpp"

#include <catch2/catch.hpp>

#include "ecosystems/oci/name.hpp"

using namespace driftlock;
using driftlock::ecosystems::oci::exporter;

namespace {

const std::string kDigestA = "sha256:" + std::string(64, 'a');
const std::string kDigestB = "sha256:" + std::string(64, 'b');

Dependency image(std::string name, std::string tag, std::optional<std::string> digest) {
  return Dependency{"oci", std::move(name), std::move(tag), std::move(digest), std::nullopt};
}

// The ecosystem's own message, or a marker that fails the test if it accepts the name.
std::string name_error(std::string_view name) {
  auto r = ecosystems::oci::validate_name(name);
  return r ? "(accepted)" : r.error().message;
}

}  // namespace

TEST_CASE("oci export: KEY=name@digest lines sorted by key", "[oci][export]") {
  const std::vector<Dependency> deps = {
      image("127.0.0.1:5000/base", "stable", kDigestA),
      image("registry.example/team/python", "3.12-slim", kDigestB)};
  ExportOptions options;
  options.oci_keys["registry.example/team/python"] = "ALPHA_PY";
  CHECK(exporter().file_name() == "oci.env");
  REQUIRE(exporter().also_written_as().size() == 1);
  CHECK(exporter().also_written_as()[0] == "build-args.env");
  auto text = exporter().render(deps, options);
  REQUIRE(text);
  CHECK(*text == "ALPHA_PY=registry.example/team/python@" + kDigestB + "\n" +
                     "BASE=127.0.0.1:5000/base@" + kDigestA + "\n");
  auto empty = exporter().render({}, options);
  REQUIRE(empty);
  CHECK(*empty == "");

  auto variables = exporter().variables(deps, options);
  REQUIRE(variables);
  CHECK(*variables == std::vector<ExportVariable>{
                          {"DRIFTLOCK_OCI_ALPHA_PY", "registry.example/team/python@" + kDigestB},
                          {"DRIFTLOCK_OCI_BASE", "127.0.0.1:5000/base@" + kDigestA}});
}

TEST_CASE("oci export needs a digest and a key of its own per image", "[oci][export]") {
  const std::string sha512 = "sha512:" + std::string(128, '0');
  auto ok = exporter().render(std::vector<Dependency>{image("base", "1", sha512)}, {});
  REQUIRE(ok);
  CHECK(*ok == "BASE=base@" + sha512 + "\n");

  ExportOptions bad_key;
  bad_key.oci_keys["base"] = "lower";
  struct Case {
    std::vector<Dependency> deps;
    ExportOptions options;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{image("127.0.0.1:5000/base", "stable", std::nullopt)},
       {},
       "cannot export oci dependency '127.0.0.1:5000/base': no digest (an image is exported as "
       "name@sha256:digest)"},
      {{image("base", "stable", "sha256:abc")},
       {},
       "cannot export oci dependency 'base': digest 'sha256:abc' is not sha256:<64 hex digits> "
       "or sha512:<128 hex digits>"},
      {{image("base", "stable", "sha256:" + std::string(64, 'A'))},
       {},
       "cannot export oci dependency 'base': digest 'sha256:" + std::string(64, 'A') +
           "' is not sha256:<64 hex digits> or sha512:<128 hex digits>"},
      {{image("base", "stable", kDigestA)},
       bad_key,
       "cannot export oci dependency 'base': env key 'lower' must match [A-Z_][A-Z0-9_]*"},
      {{image("a.example/base", "1", kDigestA), image("b.example/base", "1", kDigestB)},
       {},
       "oci dependencies 'a.example/base' and 'b.example/base' both use the env key BASE; set "
       "key = \"...\" for one of them in the manifest"},
      {{image("Base", "1", kDigestA)},
       {},
       "cannot export oci dependency 'Base': " + name_error("Base")},
      {{image("base", "1 x", kDigestA)},
       {},
       "cannot export oci dependency 'base': version '1 x' contains ' ' (only letters, digits "
       "and . _ - + : ~ @ / ! are exported)"},
  };
  for (const Case& c : cases) {
    INFO(c.message);
    auto text = exporter().render(c.deps, c.options);
    REQUIRE(!text);
    CHECK(text.error().kind == ErrorKind::input);
    CHECK(text.error().message == c.message);
    auto variables = exporter().variables(c.deps, c.options);
    REQUIRE(!variables);
    CHECK(variables.error().message == c.message);
  }
}
