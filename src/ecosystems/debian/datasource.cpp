#include "ecosystems/debian/datasource.hpp"
#include "core/text.hpp"

#include <map>
#include <utility>

#include <fmt/format.h>

#include "ecosystems/debian/packages_index.hpp"
#include "net/http_text.hpp"
#include "net/redact.hpp"

namespace driftlock::ecosystems::debian {

namespace {

// A non-2xx answer or a transport failure for a document every name needs.
std::unexpected<Error> http_failure(const net::Response& response, std::string_view url) {
  std::string message =
      fmt::format("cannot fetch {}: HTTP {}", net::redact_url(url), response.status);
  if (response.attempts > 1) {
    message += fmt::format(" (gave up after {} attempts)", response.attempts);
  }
  return fail(ErrorKind::infrastructure, std::move(message));
}

using Found = std::map<std::string, std::vector<Release>, std::less<>>;

}  // namespace

std::string release_url(const DebianRegistry& registry) {
  return fmt::format("{}/dists/{}/Release", without_trailing_slashes(registry.url), registry.suite);
}

std::string describe(const DebianRegistry& registry) {
  std::string text =
      fmt::format("{} {}", net::redact_url(without_trailing_slashes(registry.url)), registry.suite);
  for (const auto& component : registry.components) text += " " + component;
  return text;
}

DebianDatasource::DebianDatasource(net::HttpClient& http, DebianRegistry registry)
    : m_http(http), m_registry(std::move(registry)) {
  m_registry.url = without_trailing_slashes(std::move(m_registry.url));
  if (m_registry.components.empty()) m_registry.components = {"main"};
  if (m_registry.arch.empty()) m_registry.arch = "amd64";
}

namespace {

// Downloads the Release and every component's index once and keeps the
// releases of the names asked for (an index has tens of thousands of stanzas).
Result<Found> load(net::HttpClient& http, const DebianRegistry& registry,
                   std::span<const std::string> names) {
  Found found;
  for (const auto& name : names) found.try_emplace(name);

  const std::string release = release_url(registry);
  net::Request release_request;
  release_request.url = release;
  auto release_response = http.fetch(release_request);
  if (!release_response) return std::unexpected(release_response.error());
  if (release_response->status == 404) {
    return fail_input(fmt::format("Debian suite '{}' not found: {} gave HTTP 404",
                                  escape_for_message(registry.suite), net::redact_url(release)));
  }
  if (!release_response->ok()) return http_failure(*release_response, release);
  auto files = parse_release(release_response->body, net::redact_url(release));
  if (!files) return std::unexpected(files.error());

  std::vector<ReleaseFile> chosen;
  std::vector<net::Request> requests;
  const std::string dists = fmt::format("{}/dists/{}/", registry.url, registry.suite);
  for (const auto& component : registry.components) {
    auto file = choose_packages_file(*files, component, registry.arch);
    if (!file) {
      return fail_input(fmt::format("{} lists no Packages index for {}/binary-{}",
                                    net::redact_url(release), escape_for_message(component),
                                    escape_for_message(registry.arch)));
    }
    net::Request request;
    request.url = dists + file->path;
    requests.push_back(std::move(request));
    chosen.push_back(std::move(*file));
  }

  auto responses = http.perform(requests);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const std::string url = net::redact_url(requests[i].url);
    if (i >= responses.size()) {
      return fail(ErrorKind::infrastructure, fmt::format("no response for {}", url));
    }
    const auto& response = responses[i];
    if (!response) return std::unexpected(response.error());
    if (!response->ok()) return http_failure(*response, requests[i].url);
    const std::string actual = sha256_hex(response->body);
    if (actual != chosen[i].sha256) {
      return fail(ErrorKind::infrastructure,
                  fmt::format("{}: SHA256 mismatch: the Release lists {}, the download has {}", url,
                              chosen[i].sha256, actual));
    }
    auto read = read_packages(response->body, compression_of(chosen[i].path), url,
                              [&](PackageEntry&& entry) {
                                auto hit = found.find(entry.package);
                                if (hit == found.end()) return;
                                for (const auto& known : hit->second) {
                                  if (known.version == entry.version)
                                    return;  // same version in another component
                                }
                                Release out;
                                out.version = std::move(entry.version);
                                if (!entry.sha256.empty())
                                  out.digest = "sha256:" + net::lower_ascii(entry.sha256);
                                if (!entry.filename.empty())
                                  out.source_url = registry.url + "/" + entry.filename;
                                hit->second.push_back(std::move(out));
                              });
    if (!read) return std::unexpected(read.error());
  }
  return found;
}

}  // namespace

std::vector<Result<PackageReleases>> DebianDatasource::fetch(std::span<const std::string> names,
                                                             PublishTimes /*times*/) {
  std::vector<Result<PackageReleases>> results;
  if (names.empty()) return results;
  auto found = load(m_http, m_registry, names);
  results.reserve(names.size());
  for (const auto& name : names) {
    const std::string subject = fmt::format("Debian package '{}'", escape_for_message(name));
    if (!found) {
      results.push_back(
          fail(found.error().kind, fmt::format("{}: {}", subject, found.error().message)));
      continue;
    }
    auto& releases = (*found)[name];
    if (releases.empty()) {
      results.push_back(
          fail_input(fmt::format("{} not found in {}", subject, describe(m_registry))));
      continue;
    }
    results.push_back(PackageReleases{name, releases, false});
  }
  return results;
}

std::unique_ptr<Datasource> make_datasource(net::HttpClient& http, DebianRegistry registry) {
  return std::make_unique<DebianDatasource>(http, std::move(registry));
}

}  // namespace driftlock::ecosystems::debian
