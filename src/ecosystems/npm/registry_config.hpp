// Which npm registry to ask, decided the way npm decides it, as a pure
// function of the manifest, the environment and a file reader (so tests never
// touch the real home folder):
//   1. [registries] npm in driftlock.toml;
//   2. npm_config_registry / NPM_CONFIG_REGISTRY (that order);
//   3. `registry=` in the project's .npmrc (next to driftlock.toml);
//   4. `registry=` in the user's .npmrc ($NPM_CONFIG_USERCONFIG, else $HOME/.npmrc);
//   5. npm's own answer (`npm config get registry` in the project folder),
//      which adds the global and built-in npmrc files and npm's built-in
//      default. driftlock never names a public registry itself: the URL comes
//      from npm. Asked last because starting npm costs a few hundred ms.
// With none of these (no npm installed either) it is an input error.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/manifest.hpp"
#include "net/credentials.hpp"

namespace driftlock::ecosystems::npm {

using Env = std::map<std::string, std::string, std::less<>>;
// The file's text, or nullopt when it does not exist or cannot be read
// (a missing .npmrc is normal, so reading never fails loudly).
using ReadFile = std::function<std::optional<std::string>(const std::filesystem::path&)>;

// npm's configured registry for a project folder (`npm config get registry`
// run there), or nullopt when npm is missing or fails. A seam: tests never
// start the real npm.
using AskNpmRegistry = std::function<std::optional<std::string>(const std::filesystem::path&)>;

struct RegistryLocation {
  std::string url;     // http(s), without trailing '/'
  std::string source;  // where it came from, for messages: "NPM_CONFIG_REGISTRY", a file path...
};

// `ask_npm` is called only when nothing else names a registry; an empty
// function means npm is not available.
Result<RegistryLocation> resolve_registry(const RegistrySettings& registries, const Env& env,
                                          const std::filesystem::path& project_dir,
                                          const ReadFile& read_file, const AskNpmRegistry& ask_npm);

// The registry in the output of `npm config get registry`: the last
// non-empty line, trimmed, when it is one http(s) URL; nullopt otherwise
// (npm prints "undefined" or warnings when something is off).
std::optional<std::string> registry_from_npm_output(std::string_view output);

// The top-level `registry` of .npmrc text (ini: `key = value`, `;`/`#`
// comments, quotes stripped, the last one wins; keys under a [section] do not
// count), with ${VAR} (and ${VAR?}, empty when unset) expanded from `env`.
// `path` names the file in errors. nullopt when the file sets no registry.
Result<std::optional<std::string>> npmrc_registry(std::string_view text, const Env& env,
                                                  std::string_view path);

// The credentials of .npmrc text, each scoped to the registry URL prefix of
// its key: `//host[:port]/path/:_authToken` (Bearer), `:_auth` (Basic, already
// base64 of "user:password"), `:username` with `:_password` (base64 of the
// password, as npm writes it). Values may use ${VAR} as everywhere in npmrc.
// Un-scoped `_authToken`/`_auth` keys are ignored, as npm 9 and later do.
// `path` names the file in sources and errors; errors never quote a value.
Result<std::vector<net::ScopedCredential>> npmrc_credentials(std::string_view text, const Env& env,
                                                             std::string_view path);

// The credentials of the project's .npmrc, then the user's (so the project's
// win for the same scope).
Result<std::vector<net::ScopedCredential>> npm_credentials(const Env& env,
                                                           const std::filesystem::path& project_dir,
                                                           const ReadFile& read_file);

// The process environment and a ReadFile over the real file system.
Env current_environment();
std::optional<std::string> read_file_if_present(const std::filesystem::path& path);

}  // namespace driftlock::ecosystems::npm
