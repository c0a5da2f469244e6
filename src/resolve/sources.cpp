#include "resolve/sources.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <set>

#include "core/text.hpp"
#include "ecosystems/debian/datasource.hpp"
#include "ecosystems/debian/sources_config.hpp"
#include "ecosystems/npm/datasource.hpp"
#include "ecosystems/npm/registry_config.hpp"
#include "ecosystems/oci/auth.hpp"
#include "ecosystems/oci/datasource.hpp"
#include "ecosystems/pypi/datasource.hpp"
#include "ecosystems/pypi/registry_config.hpp"
#include "exec/process_runner.hpp"

namespace driftlock::resolve {
namespace fs = std::filesystem;

namespace {

// npm answers in well under a second; a hung npm must not hold up resolving.
constexpr std::chrono::seconds kNpmTimeout{20};

std::optional<std::string> run_npm_config_get_registry(const fs::path& cwd) {
  exec::RunRequest request;
  // stderr (update notices, warnings) would mix with the answer in the tail.
  request.command = "npm config get registry 2>/dev/null";
  request.cwd = cwd;
  request.timeout = kNpmTimeout;
  request.kill_grace = std::chrono::seconds(1);
  request.log = "/dev/null";
  request.tail_lines = 5;
  exec::ProcessRunner runner;
  auto result = runner.run(request);
  if (!result || !result->succeeded()) return std::nullopt;
  std::string output;
  for (const std::string& line : result->tail) output += line + '\n';
  return ecosystems::npm::registry_from_npm_output(output);
}

}  // namespace

HostConfig HostConfig::current() {
  HostConfig host;
  host.env = ecosystems::npm::current_environment();
  host.read_file = ecosystems::npm::read_file_if_present;
  host.list_folder = [](const fs::path& folder) {
    std::vector<fs::path> entries;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
      entries.push_back(it->path());
    }
    return entries;
  };
  host.ask_npm_registry = run_npm_config_get_registry;
  return host;
}

Result<std::vector<DebianRegistry>> apt_repositories(const HostConfig& host) {
  std::vector<DebianRegistry> found;
  auto add = [&](const fs::path& path, bool deb822) -> Result<void> {
    std::optional<std::string> text = host.read_file(path);
    if (!text) return {};
    auto entries = deb822 ? ecosystems::debian::parse_sources_file(*text, path.string())
                          : ecosystems::debian::parse_sources_list(*text, path.string());
    if (!entries) return std::unexpected(std::move(entries.error()));
    found.insert(found.end(), entries->begin(), entries->end());
    return {};
  };
  if (auto added = add(host.apt_root / "sources.list", false); !added) {
    return std::unexpected(std::move(added.error()));
  }
  std::vector<fs::path> parts = host.list_folder
                                    ? host.list_folder(host.apt_root / "sources.list.d")
                                    : std::vector<fs::path>{};
  std::sort(parts.begin(), parts.end());
  for (const fs::path& part : parts) {
    const std::string extension = part.extension().string();
    if (extension != ".list" && extension != ".sources") continue;
    if (auto added = add(part, extension == ".sources"); !added) {
      return std::unexpected(std::move(added.error()));
    }
  }
  return found;
}

RegistrySources::RegistrySources(net::HttpClient& http, HostConfig host)
    : m_http(http), m_host(std::move(host)) {}

Result<std::unique_ptr<Datasource>> RegistrySources::make(std::string_view ecosystem,
                                                          const Manifest& manifest,
                                                          std::span<const DependencySpec> specs) {
  if (ecosystem == "npm") {
    auto location = ecosystems::npm::resolve_registry(manifest.registries, m_host.env, manifest.dir,
                                                      m_host.read_file, m_host.ask_npm_registry);
    if (!location) return std::unexpected(std::move(location.error()));
    return ecosystems::npm::make_datasource(m_http, location->url);
  }
  if (ecosystem == "pypi") {
    auto location =
        ecosystems::pypi::resolve_registry(manifest.registries, m_host.env, m_host.read_file);
    if (!location) return std::unexpected(std::move(location.error()));
    return ecosystems::pypi::make_datasource(m_http, location->url);
  }
  if (ecosystem == "debian") {
    if (manifest.registries.debian) {
      return ecosystems::debian::make_datasource(m_http, *manifest.registries.debian);
    }
    auto repositories = apt_repositories(m_host);
    if (!repositories) return std::unexpected(std::move(repositories.error()));
    if (repositories->empty()) {
      return fail_input(fmt::format(
          "no Debian repository configured: set [registries] debian in {} or add one to {}",
          manifest.path.string(), (m_host.apt_root / "sources.list").string()));
    }
    std::vector<std::unique_ptr<Datasource>> sources;
    for (const DebianRegistry& repository : *repositories) {
      sources.push_back(ecosystems::debian::make_datasource(m_http, repository));
    }
    if (sources.size() == 1) return std::move(sources.front());
    return std::make_unique<MergedDatasource>(std::move(sources));
  }
  if (ecosystem == "oci") {
    std::map<std::string, std::string, std::less<>> follow;
    for (const DependencySpec& spec : specs) follow.emplace(spec.name, spec.range);
    const auto env = m_host.env;
    auto credentials = ecosystems::oci::environment_credentials(
        [env](std::string_view name) -> std::optional<std::string> {
          auto it = env.find(name);
          if (it == env.end()) return std::nullopt;
          return it->second;
        });
    return ecosystems::oci::make_datasource(m_http, std::move(follow), std::move(credentials));
  }
  return fail_input(
      fmt::format("no datasource for ecosystem '{}'", escape_for_message(ecosystem, 64)));
}

MergedDatasource::MergedDatasource(std::vector<std::unique_ptr<Datasource>> sources)
    : m_sources(std::move(sources)) {}

std::vector<Result<PackageReleases>> MergedDatasource::fetch(std::span<const std::string> names,
                                                             PublishTimes times) {
  std::vector<std::vector<Result<PackageReleases>>> answers;
  for (auto& source : m_sources) answers.push_back(source->fetch(names, times));

  std::vector<Result<PackageReleases>> merged;
  merged.reserve(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    const Error* infrastructure = nullptr;
    const Error* first_error = nullptr;
    std::optional<PackageReleases> found;
    std::set<std::string, std::less<>> versions;
    for (auto& answer : answers) {
      Result<PackageReleases>& one = answer[i];
      if (!one) {
        if (one.error().kind == ErrorKind::infrastructure && !infrastructure) {
          infrastructure = &one.error();
        }
        if (!first_error) first_error = &one.error();
        continue;
      }
      if (!found) {
        found = PackageReleases{one->name, {}, one->has_publish_times};
      }
      found->has_publish_times = found->has_publish_times && one->has_publish_times;
      for (Release& release : one->releases) {
        if (versions.insert(release.version).second) found->releases.push_back(std::move(release));
      }
    }
    if (infrastructure) {
      merged.push_back(std::unexpected(*infrastructure));
    } else if (found) {
      merged.push_back(std::move(*found));
    } else {
      merged.push_back(std::unexpected(*first_error));
    }
  }
  return merged;
}

}  // namespace driftlock::resolve
