// The PyPI Datasource: one GET {base}/pypi/{normalized name}/json per package
// (the JSON API), all in one concurrent batch.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/datasource.hpp"
#include "core/error.hpp"
#include "net/http_client.hpp"

namespace driftlock::ecosystems::pypi {

// {base}/pypi/{PEP 503 normalized name}/json; a trailing '/' of `base_url` is dropped.
std::string project_url(std::string_view base_url, std::string_view name);

// The releases in a JSON API project document, from its `releases` map
// (version -> files). Per release:
// - yanked only when it has files and every one is yanked;
// - published: the earliest file's upload_time_iso_8601 (else upload_time,
//   which is UTC without a zone); absent without files;
// - digest: "sha256:<hex>" of one file, chosen so it does not depend on the
//   order the registry lists files in: the sdist, else the first wheel by
//   filename, else the first other file by filename (several sdists: the
//   first by filename); files without a sha256 are skipped. source_url is
//   that file's url.
// `url` names the document in errors, which are infrastructure errors naming
// the package.
Result<PackageReleases> parse_project_document(std::string_view name, std::string_view body,
                                               std::string_view url);

class PypiDatasource final : public Datasource {
 public:
  PypiDatasource(net::HttpClient& http, std::string base_url);

  // Every release has its upload time, so `times` changes nothing here.
  std::vector<Result<PackageReleases>> fetch(std::span<const std::string> names,
                                             PublishTimes times) override;

 private:
  net::HttpClient& m_http;
  std::string m_base_url;  // without trailing '/'
};

std::unique_ptr<Datasource> make_datasource(net::HttpClient& http, std::string base_url);

}  // namespace driftlock::ecosystems::pypi
