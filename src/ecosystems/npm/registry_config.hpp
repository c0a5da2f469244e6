// Which npm registry to ask, decided the way npm decides it, as a pure
// function of the manifest, the environment and a file reader (so tests never
// touch the real home folder):
//   1. [registries] npm in driftlock.toml;
//   2. npm_config_registry / NPM_CONFIG_REGISTRY (that order);
//   3. `registry=` in the project's .npmrc (next to driftlock.toml);
//   4. `registry=` in the user's .npmrc ($NPM_CONFIG_USERCONFIG, else $HOME/.npmrc).
// There is no built-in default: driftlock never names a public registry
// itself, so with none of these it is an input error.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/manifest.hpp"

namespace driftlock::ecosystems::npm {

using Env = std::map<std::string, std::string, std::less<>>;
// The file's text, or nullopt when it does not exist or cannot be read
// (a missing .npmrc is normal, so reading never fails loudly).
using ReadFile = std::function<std::optional<std::string>(const std::filesystem::path&)>;

struct RegistryLocation {
  std::string url;     // http(s), without trailing '/'
  std::string source;  // where it came from, for messages: "NPM_CONFIG_REGISTRY", a file path...
};

Result<RegistryLocation> resolve_registry(const RegistrySettings& registries, const Env& env,
                                          const std::filesystem::path& project_dir,
                                          const ReadFile& read_file);

// The top-level `registry` of .npmrc text (ini: `key = value`, `;`/`#`
// comments, quotes stripped, the last one wins; keys under a [section] do not
// count), with ${VAR} (and ${VAR?}, empty when unset) expanded from `env`.
// `path` names the file in errors. nullopt when the file sets no registry.
Result<std::optional<std::string>> npmrc_registry(std::string_view text, const Env& env,
                                                  std::string_view path);

// The process environment and a ReadFile over the real file system.
Env current_environment();
std::optional<std::string> read_file_if_present(const std::filesystem::path& path);

}  // namespace driftlock::ecosystems::npm
