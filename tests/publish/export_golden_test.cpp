// The installer files every candidate folder holds and `driftlock export`
// prints (constraints.txt, npm-pins.json, apt-pins.txt, oci.env and its alias
// build-args.env, and --format env), from one snapshot over every ecosystem
// with the real exporters, byte for byte.
#include <algorithm>
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/exporter.hpp"
#include "ecosystems/registry.hpp"
#include "support/golden.hpp"

using namespace driftlock;

namespace {

const std::string kDigestA = "sha256:" + std::string(64, 'a');
const std::string kDigestB = "sha256:" + std::string(64, 'b');

Dependency dep(std::string ecosystem, std::string name, std::string version,
               std::optional<std::string> digest = std::nullopt) {
  return Dependency{std::move(ecosystem), std::move(name), std::move(version), std::move(digest),
                    std::nullopt};
}

// Unsorted on purpose, as a resolver may hand them over: the exports sort.
// Epochs, local versions, Debian tildes and epochs, scoped npm names, a
// pre-release with build metadata, OCI images with a manifest key and without.
std::vector<Dependency> snapshot_dependencies() {
  return {
      dep("pypi", "tox", "4.11.3", "sha256:" + std::string(64, 'd')),
      dep("npm", "left-pad", "1.3.0", "sha512-Lp+Abc=="),
      dep("debian", "tzdata", "2024a-0+deb12u1"),
      dep("oci", "registry.example:5000/team/python", "3.12-slim", kDigestB),
      dep("pypi", "zope.interface", "1!6.0+local.1"),
      dep("npm", "@types/node", "22.1.0", "sha512-T1d+new=="),
      dep("debian", "libssl3", "3.0.13-1~deb12u1"),
      dep("pypi", "typing_extensions", "4.12.2"),
      dep("npm", "chalk", "5.3.0-beta.1+build.7"),
      dep("debian", "g++", "4:12.2.0-3"),
      dep("oci", "registry.example/library/busybox", "1.36", kDigestA),
      dep("pypi", "Attrs", "24.1.0"),
      dep("npm", "@babel/core", "7.24.0"),
  };
}

}  // namespace

TEST_CASE("export: golden installer files", "[export][golden]") {
  ExportOptions options;
  options.oci_keys["registry.example:5000/team/python"] = "PYTHON_BASE";
  auto set = export_all(snapshot_dependencies(), ecosystems::all(), options);
  REQUIRE(set);

  struct Case {
    const char* golden;
    const char* file;  // the file in the export set; nullptr for --format env
  };
  const Case cases[] = {
      {"export_constraints.txt", "constraints.txt"}, {"export_npm-pins.json", "npm-pins.json"},
      {"export_apt-pins.txt", "apt-pins.txt"},       {"export_oci.env", "oci.env"},
      {"export_build-args.env", "build-args.env"},   {"export_env.env", nullptr},
      {"export_npm-overrides.json", "npm-overrides.json"},
  };
  std::vector<std::string> expected_files;
  for (const Case& c : cases) {
    INFO(c.golden);
    if (!c.file) {
      driftlock::testing::check_golden(c.golden, render_env_lines(set->variables));
      continue;
    }
    expected_files.push_back(c.file);
    auto it = set->files.find(c.file);
    REQUIRE(it != set->files.end());
    driftlock::testing::check_golden(c.golden, it->second);
  }
  // Every file an export writes has a golden case above.
  std::vector<std::string> written;
  for (const auto& [name, content] : set->files) written.push_back(name);
  std::sort(expected_files.begin(), expected_files.end());
  CHECK(written == expected_files);
}
