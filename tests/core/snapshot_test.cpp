#include "core/snapshot.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "support/fake_ecosystems.hpp"

using namespace driftlock;
using driftlock::testing::fake_ecosystems;

namespace {

// The canonical form: exactly what serialize_snapshot writes.
const std::string kCanonical = R"({
  "format": "driftlock-snapshot",
  "version": 1,
  "image": "example",
  "created": "2026-11-25T03:00:00Z",
  "dependencies": [
    {
      "ecosystem": "npm",
      "name": "chalk",
      "version": "4.1.2",
      "digest": "sha512-abc",
      "published": "2021-07-30T12:00:00Z"
    },
    {
      "ecosystem": "oci",
      "name": "127.0.0.1:5000/base",
      "version": "1",
      "digest": "sha256:0123"
    },
    {
      "ecosystem": "pypi",
      "name": "tox",
      "version": "4.11.3"
    }
  ],
  "held": [
    {
      "ecosystem": "npm",
      "name": "chalk",
      "version": "5.3.0",
      "reason": "fails test: ESM-only",
      "since": "2026-11-25T03:10:00Z"
    }
  ]
}
)";

std::string rendered_error(std::string_view text) {
  auto s = parse_snapshot(text, "s.lock.json", fake_ecosystems());
  REQUIRE_FALSE(s.has_value());
  return render(s.error());
}

}  // namespace

TEST_CASE("snapshot round-trips byte for byte", "[core][snapshot]") {
  auto s = parse_snapshot(kCanonical, "s.lock.json", fake_ecosystems());
  REQUIRE(s.has_value());
  CHECK(s->image == "example");
  CHECK(s->created == "2026-11-25T03:00:00Z");
  REQUIRE(s->dependencies.size() == 3);
  CHECK(s->dependencies[0] ==
        Dependency{"npm", "chalk", "4.1.2", "sha512-abc", "2021-07-30T12:00:00Z"});
  CHECK(s->dependencies[2].digest == std::nullopt);
  REQUIRE(s->held.size() == 1);
  CHECK(s->held[0].reason == "fails test: ESM-only");
  CHECK(serialize_snapshot(*s) == kCanonical);
}

TEST_CASE("snapshot saving sorts entries and keeps the key order", "[core][snapshot]") {
  Snapshot s;
  s.image = "img";
  s.dependencies = {{"pypi", "b", "1", std::nullopt, std::nullopt},
                    {"npm", "z", "2", std::nullopt, std::nullopt},
                    {"npm", "a", "3", "sha512-x", std::nullopt}};
  CHECK(serialize_snapshot(s) == R"({
  "format": "driftlock-snapshot",
  "version": 1,
  "image": "img",
  "dependencies": [
    {
      "ecosystem": "npm",
      "name": "a",
      "version": "3",
      "digest": "sha512-x"
    },
    {
      "ecosystem": "npm",
      "name": "z",
      "version": "2"
    },
    {
      "ecosystem": "pypi",
      "name": "b",
      "version": "1"
    }
  ],
  "held": []
}
)");
}

TEST_CASE("a snapshot without a held key saves without one", "[core][snapshot]") {
  const std::string text = R"({
  "format": "driftlock-snapshot",
  "version": 1,
  "image": "x",
  "dependencies": []
}
)";
  auto s = parse_snapshot(text, "s.lock.json", fake_ecosystems());
  REQUIRE(s.has_value());
  CHECK(serialize_snapshot(*s) == text);
}

TEST_CASE("transitive entries round-trip; direct ones keep their bytes",
          "[core][snapshot][closure]") {
  const std::string text = R"({
  "format": "driftlock-snapshot",
  "version": 1,
  "image": "x",
  "dependencies": [
    {
      "ecosystem": "npm",
      "name": "chalk",
      "version": "4.1.2",
      "digest": "sha512-abc",
      "published": "2021-07-30T12:00:00Z"
    },
    {
      "ecosystem": "npm",
      "name": "has-flag",
      "version": "4.0.0",
      "digest": "sha512-def",
      "published": "2020-01-01T00:00:00Z",
      "transitive": true
    },
    {
      "ecosystem": "pypi",
      "name": "markupsafe",
      "version": "3.0.3",
      "transitive": true
    }
  ]
}
)";
  auto s = parse_snapshot(text, "s.lock.json", fake_ecosystems());
  REQUIRE(s.has_value());
  REQUIRE(s->dependencies.size() == 3);
  CHECK_FALSE(s->dependencies[0].transitive);
  CHECK(s->dependencies[1] ==
        Dependency{"npm", "has-flag", "4.0.0", "sha512-def", "2020-01-01T00:00:00Z", true});
  CHECK(s->dependencies[2].transitive);
  CHECK(serialize_snapshot(*s) == text);

  SECTION("a snapshot without the key serialises as before") {
    auto canonical = parse_snapshot(kCanonical, "s.lock.json", fake_ecosystems());
    REQUIRE(canonical.has_value());
    for (const Dependency& d : canonical->dependencies) CHECK_FALSE(d.transitive);
    CHECK(serialize_snapshot(*canonical) == kCanonical);
  }
  SECTION("\"transitive\": false is read as direct and saved without the key") {
    const std::string with_false = R"({"format": "driftlock-snapshot", "version": 1,
      "image": "x", "dependencies": [
        {"transitive": false, "ecosystem": "npm", "name": "a", "version": "1"}]})";
    auto loaded = parse_snapshot(with_false, "s.lock.json", fake_ecosystems());
    REQUIRE(loaded.has_value());
    CHECK_FALSE(loaded->dependencies[0].transitive);
    CHECK(serialize_snapshot(*loaded) == R"({
  "format": "driftlock-snapshot",
  "version": 1,
  "image": "x",
  "dependencies": [
    {
      "ecosystem": "npm",
      "name": "a",
      "version": "1"
    }
  ]
}
)");
  }
  SECTION("the key follows published, or version when nothing else is set") {
    Snapshot built;
    built.image = "y";
    built.write_held_key = false;
    built.dependencies = {{"pypi", "b", "1", std::nullopt, std::nullopt, true},
                          {"npm", "a", "2", "sha512-x", std::nullopt, true}};
    CHECK(serialize_snapshot(built) == R"({
  "format": "driftlock-snapshot",
  "version": 1,
  "image": "y",
  "dependencies": [
    {
      "ecosystem": "npm",
      "name": "a",
      "version": "2",
      "digest": "sha512-x",
      "transitive": true
    },
    {
      "ecosystem": "pypi",
      "name": "b",
      "version": "1",
      "transitive": true
    }
  ]
}
)");
    auto again = parse_snapshot(serialize_snapshot(built), "s.lock.json", fake_ecosystems());
    REQUIRE(again.has_value());
    CHECK(again->dependencies ==
          std::vector<Dependency>{built.dependencies[1], built.dependencies[0]});
  }
}

TEST_CASE("snapshot errors point at file:line:col", "[core][snapshot]") {
  struct Case {
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"",
       "s.lock.json:1:1: invalid JSON: unexpected end of input; expected '[', '{', or a "
       "literal"},
      {"[]", "s.lock.json:1:1: a snapshot must be a JSON object\n  []\n  ^"},
      {"{\n  \"format\": \"other\"\n}",
       "s.lock.json:2:13: unknown snapshot format 'other' (expected 'driftlock-snapshot')\n"
       "    \"format\": \"other\"\n"
       "              ^"},
      {"{\"format\": \"driftlock-snapshot\", \"version\": 2}",
       "s.lock.json:1:45: unsupported snapshot version 2 (this driftlock reads version 1)\n"
       "  {\"format\": \"driftlock-snapshot\", \"version\": 2}\n"
       "                                              ^"},
      {"{\"format\": \"driftlock-snapshot\", \"version\": \"1\"}",
       "s.lock.json:1:45: expected an integer for 'version', found a string\n"
       "  {\"format\": \"driftlock-snapshot\", \"version\": \"1\"}\n"
       "                                              ^"},
      {"{\"format\": \"driftlock-snapshot\", \"version\": 1}",
       "s.lock.json:1:1: missing required key 'image'\n"
       "  {\"format\": \"driftlock-snapshot\", \"version\": 1}\n"
       "  ^"},
      {"{\"format\": \"driftlock-snapshot\", \"version\": 1, \"image\": \"x\", \"dependencys\": "
       "[]}",
       "s.lock.json:1:62: unknown key 'dependencys' in snapshot (did you mean 'dependencies'?)\n"
       "  {\"format\": \"driftlock-snapshot\", \"version\": 1, \"image\": \"x\", \"dependencys\": "
       "[]}\n"
       "                                                               ^"},
      {"{\"format\": \"driftlock-snapshot\", \"version\": 1, \"image\": \"\"}",
       "s.lock.json:1:57: 'image' must not be empty\n"
       "  {\"format\": \"driftlock-snapshot\", \"version\": 1, \"image\": \"\"}\n"
       "                                                          ^"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(rendered_error(c.text) == c.message);
  }
}

TEST_CASE("snapshot entry errors name the entry", "[core][snapshot]") {
  auto with_deps = [](std::string deps) {
    return "{\n\"format\": \"driftlock-snapshot\",\n\"version\": 1,\n\"image\": \"x\",\n"
           "\"dependencies\": [\n" +
           deps + "\n]\n}\n";
  };
  struct Case {
    std::string deps;
    std::string message;
  };
  const Case cases[] = {
      {R"({"ecosystem": "npm", "name": "a", "version": "x1"})",
       "s.lock.json:6:46: npm:a: invalid fake version 'x1'\n"
       "  {\"ecosystem\": \"npm\", \"name\": \"a\", \"version\": \"x1\"}\n"
       "                                               ^"},
      {R"({"ecosystem": "nmp", "name": "a", "version": "1"})",
       "s.lock.json:6:15: unknown ecosystem 'nmp' (did you mean 'npm'?)\n"
       "  {\"ecosystem\": \"nmp\", \"name\": \"a\", \"version\": \"1\"}\n"
       "                ^"},
      {R"({"ecosystem": "npm", "name": "A B", "version": "1"})",
       "s.lock.json:6:30: invalid fake name 'A B'\n"
       "  {\"ecosystem\": \"npm\", \"name\": \"A B\", \"version\": \"1\"}\n"
       "                               ^"},
      {R"({"ecosystem": "npm", "name": "a"})",
       "s.lock.json:6:1: missing required key 'version'\n"
       "  {\"ecosystem\": \"npm\", \"name\": \"a\"}\n"
       "  ^"},
      {R"({"ecosystem": "npm", "name": "a", "version": "1", "digst": "x"})",
       "s.lock.json:6:51: unknown key 'digst' in dependency (did you mean 'digest'?)\n"
       "  {\"ecosystem\": \"npm\", \"name\": \"a\", \"version\": \"1\", \"digst\": \"x\"}\n"
       "                                                    ^"},
      {R"({"ecosystem": "npm", "name": "a", "version": "1", "published": "yesterday"})",
       "s.lock.json:6:64: 'published': invalid timestamp 'yesterday' (expected RFC 3339, e.g. "
       "2024-08-01T00:00:00Z)\n"
       "  {\"ecosystem\": \"npm\", \"name\": \"a\", \"version\": \"1\", \"published\": "
       "\"yesterday\"}\n"
       "                                                                 ^"},
      {"{\"ecosystem\": \"npm\", \"name\": \"a\", \"version\": \"1\"},\n"
       "{\"ecosystem\": \"npm\", \"name\": \"a\", \"version\": \"2\"}",
       "s.lock.json:7:1: duplicate dependency npm:a (first at line 6)\n"
       "  {\"ecosystem\": \"npm\", \"name\": \"a\", \"version\": \"2\"}\n"
       "  ^"},
      {R"(42)",
       "s.lock.json:6:1: expected an object for a dependency, found an integer\n"
       "  42\n"
       "  ^"},
      {R"({"ecosystem": "npm", "name": "a", "version": "1", "transitive": "yes"})",
       "s.lock.json:6:65: expected a boolean for 'transitive', found a string\n"
       "  {\"ecosystem\": \"npm\", \"name\": \"a\", \"version\": \"1\", \"transitive\": "
       "\"yes\"}\n"
       "                                                                  ^"},
      {R"({"ecosystem": "npm", "name": "a", "version": "1", "transitive": 1})",
       "s.lock.json:6:65: expected a boolean for 'transitive', found an integer\n"
       "  {\"ecosystem\": \"npm\", \"name\": \"a\", \"version\": \"1\", \"transitive\": 1}\n"
       "                                                                  ^"},
      {R"({"ecosystem": "npm", "name": "a", "version": "1", "transitiv": true})",
       "s.lock.json:6:51: unknown key 'transitiv' in dependency (did you mean 'transitive'?)\n"
       "  {\"ecosystem\": \"npm\", \"name\": \"a\", \"version\": \"1\", \"transitiv\": true}\n"
       "                                                    ^"},
      {R"({"ecosystem": "npm", "name": 7, "version": "1"})",
       "s.lock.json:6:30: expected a string for 'name', found an integer\n"
       "  {\"ecosystem\": \"npm\", \"name\": 7, \"version\": \"1\"}\n"
       "                               ^"},
  };
  for (const Case& c : cases) {
    INFO(c.deps);
    CHECK(rendered_error(with_deps(c.deps)) == c.message);
  }
}

TEST_CASE("bad input never crashes the snapshot loader", "[core][snapshot]") {
  SECTION("every truncation gives an error with a location or a snapshot") {
    for (std::size_t n = 0; n < kCanonical.size(); ++n) {
      auto s = parse_snapshot(kCanonical.substr(0, n), "s.lock.json", fake_ecosystems());
      if (!s) {
        REQUIRE(s.error().location.has_value());
        REQUIRE(s.error().location->line >= 1);
      }
    }
  }
  SECTION("deep nesting is refused") {
    std::string deep(100000, '[');
    auto s = parse_snapshot(deep, "s.lock.json", fake_ecosystems());
    REQUIRE_FALSE(s);
    CHECK(s.error().message == "JSON nested deeper than 64 levels");
  }
  SECTION("huge numbers, non-ASCII and invalid UTF-8") {
    for (std::string text :
         {std::string(R"({"format": "driftlock-snapshot", "version": 1e999})"),
          std::string(R"({"format": "driftlock-snapshot", "version": 99999999999999999999})"),
          std::string("{\"format\": \"driftlock-snapshot\xff\"}"),
          std::string("{\"format\": \"\xd9\xa1\"}")}) {
      auto s = parse_snapshot(text, "s.lock.json", fake_ecosystems());
      CHECK_FALSE(s);
    }
  }
}

TEST_CASE("snapshots are saved atomically", "[core][snapshot]") {
  auto dir = std::filesystem::temp_directory_path() / "driftlock-snapshot-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto path = dir / "x.lock.json";
  auto s = parse_snapshot(kCanonical, "s.lock.json", fake_ecosystems());
  REQUIRE(s);
  REQUIRE(save_snapshot(path, *s));
  REQUIRE(save_snapshot(path, *s));  // replacing works too
  auto loaded = load_snapshot(path, fake_ecosystems());
  REQUIRE(loaded);
  CHECK(serialize_snapshot(*loaded) == kCanonical);
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
  CHECK(files == 1);  // no temporary left behind

  auto missing = load_snapshot(dir / "nope.lock.json", fake_ecosystems());
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message == "cannot read snapshot '" + (dir / "nope.lock.json").string() +
                                       "': No such file or directory");
  // The first save creates the snapshot's folder; a file in its way is an error.
  REQUIRE(save_snapshot(dir / "snapshots" / "x.lock.json", *s));
  std::ofstream(dir / "blocker") << "a file\n";
  auto unwritable = save_snapshot(dir / "blocker" / "x.lock.json", *s);
  REQUIRE_FALSE(unwritable);
  CHECK(unwritable.error().kind == ErrorKind::infrastructure);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a held entry may hold a digest instead of a version", "[core][snapshot]") {
  auto with_held = [](std::string version) {
    return "{\n\"format\": \"driftlock-snapshot\",\n\"version\": 1,\n\"image\": \"x\",\n"
           "\"dependencies\": [],\n\"held\": [\n"
           "{\"ecosystem\": \"npm\", \"name\": \"a\", \"version\": \"" +
           version + "\"}\n]\n}\n";
  };
  const std::string digest = "sha256:" + std::string(64, 'e');
  auto loaded = parse_snapshot(with_held(digest), "s.lock.json", fake_ecosystems());
  REQUIRE(loaded);
  REQUIRE(loaded->held.size() == 1);
  CHECK(loaded->held[0].version == digest);
  CHECK(parse_snapshot(with_held("sha512-AbC+/9=="), "s.lock.json", fake_ecosystems()));
  // Neither a version nor a digest: the scheme's error stands.
  CHECK(rendered_error(with_held("x1")) ==
        "s.lock.json:7:46: npm:a: invalid fake version 'x1'\n"
        "  {\"ecosystem\": \"npm\", \"name\": \"a\", \"version\": \"x1\"}\n"
        "                                               ^");
}

TEST_CASE("content digests follow the OCI grammar or Subresource Integrity", "[core]") {
  const std::vector<std::pair<std::string, bool>> table = {
      {"sha256:" + std::string(64, 'a'), true},
      {"sha512:abc", true},
      {"multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8", true},
      {"sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/"
       "SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==",
       true},
      {"sha256", false},
      {"SHA256:abc", false},
      {"sha256:", false},
      {"sha256:a b", false},
      {"md5-abc", false},
      {"1.0.0", false},
  };
  for (const auto& [text, valid] : table) {
    INFO(text);
    CHECK(is_content_digest(text) == valid);
  }
}
