// Where each ecosystem's releases come from: the Datasource for the
// dependencies a manifest has in one ecosystem, with the registry taken from
// the manifest, else from the ecosystem's own configuration (npm config, pip
// config, apt sources), else what the ecosystem's own client uses by default
// (npm's answer, PyPI, Docker Hub).
//
// Credentials are scoped to their own host (docs/commands.md, "Registries"):
// npm's `//host/path/:_authToken` and friends from the .npmrc files; user info
// in an npm or PyPI registry URL and the netrc entry of the PyPI host, sent as
// Basic authorization to that host only (the URL itself then carries none,
// so it never reaches a cache key or a message); Docker's and podman's auth
// files and credential helpers for OCI registries (ecosystems/oci/credentials.hpp).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/datasource.hpp"
#include "core/error.hpp"
#include "core/manifest.hpp"
#include "exec/command_runner.hpp"
#include "net/http_client.hpp"

namespace driftlock::resolve {

class SourceFactory {
 public:
  virtual ~SourceFactory() = default;

  // The datasource for `specs`, all of ecosystem `ecosystem`. An input error
  // when no registry is configured for it.
  virtual Result<std::unique_ptr<Datasource>> make(std::string_view ecosystem,
                                                   const Manifest& manifest,
                                                   std::span<const DependencySpec> specs) = 0;
};

// What registry lookup reads from the host, so tests never see the real one.
struct HostConfig {
  std::map<std::string, std::string, std::less<>> env;
  // The file's text, or nullopt when missing or unreadable.
  std::function<std::optional<std::string>(const std::filesystem::path&)> read_file;
  // Lists a folder's entries (for /etc/apt/sources.list.d); empty when missing.
  std::function<std::vector<std::filesystem::path>(const std::filesystem::path&)> list_folder;
  std::filesystem::path apt_root = "/etc/apt";
  // `npm config get registry` run in a folder, or nullopt when npm is
  // missing, fails or answers no http(s) URL. Empty: npm is not available.
  std::function<std::optional<std::string>(const std::filesystem::path& cwd)> ask_npm_registry;
  // Runs Docker credential helpers (`docker-credential-NAME get`); none: a
  // configured helper is an error.
  std::shared_ptr<exec::CommandRunner> credential_runner;

  // The process environment, the real file system and the installed npm.
  static HostConfig current();
};

class RegistrySources final : public SourceFactory {
 public:
  RegistrySources(net::HttpClient& http, HostConfig host);

  Result<std::unique_ptr<Datasource>> make(std::string_view ecosystem, const Manifest& manifest,
                                           std::span<const DependencySpec> specs) override;

 private:
  net::HttpClient& m_http;
  HostConfig m_host;
};

// The Debian repositories apt is configured with: sources.list, then
// sources.list.d/*.list and *.sources in name order.
Result<std::vector<DebianRegistry>> apt_repositories(const HostConfig& host);

// Asks several datasources for the same names and merges their releases
// (apt with several repositories): a package is found when any source has
// it; a failure of any source is the package's failure.
class MergedDatasource final : public Datasource {
 public:
  explicit MergedDatasource(std::vector<std::unique_ptr<Datasource>> sources);

  std::vector<Result<PackageReleases>> fetch(std::span<const std::string> names,
                                             PublishTimes times) override;

 private:
  std::vector<std::unique_ptr<Datasource>> m_sources;
};

}  // namespace driftlock::resolve
