// The npm Datasource: one GET {base}/{name} per package (the registry's
// package document), all in one concurrent batch.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/datasource.hpp"
#include "core/error.hpp"
#include "net/http_client.hpp"

namespace driftlock::ecosystems::npm {

// The abbreviated ("install") document has everything but publish times, and
// is much smaller; the full one adds the `time` object.
inline constexpr std::string_view kAbbreviatedAccept =
    "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*";
inline constexpr std::string_view kFullAccept = "application/json";

// {base}/{name}, with the '/' of a scoped name sent as "%2f" ("@scope%2fname")
// as npm does; a trailing '/' of `base_url` is dropped.
std::string package_url(std::string_view base_url, std::string_view name);

// The releases in a package document (full or abbreviated). `url` names the
// document in errors, which are infrastructure errors naming the package.
Result<PackageReleases> parse_package_document(std::string_view name, std::string_view body,
                                               std::string_view url);

// The SRI digest of a version's `dist`: the strongest hash of `integrity`
// (sha512 > sha384 > sha256 > sha1), else `shasum` (hex SHA-1) as
// "sha1-<base64>", the form npm itself writes for old packages; nullopt when
// neither is usable.
std::optional<std::string> pick_digest(std::string_view integrity, std::string_view shasum);

class NpmDatasource final : public Datasource {
 public:
  NpmDatasource(net::HttpClient& http, std::string base_url);

  std::vector<Result<PackageReleases>> fetch(std::span<const std::string> names,
                                             PublishTimes times) override;

 private:
  net::HttpClient& m_http;
  std::string m_base_url;  // without trailing '/'
};

std::unique_ptr<Datasource> make_datasource(net::HttpClient& http, std::string base_url);

}  // namespace driftlock::ecosystems::npm
