// The Debian Datasource: the `Packages` index of each component of one
// suite/arch, found through the suite's `Release` file. Each fetch() downloads
// {url}/dists/{suite}/Release once, then every component's index in one
// concurrent batch (.xz, else .gz, else plain), checks each against the
// SHA256 the Release lists, and answers all names from them.
//
// Out of scope: the OpenPGP signature of InRelease / Release.gpg is not
// checked, so the Release file is trusted as served (use https or a trusted
// mirror); the index hashes still catch corrupt or mismatched downloads.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/datasource.hpp"
#include "core/manifest.hpp"
#include "net/http_client.hpp"

namespace driftlock::ecosystems::debian {

// {url}/dists/{suite}/Release (a trailing '/' of url is dropped).
std::string release_url(const DebianRegistry& registry);

// "<url> <suite> <component...>", as messages name a repository.
std::string describe(const DebianRegistry& registry);

class DebianDatasource final : public Datasource {
 public:
  DebianDatasource(net::HttpClient& http, DebianRegistry registry);

  // Versions come without publish times (has_publish_times = false); a
  // version's digest is "sha256:<hex>" of its .deb and source_url the .deb's
  // URL. Several versions of a package in the indexes give several Releases.
  std::vector<Result<PackageReleases>> fetch(std::span<const std::string> names,
                                             PublishTimes times) override;

 private:
  net::HttpClient& m_http;
  DebianRegistry m_registry;  // url without trailing '/'
};

std::unique_ptr<Datasource> make_datasource(net::HttpClient& http, DebianRegistry registry);

}  // namespace driftlock::ecosystems::debian
