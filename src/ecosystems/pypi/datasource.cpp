#include "ecosystems/pypi/datasource.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "core/text.hpp"
#include "core/time.hpp"
#include "ecosystems/json_documents.hpp"
#include "ecosystems/pypi/name.hpp"
#include "ecosystems/pypi/project_reader.hpp"
#include "ecosystems/pypi/text.hpp"
#include "net/http_text.hpp"
#include "net/redact.hpp"

namespace driftlock::ecosystems::pypi {

namespace {

bool is_unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string subject(std::string_view name) {
  return fmt::format("PyPI package {}", quote(name));
}

std::unexpected<Error> bad_document(std::string_view name, std::string_view url,
                                    std::string_view problem) {
  return fail(ErrorKind::infrastructure, fmt::format("{}: unexpected document from {}: {}",
                                                     subject(name), net::redact_url(url), problem));
}

Result<PackageReleases> parse_response(std::string_view name, std::string_view body,
                                       std::string_view url,
                                       const std::optional<std::string>& content_type) {
  if (auto checked = expect_json(subject(name), body, url, content_type); !checked) {
    return std::unexpected(std::move(checked.error()));
  }
  ProjectReading reading = read_project(name, body);
  if (reading.malformed) {
    return fail(ErrorKind::infrastructure,
                fmt::format("{}: malformed JSON from {} at byte {}", subject(name),
                            net::redact_url(url), reading.error_byte));
  }
  if (!reading.problem.empty()) return bad_document(name, url, reading.problem);
  return std::move(reading.releases);
}

}  // namespace

std::string project_url(std::string_view base_url, std::string_view name) {
  std::string url = without_trailing_slashes(std::string(base_url));
  url += "/pypi/";
  for (char c : normalize_name(name)) {
    if (is_unreserved(c)) {
      url += c;
    } else {
      url += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    }
  }
  url += "/json";
  return url;
}

Result<PackageReleases> parse_project_document(std::string_view name, std::string_view body,
                                               std::string_view url) {
  return parse_response(name, body, url, std::nullopt);
}

PypiDatasource::PypiDatasource(net::HttpClient& http, std::string base_url)
    : m_http(http), m_base_url(without_trailing_slashes(std::move(base_url))) {}

std::vector<Result<PackageReleases>> PypiDatasource::fetch(std::span<const std::string> names,
                                                           PublishTimes /*times*/) {
  if (names.empty()) return {};
  const std::string& base = m_base_url;
  return fetch_documents(
      m_http, names, [&base](std::string_view name) { return project_url(base, name); },
      "application/json", m_base_url, subject, parse_response);
}

std::unique_ptr<Datasource> make_datasource(net::HttpClient& http, std::string base_url) {
  return std::make_unique<PypiDatasource>(http, std::move(base_url));
}

}  // namespace driftlock::ecosystems::pypi
