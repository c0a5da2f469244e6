#include "core/manifest_edit.hpp"

#include <catch2/catch.hpp>

#include "ecosystems/registry.hpp"

using namespace driftlock;

namespace {

// The real schemes: the edits are about npm ranges, PEP 440 and image tags.
EcosystemTable table() {
  return ecosystems::all();
}

const std::string kTop = "image = \"example\"\n\n";

Result<std::string> pin(std::string_view text, const std::string& ecosystem,
                        const std::string& name, std::string_view version) {
  auto manifest = parse_manifest(text, "driftlock.toml", table());
  if (!manifest) return std::unexpected(manifest.error());
  auto spec = find_dependency(*manifest, {ecosystem, name}, table());
  if (!spec) return std::unexpected(spec.error());
  auto hold = pin_version(**spec, version, table());
  if (!hold) return std::unexpected(hold.error());
  return set_hold(text, *manifest, **spec, *hold, table());
}

Result<std::string> unpin(std::string_view text, const std::string& ecosystem,
                          const std::string& name) {
  auto manifest = parse_manifest(text, "driftlock.toml", table());
  if (!manifest) return std::unexpected(manifest.error());
  auto spec = find_dependency(*manifest, {ecosystem, name}, table());
  if (!spec) return std::unexpected(spec.error());
  return remove_hold(text, *manifest, **spec, table());
}

std::string message(const Result<std::string>& r) {
  return r ? std::string("(no error)") : r.error().message;
}

struct EditCase {
  std::string what;
  std::string before;  // after kTop
  std::string ecosystem, name, version;
  std::string after;
};

}  // namespace

TEST_CASE("pin arguments split at the first ':' and the last '='", "[core][manifest_edit]") {
  struct Case {
    std::string argument, ecosystem, name, version;
  };
  const std::vector<Case> cases = {
      {"npm:chalk=4.1.2", "npm", "chalk", "4.1.2"},
      {"npm:@babel/core=7.24.0", "npm", "@babel/core", "7.24.0"},
      {"oci:127.0.0.1:5000/base=stable", "oci", "127.0.0.1:5000/base", "stable"},
      {"pypi:tox=4.0.0rc1", "pypi", "tox", "4.0.0rc1"},
      {"debian:libc6=2.36-9+deb12u4", "debian", "libc6", "2.36-9+deb12u4"},
  };
  for (const Case& c : cases) {
    INFO(c.argument);
    auto r = parse_pin_argument(c.argument);
    REQUIRE(r);
    CHECK(r->dependency.ecosystem == c.ecosystem);
    CHECK(r->dependency.name == c.name);
    CHECK(r->version == c.version);
  }
  for (std::string bad :
       {"chalk", "npm:chalk", "chalk=4", ":chalk=4", "npm:=4", "npm:chalk=", "npm=chalk:4", ""}) {
    INFO(bad);
    auto r = parse_pin_argument(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::usage);
    CHECK(r.error().message ==
          "pin: expected ECO:NAME=VERSION (e.g. npm:chalk=4.1.2), not '" + bad + "'");
  }
}

TEST_CASE("unpin arguments name a dependency without a version", "[core][manifest_edit]") {
  auto oci = parse_unpin_argument("oci:127.0.0.1:5000/base");
  REQUIRE(oci);
  CHECK(oci->ecosystem == "oci");
  CHECK(oci->name == "127.0.0.1:5000/base");
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"chalk", "unpin: expected ECO:NAME (e.g. npm:chalk), not 'chalk'"},
      {":chalk", "unpin: expected ECO:NAME (e.g. npm:chalk), not ':chalk'"},
      {"npm:", "unpin: expected ECO:NAME (e.g. npm:chalk), not 'npm:'"},
      {"npm:chalk=4.1.2", "unpin: expected ECO:NAME without a version, not 'npm:chalk=4.1.2'"},
  };
  for (const auto& [argument, text] : bad) {
    INFO(argument);
    auto r = parse_unpin_argument(argument);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::usage);
    CHECK(r.error().message == text);
  }
}

TEST_CASE("find_dependency suggests what was meant", "[core][manifest_edit]") {
  auto manifest = parse_manifest(kTop +
                                     "[dependencies.npm]\nchalk = \"^4\"\nlodash = \"^4\"\n"
                                     "[dependencies.pypi]\n\"zope.interface\" = \"*\"\n",
                                 "driftlock.toml", table());
  REQUIRE(manifest);
  auto found = find_dependency(*manifest, {"npm", "lodash"}, table());
  REQUIRE(found);
  CHECK((*found)->name == "lodash");
  struct Case {
    DependencyRef ref;
    ErrorKind kind;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"npm", "chalkk"},
       ErrorKind::input,
       "driftlock.toml has no npm dependency 'chalkk' (did you mean 'chalk'?)"},
      {{"npm", "react"},
       ErrorKind::input,
       "driftlock.toml has no npm dependency 'react' (add it to [dependencies.npm] first)"},
      {{"npm", "LoDash"},
       ErrorKind::input,
       "driftlock.toml has no npm dependency 'LoDash' (did you mean 'lodash'?)"},
      {{"pypi", "Zope_Interface"},
       ErrorKind::input,
       "driftlock.toml has no pypi dependency 'Zope_Interface' (did you mean 'zope.interface'?)"},
      {{"npm", "a\nb"},
       ErrorKind::input,
       "driftlock.toml has no npm dependency 'a\\nb' (add it to [dependencies.npm] first)"},
      {{"pypi", "chalk"},
       ErrorKind::input,
       "driftlock.toml has no pypi dependency 'chalk' (add it to [dependencies.pypi] first)"},
      {{"debian", "chalk"},
       ErrorKind::input,
       "driftlock.toml has no debian dependency 'chalk' (add it to [dependencies.debian] first)"},
      {{"nmp", "chalk"}, ErrorKind::usage, "unknown ecosystem 'nmp' (did you mean 'npm'?)"},
      {{"cargo", "serde"},
       ErrorKind::usage,
       "unknown ecosystem 'cargo' (expected one of: debian, npm, oci, pypi)"},
  };
  for (const Case& c : cases) {
    INFO(c.ref.ecosystem << ":" << c.ref.name);
    auto r = find_dependency(*manifest, c.ref, table());
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == c.kind);
    CHECK(r.error().message == c.message);
  }
}

TEST_CASE("pin_version normalises and keeps to the range", "[core][manifest_edit]") {
  auto manifest = parse_manifest(kTop +
                                     "[dependencies.npm]\nchalk = \"^4\"\n"
                                     "[dependencies.pypi]\ntox = \"~=4.0\"\n",
                                 "driftlock.toml", table());
  REQUIRE(manifest);
  const DependencySpec& chalk = **find_dependency(*manifest, {"npm", "chalk"}, table());
  const DependencySpec& tox = **find_dependency(*manifest, {"pypi", "tox"}, table());
  struct Case {
    const DependencySpec* spec;
    std::string version, expected;
  };
  const std::vector<Case> ok = {
      {&chalk, "4.1.2", "4.1.2"},
      {&chalk, "4.2.0-rc.1", "4.2.0-rc.1"},  // a hold may be a
                                             // pre-release
      {&tox, "4.11.3", "4.11.3"},
      {&tox, "4.11.0RC1", "4.11.0rc1"},
      {&tox, "4.2", "4.2"},
  };
  for (const Case& c : ok) {
    INFO(c.version);
    auto r = pin_version(*c.spec, c.version, table());
    INFO((r ? "" : r.error().message));
    REQUIRE(r);
    CHECK(*r == c.expected);
  }
  const std::vector<Case> bad = {
      {&chalk, "5.3.0",
       "cannot pin npm chalk at 5.3.0: outside its range '^4' (widen the range "
       "first)"},
      {&tox, "3.28.0",
       "cannot pin pypi tox at 3.28.0: outside its range '~=4.0' (widen the "
       "range first)"},
  };
  for (const Case& c : bad) {
    INFO(c.version);
    auto r = pin_version(*c.spec, c.version, table());
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::input);
    CHECK(r.error().message == c.expected);
  }
  auto invalid = pin_version(chalk, "four", table());
  REQUIRE_FALSE(invalid);
  CHECK(invalid.error().message.starts_with("cannot pin npm chalk: "));
  CHECK(invalid.error().message.find("four") != std::string::npos);
}

TEST_CASE("pin rewrites only the dependency's value", "[core][manifest_edit]") {
  const std::vector<EditCase> cases = {
      {"a range string", "[dependencies.npm]\nchalk = \"^4\"\nlodash = \"^4\"\n", "npm", "chalk",
       "4.1.2",
       "[dependencies.npm]\nchalk = { range = \"^4\", hold = \"4.1.2\" }\nlodash = \"^4\"\n"},
      {"a comment after the value", "[dependencies.npm]\nchalk  = \"^4\"   # stay on 4.x: ESM\n",
       "npm", "chalk", "4.1.2",
       "[dependencies.npm]\nchalk  = { range = \"^4\", hold = \"4.1.2\" }   # stay on 4.x: ESM\n"},
      {"no spaces", "[dependencies.npm]\nchalk=\"^4\"#x\n", "npm", "chalk", "4.1.2",
       "[dependencies.npm]\nchalk={ range = \"^4\", hold = \"4.1.2\" }#x\n"},
      {"tabs and indentation", "[dependencies.npm]\n\tchalk\t=\t\"^4\"\n", "npm", "chalk", "4.1.2",
       "[dependencies.npm]\n\tchalk\t=\t{ range = \"^4\", hold = \"4.1.2\" }\n"},
      {"a literal string keeps its quotes", "[dependencies.npm]\nchalk = '^4'\n", "npm", "chalk",
       "4.1.2", "[dependencies.npm]\nchalk = { range = '^4', hold = \"4.1.2\" }\n"},
      {"CRLF line breaks", "[dependencies.npm]\r\nchalk = \"^4\" # c\r\nlodash = \"^4\"\r\n", "npm",
       "chalk", "4.1.2",
       "[dependencies.npm]\r\nchalk = { range = \"^4\", hold = \"4.1.2\" } # c\r\nlodash = "
       "\"^4\"\r\n"},
      {"no line break at the end", "[dependencies.npm]\nchalk = \"^4\"", "npm", "chalk", "4.1.2",
       "[dependencies.npm]\nchalk = { range = \"^4\", hold = \"4.1.2\" }"},
      {"a quoted name", "[dependencies.npm]\n\"@babel/core\" = \"*\" # compiler\n", "npm",
       "@babel/core", "7.24.0",
       "[dependencies.npm]\n\"@babel/core\" = { range = \"*\", hold = \"7.24.0\" } # compiler\n"},
      {"a name quoted with escapes", "[dependencies.npm]\n\"\\u0040babel/core\" = \"*\"\n", "npm",
       "@babel/core", "7.24.0",
       "[dependencies.npm]\n\"\\u0040babel/core\" = { range = \"*\", hold = \"7.24.0\" }\n"},
      {"a literal-quoted name", "[dependencies.npm]\n'@babel/core' = \"*\"\n", "npm", "@babel/core",
       "7.24.0", "[dependencies.npm]\n'@babel/core' = { range = \"*\", hold = \"7.24.0\" }\n"},
      {"an image reference", "[dependencies.oci]\n\"127.0.0.1:5000/base\" = \"stable\"\n", "oci",
       "127.0.0.1:5000/base", "stable",
       "[dependencies.oci]\n\"127.0.0.1:5000/base\" = { range = \"stable\", hold = \"stable\" }\n"},
      {"an inline table gets a hold", "[dependencies.npm]\nchalk = { range = \"^4\" } # why\n",
       "npm", "chalk", "4.1.2",
       "[dependencies.npm]\nchalk = { range = \"^4\", hold = \"4.1.2\" } # why\n"},
      {"an inline table's spacing is copied", "[dependencies.npm]\nchalk = {range=\"^4\"}\n", "npm",
       "chalk", "4.1.2", "[dependencies.npm]\nchalk = {range=\"^4\", hold=\"4.1.2\"}\n"},
      {"an existing hold is replaced",
       "[dependencies.npm]\nchalk = { range = \"^4\", hold = \"4.0.0\", prereleases = true }\n",
       "npm", "chalk", "4.1.2",
       "[dependencies.npm]\nchalk = { range = \"^4\", hold = \"4.1.2\", prereleases = true }\n"},
      {"a hold written first and literal",
       "[dependencies.npm]\nchalk = { hold = '4.0.0', range = \"^4\" }\n", "npm", "chalk", "4.1.2",
       "[dependencies.npm]\nchalk = { hold = \"4.1.2\", range = \"^4\" }\n"},
      {"a pre-release hold",
       "[dependencies.npm]\nchalk = { range = \"^4\", prereleases = false }\n", "npm", "chalk",
       "4.2.0-rc.1",
       "[dependencies.npm]\nchalk = { range = \"^4\", prereleases = false, hold = \"4.2.0-rc.1\" "
       "}\n"},
      {"an empty inline table", "[dependencies.npm]\nchalk = {}\n", "npm", "chalk", "4.1.2",
       "[dependencies.npm]\nchalk = { hold = \"4.1.2\" }\n"},
      {"an oci table with a key",
       "[dependencies.oci]\n\"127.0.0.1:5000/base\" = { range = \"stable\", key = \"BASE\" }\n",
       "oci", "127.0.0.1:5000/base", "stable",
       "[dependencies.oci]\n\"127.0.0.1:5000/base\" = { range = \"stable\", key = \"BASE\", hold = "
       "\"stable\" }\n"},
      {"the normalised version is stored", "[dependencies.pypi]\ntox = \"~=4.0\"\n", "pypi", "tox",
       "4.11.0RC1", "[dependencies.pypi]\ntox = { range = \"~=4.0\", hold = \"4.11.0rc1\" }\n"},
      {"a dotted key under [dependencies]", "[dependencies]\nnpm.chalk = \"^4\" # c\n", "npm",
       "chalk", "4.1.2", "[dependencies]\nnpm.chalk = { range = \"^4\", hold = \"4.1.2\" } # c\n"},
      {"a nested inline table", "[dependencies]\nnpm = { lodash = \"^4\", chalk = \"^4\" }\n",
       "npm", "chalk", "4.1.2",
       "[dependencies]\nnpm = { lodash = \"^4\", chalk = { range = \"^4\", hold = \"4.1.2\" } }\n"},
      {"a table of its own",
       "[dependencies.npm.chalk]\nrange = \"^4\" # 5 is ESM-only\n\n# pypi next\n[dependencies."
       "pypi]\ntox = \"*\"\n",
       "npm", "chalk", "4.1.2",
       "[dependencies.npm.chalk]\nrange = \"^4\" # 5 is ESM-only\nhold = \"4.1.2\"\n\n# pypi "
       "next\n[dependencies.pypi]\ntox = \"*\"\n"},
      {"a table of its own, indented and CRLF",
       "[dependencies.npm.chalk] # c\r\n  range=\"^4\"\r\n  prereleases=true\r\n", "npm", "chalk",
       "4.1.2",
       "[dependencies.npm.chalk] # c\r\n  range=\"^4\"\r\n  prereleases=true\r\n  "
       "hold=\"4.1.2\"\r\n"},
      {"a table of its own with a hold",
       "[dependencies.npm.chalk]\nhold = \"4.0.0\"   # old\nrange = \"^4\"\n", "npm", "chalk",
       "4.1.2", "[dependencies.npm.chalk]\nhold = \"4.1.2\"   # old\nrange = \"^4\"\n"},
      {"an empty table at the end", "[dependencies.npm.chalk]", "npm", "chalk", "4.1.2",
       "[dependencies.npm.chalk]\nhold = \"4.1.2\""},
      {"an empty table before another",
       "[dependencies.npm.chalk]\n[dependencies.npm.lodash]\nrange = \"^4\"\n", "npm", "chalk",
       "4.1.2",
       "[dependencies.npm.chalk]\nhold = \"4.1.2\"\n[dependencies.npm.lodash]\nrange = \"^4\"\n"},
      {"a quoted table header", "[dependencies.oci.\"127.0.0.1:5000/base\"]\nrange = \"stable\"",
       "oci", "127.0.0.1:5000/base", "stable",
       "[dependencies.oci.\"127.0.0.1:5000/base\"]\nrange = \"stable\"\nhold = \"stable\""},
  };
  for (const EditCase& c : cases) {
    INFO(c.what);
    auto r = pin(kTop + c.before, c.ecosystem, c.name, c.version);
    INFO(message(r));
    REQUIRE(r);
    CHECK(*r == kTop + c.after);
  }
}

TEST_CASE("pin ignores look-alikes in comments and strings", "[core][manifest_edit]") {
  const std::string text = kTop +
                           "[commands]\n"
                           "build = \"\"\"\n[dependencies.npm]\nchalk = \"^4\"\n\"\"\"\n"
                           "test = 'chalk = \"^4\"' # chalk = \"^4\"\n"
                           "[dependencies.npm]\n"
                           "# chalk = \"^3\"\n"
                           "chalk = \"^4\" # { hold = \"1\" }\n";
  auto r = pin(text, "npm", "chalk", "4.1.2");
  INFO(message(r));
  REQUIRE(r);
  CHECK(*r == kTop +
                  "[commands]\n"
                  "build = \"\"\"\n[dependencies.npm]\nchalk = \"^4\"\n\"\"\"\n"
                  "test = 'chalk = \"^4\"' # chalk = \"^4\"\n"
                  "[dependencies.npm]\n"
                  "# chalk = \"^3\"\n"
                  "chalk = { range = \"^4\", hold = \"4.1.2\" } # { hold = \"1\" }\n");
}

TEST_CASE("unpin removes the hold and nothing else", "[core][manifest_edit]") {
  const std::vector<EditCase> cases = {
      {"range and hold go back to a string",
       "[dependencies.npm]\nchalk = { range = \"^4\", hold = \"4.1.2\" }   # why\n", "npm", "chalk",
       "", "[dependencies.npm]\nchalk = \"^4\"   # why\n"},
      {"hold first, literal range", "[dependencies.npm]\nchalk = {hold='4.1.2',range='^4'}\n",
       "npm", "chalk", "", "[dependencies.npm]\nchalk = '^4'\n"},
      {"other keys stay in the table",
       "[dependencies.npm]\nchalk = { range = \"^4\", hold = \"4.1.2\", prereleases = true }\n",
       "npm", "chalk", "", "[dependencies.npm]\nchalk = { range = \"^4\", prereleases = true }\n"},
      {"a hold first among others",
       "[dependencies.npm]\nchalk = { hold = \"4.1.2\", range = \"^4\", prereleases = true }\n",
       "npm", "chalk", "", "[dependencies.npm]\nchalk = { range = \"^4\", prereleases = true }\n"},
      {"a hold alone", "[dependencies.npm]\nchalk = { hold = \"4.1.2\" }\n", "npm", "chalk", "",
       "[dependencies.npm]\nchalk = {}\n"},
      {"an oci key stays",
       "[dependencies.oci]\n\"127.0.0.1:5000/base\" = { range = \"stable\", key = \"BASE\", hold = "
       "\"stable\" }\r\n",
       "oci", "127.0.0.1:5000/base", "",
       "[dependencies.oci]\n\"127.0.0.1:5000/base\" = { range = \"stable\", key = \"BASE\" }\r\n"},
      {"a table of its own loses the hold line",
       "[dependencies.npm.chalk]\r\nrange = \"^4\"\r\n  hold = \"4.1.2\" # pinned\r\n\r\n"
       "[dependencies.pypi]\r\ntox = \"*\"\r\n",
       "npm", "chalk", "",
       "[dependencies.npm.chalk]\r\nrange = \"^4\"\r\n\r\n[dependencies.pypi]\r\ntox = \"*\"\r\n"},
      {"a hold on the last line", "[dependencies.npm.chalk]\nrange = \"^4\"\nhold = \"4.1.2\"",
       "npm", "chalk", "", "[dependencies.npm.chalk]\nrange = \"^4\"\n"},
      {"no hold: unchanged", "[dependencies.npm]\nchalk = { range = \"^4\" }\n", "npm", "chalk", "",
       "[dependencies.npm]\nchalk = { range = \"^4\" }\n"},
  };
  for (const EditCase& c : cases) {
    INFO(c.what);
    auto r = unpin(kTop + c.before, c.ecosystem, c.name);
    INFO(message(r));
    REQUIRE(r);
    CHECK(*r == kTop + c.after);
  }
}

TEST_CASE("unpin undoes pin", "[core][manifest_edit]") {
  const std::vector<std::string> texts = {
      "[dependencies.npm]\nchalk = \"^4\" # c\n",
      "[dependencies.npm]\r\nchalk='^4'\r\n",
      "[dependencies.npm]\nchalk = { range = \"^4\", prereleases = true }\n",
      "[dependencies.npm.chalk]\nrange = \"^4\"\n\n[dependencies.pypi]\ntox = \"*\"\n",
      "[dependencies.oci]\n\"127.0.0.1:5000/base\" = \"stable\"\n",
  };
  for (const std::string& before : texts) {
    INFO(before);
    const bool oci = before.find("oci") != std::string::npos;
    auto pinned = oci ? pin(kTop + before, "oci", "127.0.0.1:5000/base", "stable")
                      : pin(kTop + before, "npm", "chalk", "4.1.2");
    INFO(message(pinned));
    REQUIRE(pinned);
    CHECK(*pinned != kTop + before);
    auto unpinned =
        oci ? unpin(*pinned, "oci", "127.0.0.1:5000/base") : unpin(*pinned, "npm", "chalk");
    INFO(message(unpinned));
    REQUIRE(unpinned);
    CHECK(*unpinned == kTop + before);
  }
}

TEST_CASE("dotted dependency keys are refused with a way out", "[core][manifest_edit]") {
  const std::string text =
      kTop + "[dependencies.npm]\nchalk.range = \"^4\"\nchalk.hold = \"4.0.0\"\n";
  for (bool pinning : {true, false}) {
    auto r = pinning ? pin(text, "npm", "chalk", "4.1.2") : unpin(text, "npm", "chalk");
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::input);
    CHECK(r.error().message ==
          "cannot edit [dependencies.npm] chalk: it is written with dotted keys (chalk.range = "
          "...); write it as chalk = { range = ... } to pin or unpin it");
    REQUIRE(r.error().location);
    CHECK(r.error().location->line == 4);
    CHECK(r.error().location->line_text == "chalk.range = \"^4\"");
  }
}

TEST_CASE("an edit that would not read back as asked is refused", "[core][manifest_edit]") {
  // The Manifest handed in does not match the text: the re-parse notices.
  auto manifest = parse_manifest(kTop + "[dependencies.npm]\nchalk = \"^4\"\nlodash = \"^4\"\n",
                                 "driftlock.toml", table());
  REQUIRE(manifest);
  const DependencySpec& chalk = **find_dependency(*manifest, {"npm", "chalk"}, table());

  auto unparsable = set_hold(kTop + "[dependencies.npm]\nchalk = \"^3\"\nlodash = \"^4\"\n",
                             *manifest, chalk, "4.1.2", table());
  REQUIRE_FALSE(unparsable);
  CHECK(unparsable.error().message ==
        "cannot edit [dependencies.npm] chalk: the edited manifest would not parse (line 4: "
        "[dependencies.npm] chalk: hold 4.1.2 is outside the range '^3' (widen the range or change "
        "the hold)); driftlock.toml is left unchanged: edit it by hand");

  auto different = set_hold(kTop + "[dependencies.npm]\nchalk = \"^4\"\nlodash = \"^3\"\n",
                            *manifest, chalk, "4.1.2", table());
  REQUIRE_FALSE(different);
  CHECK(different.error().message ==
        "cannot edit [dependencies.npm] chalk: the edited manifest would not say what was asked; "
        "driftlock.toml is left unchanged: edit it by hand");

  auto moved = set_hold(kTop + "\n[dependencies.npm]\nchalk = \"^4\"\nlodash = \"^4\"\n", *manifest,
                        chalk, "4.1.2", table());
  REQUIRE_FALSE(moved);
  CHECK(moved.error().message ==
        "cannot edit [dependencies.npm] chalk: its name was not found where the manifest parser "
        "saw it");
}
