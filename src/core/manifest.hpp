// The manifest (driftlock.toml): which dependencies an image has, their allowed
// ranges and holds, the policy and the build / test / push commands.
// docs/manifest.md is the reference for every key.
#pragma once

#include <array>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ecosystem.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "core/version_scheme.hpp"

namespace driftlock {

struct CommandSettings {
  std::string build, test, push;  // empty when absent
  std::chrono::seconds timeout{std::chrono::minutes(30)};
  int jobs = 1;
  std::optional<std::string> junit;  // glob, relative to the manifest's folder
  int unresolved_exit = 125;
  // A build or test exiting with it failed for reasons outside the candidate
  // (a registry down, a full disk): never blamed on a dependency.
  std::optional<int> error_exit;
};

// How far a failing build is believed ([policy] flaky-tests, --flaky-tests):
// `automatic` ("auto") trusts every outcome until the history or the run
// shows a flake, then searches carefully; `expect` is careful from the first
// probe; `trust` never re-runs a build.
enum class FlakyTests { automatic, expect, trust };

inline constexpr std::array<std::string_view, 3> kFlakyTestsNames = {"auto", "expect", "trust"};
std::string_view to_string(FlakyTests mode);
std::optional<FlakyTests> parse_flaky_tests(std::string_view text);

struct PolicySettings {
  Prereleases prereleases = Prereleases::exclude;
  std::chrono::seconds min_age{0};
  std::optional<Timestamp> as_of;
  FlakyTests flaky_tests = FlakyTests::automatic;
};

struct DebianRegistry {
  std::string url;  // http(s), without trailing '/'
  std::string suite;
  std::vector<std::string> components;  // ["main"] when absent
  std::string arch;                     // "amd64" when absent
};

struct RegistrySettings {
  std::optional<std::string> npm;   // http(s) base URL, without trailing '/'
  std::optional<std::string> pypi;  // http(s) base URL, without trailing '/'
  std::optional<DebianRegistry> debian;
};

// [closure]: per ecosystem, the command that lists what a built candidate
// installed (`npm ls --all --json`, `pip freeze`, `dpkg-query -W`), run in
// the manifest's folder with the candidate's environment after it passes.
struct ClosureCommand {
  std::string ecosystem;
  std::string command;
};

struct DependencySpec {
  std::string ecosystem;                   // "npm"
  std::string name;                        // as written
  std::string range;                       // ecosystem syntax; "*" when a table has no range
  std::optional<std::string> hold;         // version to stay at, as the scheme normalises it
  std::optional<Prereleases> prereleases;  // per-dependency override of [policy]
  // oci only: the env key (DRIFTLOCK_OCI_<KEY>); always set for oci, either as
  // written or derive_oci_key(name); nullopt for other ecosystems.
  std::optional<std::string> key;
  SourceLocation location;  // of the name in the manifest, for later errors
  // Not named in the manifest: a package of the captured closure, tracked
  // like a direct dependency with any version allowed ("*").
  bool transitive = false;
};

struct Manifest {
  std::filesystem::path path;  // as given
  std::filesystem::path dir;   // the manifest's folder (absolute)
  std::string image;
  std::filesystem::path snapshot;  // absolute: resolved against dir
  CommandSettings commands;
  PolicySettings policy;
  RegistrySettings registries;
  std::vector<DependencySpec> dependencies;  // sorted by (ecosystem, name)
  std::vector<ClosureCommand> closure;       // sorted by ecosystem
};

// Parses manifest text; `path` names the file in errors and anchors relative
// paths. When the text has several problems, the one nearest the top of the
// file is reported.
Result<Manifest> parse_manifest(std::string_view text, const std::filesystem::path& path,
                                EcosystemTable ecosystems);

// Reads and parses the file at `path`.
Result<Manifest> load_manifest(const std::filesystem::path& path, EcosystemTable ecosystems);

// The env key an OCI dependency gets when the manifest names none:
// "127.0.0.1:5000/base" -> "BASE", "registry.example/team/my-image:1" -> "MY_IMAGE".
// The last path component without tag or digest, upper-cased, every other
// character than A-Z and 0-9 turned into '_', and '_' put before a leading digit.
std::string derive_oci_key(std::string_view image_reference);

}  // namespace driftlock
