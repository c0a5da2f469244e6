#include "candidate/candidate.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "core/snapshot.hpp"
#include "ecosystems/registry.hpp"
#include "exec/temp_dir.hpp"
#include "support/fake_ecosystems.hpp"

using namespace driftlock;
using namespace driftlock::candidate;
using driftlock::testing::TempDir;

namespace {

const std::string kDigestA = "sha256:" + std::string(64, 'a');
const std::string kDigestB = "sha256:" + std::string(64, 'b');

Dependency dep(std::string eco, std::string name, std::string version,
               std::optional<std::string> digest = std::nullopt) {
  return Dependency{std::move(eco), std::move(name), std::move(version), std::move(digest),
                    std::nullopt};
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> entries(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

const std::vector<Dependency> kBaseline = {dep("npm", "chalk", "4.1.2"), dep("npm", "gone", "1.0"),
                                           dep("pypi", "tox", "4.9"),
                                           dep("oci", "base", "1", "sha256:a")};
const std::vector<Dependency> kLatest = {dep("npm", "chalk", "5.3.0"), dep("pypi", "tox", "4.9"),
                                         dep("pypi", "attrs", "24.1"),
                                         dep("oci", "base", "1", "sha256:b")};

}  // namespace

TEST_CASE("applying every change of a diff gives the new set", "[build][candidate]") {
  auto diff = diff_dependencies(kBaseline, kLatest, driftlock::testing::fake_ecosystems());
  REQUIRE(diff);
  REQUIRE(diff->changes.size() == 4);
  auto all = apply_changes(kBaseline, diff->changes);
  REQUIRE(all);
  std::vector<Dependency> expected = kLatest;
  std::sort(expected.begin(), expected.end(), by_identity<Dependency>);
  CHECK(*all == expected);

  // A subset: only the chalk upgrade (changes are sorted: npm:chalk first).
  const Change* only_chalk[] = {&diff->changes[0]};
  auto subset = apply_changes(kBaseline, only_chalk);
  REQUIRE(subset);
  CHECK(*subset == std::vector<Dependency>{dep("npm", "chalk", "5.3.0"), dep("npm", "gone", "1.0"),
                                           dep("oci", "base", "1", "sha256:a"),
                                           dep("pypi", "tox", "4.9")});
  auto none = apply_changes(kBaseline, std::span<const Change>());
  REQUIRE(none);
  CHECK(none->size() == kBaseline.size());
}

TEST_CASE("applying inconsistent changes is an error", "[build][candidate]") {
  Change upgrade{ChangeKind::upgraded,       "npm", "chalk", kBaseline[0],
                 dep("npm", "chalk", "5.0"), true};
  Change remove_missing{ChangeKind::removed,      "npm",        "never",
                        dep("npm", "never", "1"), std::nullopt, false};
  Change no_after{ChangeKind::upgraded, "npm", "chalk", kBaseline[0], std::nullopt, false};
  struct Case {
    std::vector<Change> changes;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{upgrade, upgrade}, "cannot apply two changes to npm:chalk in one candidate"},
      {{remove_missing}, "cannot remove npm:never: the baseline does not have it"},
      {{no_after}, "cannot apply the change to npm:chalk: it has no new version"},
  };
  for (const Case& c : cases) {
    auto r = apply_changes(kBaseline, c.changes);
    REQUIRE(!r);
    CHECK(r.error().kind == ErrorKind::input);
    CHECK(r.error().message == c.message);
  }
}

TEST_CASE("candidate ids hash the canonical lock", "[build][candidate]") {
  // FIPS 180-2 test vector: SHA-256("abc") = ba7816bf8f01cfea...
  CHECK(content_id("abc") == "ba7816bf8f01");

  auto a = make_candidate("example", {dep("pypi", "tox", "4.9"), dep("npm", "chalk", "4.1.2")});
  REQUIRE(a);
  CHECK(a->lock_json ==
        "{\n"
        "  \"format\": \"driftlock-snapshot\",\n"
        "  \"version\": 1,\n"
        "  \"image\": \"example\",\n"
        "  \"dependencies\": [\n"
        "    {\n"
        "      \"ecosystem\": \"npm\",\n"
        "      \"name\": \"chalk\",\n"
        "      \"version\": \"4.1.2\"\n"
        "    },\n"
        "    {\n"
        "      \"ecosystem\": \"pypi\",\n"
        "      \"name\": \"tox\",\n"
        "      \"version\": \"4.9\"\n"
        "    }\n"
        "  ],\n"
        "  \"held\": []\n"
        "}\n");
  CHECK(a->id == content_id(a->lock_json));
  CHECK(a->id.size() == kCandidateIdLength);
  CHECK(a->dependencies.front().name == "chalk");

  auto same = make_candidate("example", {dep("npm", "chalk", "4.1.2"), dep("pypi", "tox", "4.9")});
  auto other = make_candidate("example", {dep("npm", "chalk", "4.1.3"), dep("pypi", "tox", "4.9")});
  auto other_image =
      make_candidate("other", {dep("npm", "chalk", "4.1.2"), dep("pypi", "tox", "4.9")});
  REQUIRE(same);
  REQUIRE(other);
  REQUIRE(other_image);
  CHECK(same->id == a->id);
  CHECK(other->id != a->id);
  CHECK(other_image->id != a->id);

  auto twice = make_candidate("example", {dep("npm", "chalk", "1"), dep("npm", "chalk", "2")});
  REQUIRE(!twice);
  CHECK(twice.error().message == "candidate lists npm:chalk twice");
}

TEST_CASE("image tags for candidates", "[build][candidate]") {
  const std::vector<std::tuple<std::string, std::string>> cases = {
      {"example", "localhost/driftlock/example:0123456789ab"},
      {"CI Image", "localhost/driftlock/ci-image:0123456789ab"},
      {"team/py_3.12", "localhost/driftlock/team/py_3.12:0123456789ab"},
      {"", "localhost/driftlock/image:0123456789ab"},
  };
  for (const auto& [image, tag] : cases) CHECK(image_tag(image, "0123456789ab") == tag);
}

TEST_CASE("materialize writes lock.json and every export, and the environment",
          "[build][candidate]") {
  TempDir dir;
  auto candidate = make_candidate(
      "example", {dep("npm", "chalk", "4.1.2", "sha512-AAAA"), dep("pypi", "tox", "4.11.3"),
                  dep("oci", "127.0.0.1:5000/base", "stable", kDigestA),
                  dep("oci", "registry.example/tools", "1.2", kDigestB)});
  REQUIRE(candidate);
  ExportOptions options;
  options.oci_keys["registry.example/tools"] = "TOOLS_IMAGE";
  auto folder = materialize(*candidate, dir / "candidates", ecosystems::all(), options);
  REQUIRE(folder);
  CHECK(folder->dir == dir / "candidates" / candidate->id);
  CHECK(entries(dir / "candidates") == std::vector<std::string>{candidate->id});
  CHECK(entries(folder->dir) ==
        std::vector<std::string>{"apt-pins.txt", "build-args.env", "constraints.txt", "lock.json",
                                 "npm-overrides.json", "npm-pins.json", "oci.env"});
  const std::string oci = "BASE=127.0.0.1:5000/base@" + kDigestA + "\n" +
                          "TOOLS_IMAGE=registry.example/tools@" + kDigestB + "\n";
  CHECK(slurp(folder->dir / "lock.json") == candidate->lock_json);
  CHECK(slurp(folder->dir / "apt-pins.txt") == "");
  CHECK(slurp(folder->dir / "constraints.txt") == "tox==4.11.3\n");
  CHECK(slurp(folder->dir / "npm-pins.json") == "{\n  \"chalk\": \"4.1.2\"\n}\n");
  CHECK(slurp(folder->dir / "npm-overrides.json") ==
        "{\n  \"overrides\": {\n    \"chalk\": \"4.1.2\"\n  }\n}\n");
  CHECK(slurp(folder->dir / "oci.env") == oci);
  CHECK(slurp(folder->dir / "build-args.env") == oci);

  auto loaded = load_snapshot(folder->dir / "lock.json", ecosystems::all());
  REQUIRE(loaded);
  CHECK(loaded->dependencies == candidate->dependencies);

  const std::vector<exec::EnvVar> env = {
      {"DRIFTLOCK_CANDIDATE_DIR", folder->dir.string()},
      {"DRIFTLOCK_CANDIDATE_ID", candidate->id},
      {"DRIFTLOCK_IMAGE_TAG", "localhost/driftlock/example:" + candidate->id},
      {"DRIFTLOCK_NPM_CHALK", "4.1.2"},
      {"DRIFTLOCK_OCI_BASE", "127.0.0.1:5000/base@" + kDigestA},
      {"DRIFTLOCK_OCI_TOOLS_IMAGE", "registry.example/tools@" + kDigestB},
      {"DRIFTLOCK_PIP_TOX", "4.11.3"},
  };
  CHECK(folder->env == env);

  // Again: an intact folder is kept as it is (a running build may have it mounted).
  auto inode = [](const std::filesystem::path& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_ino;
  };
  auto before = inode(folder->dir);
  auto kept = materialize(*candidate, dir / "candidates", ecosystems::all(), options);
  REQUIRE(kept);
  CHECK(inode(kept->dir) == before);
  CHECK(kept->env == env);

  // Again, over a folder a test command scribbled in: replaced, no leftovers.
  { std::ofstream(folder->dir / "junk") << "x"; }
  auto again = materialize(*candidate, dir / "candidates", ecosystems::all(), options);
  REQUIRE(again);
  CHECK(entries(dir / "candidates") == std::vector<std::string>{candidate->id});
  CHECK(entries(again->dir).size() == 7);
  CHECK(inode(again->dir) != before);
}

TEST_CASE("materialize writes nothing when a dependency cannot be exported", "[build][candidate]") {
  TempDir dir;
  auto candidate =
      make_candidate("example", {dep("oci", "base", "stable"), dep("npm", "chalk", "4.1.2")});
  REQUIRE(candidate);
  auto folder = materialize(*candidate, dir / "candidates", ecosystems::all(), {});
  REQUIRE(!folder);
  CHECK(folder.error().kind == ErrorKind::input);
  CHECK(folder.error().message ==
        "cannot export oci dependency 'base': no digest (an image is exported as "
        "name@sha256:digest)");
  CHECK(!std::filesystem::exists(dir / "candidates"));
}

TEST_CASE("materialize reports an unwritable parent as infrastructure", "[build][candidate]") {
  TempDir dir;
  { std::ofstream(dir / "file") << "x"; }
  auto candidate = make_candidate("example", {});
  REQUIRE(candidate);
  auto folder = materialize(*candidate, dir / "file" / "candidates", ecosystems::all(), {});
  REQUIRE(!folder);
  CHECK(folder.error().kind == ErrorKind::infrastructure);
  CHECK(folder.error().message.starts_with("cannot write candidate folder '" +
                                           (dir / "file" / "candidates").string() + "': "));
}
