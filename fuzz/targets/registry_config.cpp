// The installers' own configuration: .npmrc, pip.conf, `npm config get
// registry`'s answer, and apt's sources (one-line and deb822). Files are
// served from memory; nothing is read from disk and npm is never asked.
#include <filesystem>
#include <optional>
#include <string>

#include "ecosystems/debian/sources_config.hpp"
#include "ecosystems/npm/registry_config.hpp"
#include "ecosystems/pypi/registry_config.hpp"
#include "fuzz_input.hpp"

using namespace driftlock;
namespace debian = driftlock::ecosystems::debian;
namespace npm = driftlock::ecosystems::npm;
namespace pypi = driftlock::ecosystems::pypi;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(fuzz::as_text(data, size));
  const auto serve = [&](const std::filesystem::path&) { return std::optional<std::string>(text); };

  const npm::Env npm_env{{"HOME", "/home/fuzz"}, {"TOKEN_HOST", "registry.example"}};
  (void)npm::npmrc_registry(text, npm_env, ".npmrc");
  (void)npm::registry_from_npm_output(text);
  (void)npm::resolve_registry({}, npm_env, "/project", serve, {});

  const pypi::Env pip_env{{"HOME", "/home/fuzz"}};
  (void)pypi::resolve_registry({}, pip_env, serve);
  (void)pypi::json_api_base(text, "PIP_INDEX_URL");

  (void)debian::parse_sources_list(text, "/etc/apt/sources.list");
  (void)debian::parse_sources_file(text, "/etc/apt/sources.list.d/debian.sources");
  return 0;
}
