// Which PyPI-style index to ask, decided the way pip decides its index URL,
// as a pure function of the manifest, the environment and a file reader (so
// tests never touch the real home folder):
//   1. [registries] pypi in driftlock.toml (already the JSON API base);
//   2. PIP_INDEX_URL;
//   3. index-url in pip's config files: the [install] section of any file
//      beats [global] (pip applies command sections after global ones), and
//      within a section the files rank as pip loads them, last wins:
//      $PIP_CONFIG_FILE, $XDG_CONFIG_HOME/pip/pip.conf (~/.config/pip/pip.conf),
//      ~/.pip/pip.conf, /etc/pip.conf, /etc/xdg/pip/pip.conf.
//      PIP_CONFIG_FILE=/dev/null turns config files off, as in pip;
//   4. pip's own default, PyPI, through its documented public JSON API
//      (kPypiJsonApi: GET https://pypi.org/pypi/{name}/json).
// An index URL is a "simple" index; the JSON API lives beside it, so a
// trailing /simple or /simple/ is removed.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/manifest.hpp"

namespace driftlock::ecosystems::pypi {

using Env = std::map<std::string, std::string, std::less<>>;
// The file's text, or nullopt when it does not exist or cannot be read.
using ReadFile = std::function<std::optional<std::string>(const std::filesystem::path&)>;

// The JSON API base of PyPI itself, pip's default index.
inline constexpr std::string_view kPypiJsonApi = "https://pypi.org";

struct RegistryLocation {
  std::string url;     // the JSON API base: http(s), without trailing '/'
  std::string source;  // where it came from, for messages: "PIP_INDEX_URL", a file path...
};

Result<RegistryLocation> resolve_registry(const RegistrySettings& registries, const Env& env,
                                          const ReadFile& read_file);

// The value of `key` in `section` of INI text as Python's configparser reads
// pip.conf: `key = value` or `key: value`, `#`/`;` comment lines, indented
// continuation lines, key names compared after lower-casing and '_' -> '-',
// the last one wins. nullopt when absent.
std::optional<std::string> ini_value(std::string_view text, std::string_view section,
                                     std::string_view key);

// "https://host/root/simple/" -> "https://host/root"; an input error naming
// `source` when the URL is not http(s) or does not end in /simple.
Result<std::string> json_api_base(std::string_view index_url, std::string_view source);

}  // namespace driftlock::ecosystems::pypi
