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
#include "ecosystems/oci/credentials.hpp"
#include "ecosystems/oci/datasource.hpp"
#include "ecosystems/pypi/datasource.hpp"
#include "ecosystems/pypi/registry_config.hpp"
#include "exec/process_runner.hpp"
#include "net/credentials.hpp"
#include "net/netrc.hpp"
#include "net/url.hpp"

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

// A datasource whose requests carry scoped credentials: the authorizing
// client lives as long as the datasource that sends through it.
class AuthorizedDatasource final : public Datasource {
 public:
  template <typename Make>
  AuthorizedDatasource(net::HttpClient& http, std::vector<net::ScopedCredential> credentials,
                       Make make)
      : m_client(std::make_unique<net::AuthorizingHttpClient>(http, std::move(credentials))),
        m_inner(make(*m_client)) {}

  std::vector<Result<PackageReleases>> fetch(std::span<const std::string> names,
                                             PublishTimes times) override {
    return m_inner->fetch(names, times);
  }

 private:
  std::unique_ptr<net::AuthorizingHttpClient> m_client;
  std::unique_ptr<Datasource> m_inner;
};

// Moves user info out of a registry URL into a Basic credential for that
// host (any path on it, as pip scopes it); the URL keeps none.
void take_userinfo(std::string& url, std::string_view source,
                   std::vector<net::ScopedCredential>& credentials) {
  auto parsed = net::parse_url(url);
  if (!parsed || (!parsed->user && !parsed->password)) return;
  const std::string clean = net::without_userinfo(url);
  auto credential = net::credential_for_url(
      clean, net::basic_authorization(parsed->user.value_or(""), parsed->password.value_or("")),
      fmt::format("the user info of the registry URL from {}", source));
  if (credential) {
    credential->path = "/";
    credentials.push_back(std::move(*credential));
  }
  url = clean;
}

// The netrc entry for the URL's host ($NETRC, else ~/.netrc), as pip reads it.
void add_netrc(const HostConfig& host, std::string_view url,
               std::vector<net::ScopedCredential>& credentials) {
  auto parsed = net::parse_url(url);
  if (!parsed) return;
  fs::path file;
  if (auto it = host.env.find("NETRC"); it != host.env.end() && !it->second.empty()) {
    file = it->second;
  } else if (auto home = host.env.find("HOME"); home != host.env.end() && !home->second.empty()) {
    file = fs::path(home->second) / ".netrc";
  } else {
    return;
  }
  std::optional<std::string> text = host.read_file ? host.read_file(file) : std::nullopt;
  if (!text) return;
  std::string machine = parsed->host;
  if (machine.starts_with('[')) machine = machine.substr(1, machine.size() - 2);
  auto entry = net::netrc_entry(*text, machine);
  if (!entry) return;
  net::ScopedCredential credential;
  credential.host = parsed->host;
  credential.any_port = true;
  credential.authorization = net::basic_authorization(entry->login, entry->password);
  credential.source = fmt::format("machine {} in {}", machine, file.string());
  credentials.push_back(std::move(credential));
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
  host.credential_runner = std::make_shared<exec::ProcessRunner>();
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
    std::vector<net::ScopedCredential> credentials;
    take_userinfo(location->url, location->source, credentials);
    auto from_npmrc = ecosystems::npm::npm_credentials(m_host.env, manifest.dir, m_host.read_file);
    if (!from_npmrc) return std::unexpected(std::move(from_npmrc.error()));
    credentials.insert(credentials.end(), from_npmrc->begin(), from_npmrc->end());
    return std::make_unique<AuthorizedDatasource>(
        m_http, std::move(credentials), [&](net::HttpClient& http) {
          return ecosystems::npm::make_datasource(http, location->url);
        });
  }
  if (ecosystem == "pypi") {
    auto location =
        ecosystems::pypi::resolve_registry(manifest.registries, m_host.env, m_host.read_file);
    if (!location) return std::unexpected(std::move(location.error()));
    std::vector<net::ScopedCredential> credentials;
    take_userinfo(location->url, location->source, credentials);
    add_netrc(m_host, location->url, credentials);
    return std::make_unique<AuthorizedDatasource>(
        m_http, std::move(credentials), [&](net::HttpClient& http) {
          return ecosystems::pypi::make_datasource(http, location->url);
        });
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
    ecosystems::oci::CredentialSources from;
    from.getenv = [env](std::string_view name) -> std::optional<std::string> {
      auto it = env.find(name);
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
    from.read_file = m_host.read_file;
    from.runner = m_host.credential_runner.get();
    // The lookup keeps the runner alive as long as the datasource asks it.
    auto credentials = [runner = m_host.credential_runner,
                        lookup = ecosystems::oci::registry_credentials(std::move(from))](
                           std::string_view registry) { return lookup(registry); };
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
