#include "ecosystems/pypi/datasource.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "core/time.hpp"
#include "ecosystems/pypi/name.hpp"
#include "ecosystems/pypi/text.hpp"
#include "net/http_text.hpp"

namespace driftlock::ecosystems::pypi {

namespace {

using nlohmann::json;

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

// The project's long description is big and of no use here.
bool keep_key(const json& key) {
  return !key.is_string() || key.get_ref<const std::string&>() != "description";
}

Result<json> parse_json(std::string_view name, std::string_view body, std::string_view url,
                        const std::optional<std::string>& content_type) {
  const std::size_t first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || (body[first] != '{' && body[first] != '[')) {
    // Proxies and captive portals answer 200 with an HTML page.
    return fail(ErrorKind::infrastructure,
                fmt::format("{}: the registry returned a non-JSON document from {} ({})",
                            subject(name), net::redact_url(url),
                            content_type ? "Content-Type: " + escape_for_message(*content_type)
                                         : std::string("no Content-Type")));
  }
  try {
    return json::parse(body, [](int, json::parse_event_t event, json& parsed) {
      return event != json::parse_event_t::key || keep_key(parsed);
    });
  } catch (const json::parse_error& e) {
    return fail(ErrorKind::infrastructure,
                fmt::format("{}: malformed JSON from {} at byte {}", subject(name),
                            net::redact_url(url), e.byte));
  }
}

const json* member(const json& object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string string_member(const json& object, std::string_view key) {
  const json* value = member(object, key);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

std::optional<Timestamp> upload_time(const json& file) {
  std::string text = string_member(file, "upload_time_iso_8601");
  if (text.empty()) {
    text = string_member(file, "upload_time");
    // The older field is UTC but carries no zone.
    if (!text.empty() && text.back() != 'Z' && text.back() != 'z') text += 'Z';
  }
  if (text.empty()) return std::nullopt;
  auto parsed = parse_timestamp(text);
  if (!parsed) return std::nullopt;
  return *parsed;
}

bool is_sha256_hex(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

std::string lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// Lower ranks win: sdist, then wheels, then anything else (eggs, exes).
int type_rank(const json& file) {
  const std::string type = string_member(file, "packagetype");
  if (type == "sdist") return 0;
  if (type == "bdist_wheel") return 1;
  return 2;
}

Result<PackageReleases> releases_from(std::string_view name, const json& doc,
                                      std::string_view url) {
  if (!doc.is_object()) return bad_document(name, url, "not a JSON object");
  const json* releases = member(doc, "releases");
  if (releases == nullptr) return bad_document(name, url, "no 'releases' object");
  if (!releases->is_object()) return bad_document(name, url, "'releases' is not an object");
  PackageReleases out;
  out.name = std::string(name);
  for (const auto& [version, files] : releases->items()) {
    if (!files.is_array()) {
      return bad_document(name, url,
                          fmt::format("the files of version {} are not a list", quote(version)));
    }
    Release release;
    release.version = version;
    bool all_yanked = !files.empty();
    const json* chosen = nullptr;
    std::tuple<int, std::string> chosen_key;
    for (const json& file : files) {
      if (!file.is_object()) {
        return bad_document(name, url,
                            fmt::format("a file of version {} is not an object", quote(version)));
      }
      const json* yanked = member(file, "yanked");
      if (yanked == nullptr || !yanked->is_boolean() || !yanked->get<bool>()) all_yanked = false;
      if (auto when = upload_time(file);
          when && (!release.published || *when < release.published)) {
        release.published = when;
      }
      const json* digests = member(file, "digests");
      if (digests == nullptr || !digests->is_object() ||
          !is_sha256_hex(string_member(*digests, "sha256"))) {
        continue;
      }
      std::tuple<int, std::string> key{type_rank(file), string_member(file, "filename")};
      if (chosen == nullptr || key < chosen_key) {
        chosen = &file;
        chosen_key = std::move(key);
      }
    }
    release.yanked = all_yanked;
    if (chosen != nullptr) {
      release.digest = "sha256:" + lower(string_member(*member(*chosen, "digests"), "sha256"));
      std::string file_url = string_member(*chosen, "url");
      if (!file_url.empty()) release.source_url = std::move(file_url);
    }
    out.releases.push_back(std::move(release));
  }
  return out;
}

Result<PackageReleases> parse_response(std::string_view name, std::string_view body,
                                       std::string_view url,
                                       const std::optional<std::string>& content_type) {
  // g++ 12's std::expected has no and_then yet.
  Result<json> doc = parse_json(name, body, url, content_type);
  if (!doc) return std::unexpected(std::move(doc.error()));
  return releases_from(name, *doc, url);
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
  std::vector<Result<PackageReleases>> results;
  if (names.empty()) return results;
  std::vector<net::Request> requests;
  requests.reserve(names.size());
  for (const std::string& name : names) {
    net::Request request;
    request.url = project_url(m_base_url, name);
    request.headers = {{"Accept", "application/json"}};
    requests.push_back(std::move(request));
  }
  std::vector<Result<net::Response>> responses = m_http.perform(requests);
  results.reserve(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    const std::string& url = requests[i].url;
    if (i >= responses.size()) {
      results.push_back(
          fail(ErrorKind::infrastructure,
               fmt::format("{}: no response for {}", subject(name), net::redact_url(url))));
      continue;
    }
    const Result<net::Response>& response = responses[i];
    if (!response) {
      results.push_back(fail(response.error().kind,
                             fmt::format("{}: {}", subject(name), response.error().message)));
      continue;
    }
    if (response->status == 404) {
      results.push_back(fail_input(
          fmt::format("{} not found at {}", subject(name), net::redact_url(m_base_url))));
      continue;
    }
    if (!response->ok()) {
      std::string message = fmt::format("{}: cannot fetch {}: HTTP {}", subject(name),
                                        net::redact_url(url), response->status);
      if (response->attempts > 1) {
        message += fmt::format(" (gave up after {} attempts)", response->attempts);
      }
      results.push_back(fail(ErrorKind::infrastructure, std::move(message)));
      continue;
    }
    results.push_back(parse_response(name, response->body, url, response->header("content-type")));
  }
  return results;
}

std::unique_ptr<Datasource> make_datasource(net::HttpClient& http, std::string base_url) {
  return std::make_unique<PypiDatasource>(http, std::move(base_url));
}

}  // namespace driftlock::ecosystems::pypi
