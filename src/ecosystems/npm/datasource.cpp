#include "ecosystems/npm/datasource.hpp"

#include <array>
#include <cstdint>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/base64.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "ecosystems/json_documents.hpp"
#include "ecosystems/npm/text.hpp"
#include "net/http_text.hpp"
#include "net/redact.hpp"

namespace driftlock::ecosystems::npm {

namespace {

using nlohmann::json;

bool is_unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string subject(std::string_view name) {
  return fmt::format("npm package {}", quote(name));
}

std::unexpected<Error> bad_document(std::string_view name, std::string_view url,
                                    std::string_view problem) {
  return fail(ErrorKind::infrastructure, fmt::format("{}: unexpected document from {}: {}",
                                                     subject(name), net::redact_url(url), problem));
}

// Package documents carry every version's manifest (dependencies, scripts,
// readmes) and the list of users who starred it: big, and of no use here.
// Only what resolving reads survives parsing, chosen by nesting depth:
// 1: the document's keys; 3: a version manifest's (or the unpublished
// record's) keys. Depths 2 (version strings, times) and 4 (`dist`'s keys,
// `dependencies`' names) are kept.
bool keep_member(int depth, const std::string& key) {
  switch (depth) {
    case 1:
      return key == "versions" || key == "time";
    case 3:
      return key == "dist" || key == "deprecated" || key == "versions" || key == "dependencies";
    default:
      return true;
  }
}

Result<json> parse_json(std::string_view name, std::string_view body, std::string_view url,
                        const std::optional<std::string>& content_type) {
  if (auto checked = expect_json(subject(name), body, url, content_type); !checked) {
    return std::unexpected(std::move(checked.error()));
  }
  try {
    return json::parse(body, [](int depth, json::parse_event_t event, json& parsed) {
      return event != json::parse_event_t::key || !parsed.is_string() ||
             keep_member(depth, parsed.get_ref<const std::string&>());
    });
  } catch (const json::parse_error& e) {
    return fail(ErrorKind::infrastructure,
                fmt::format("{}: malformed JSON from {} at byte {}", subject(name),
                            net::redact_url(url), e.byte));
  } catch (const json::out_of_range&) {  // a number beyond a double: 1e999
    return fail(ErrorKind::infrastructure,
                fmt::format("{}: malformed JSON from {}: a number out of range", subject(name),
                            net::redact_url(url)));
  }
}

const json* member(const json& object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// A version's `dependencies` ({"name": "range"}); nullopt when it is not an
// object of strings, which says nothing reliable.
std::optional<Requirements> requirements_of(const json& manifest) {
  const json* dependencies = member(manifest, "dependencies");
  if (dependencies == nullptr) return Requirements{};
  if (!dependencies->is_object()) return std::nullopt;
  Requirements out;
  for (const auto& [name, range] : dependencies->items()) {
    if (!range.is_string()) return std::nullopt;
    out.push_back(Requirement{name, range.get<std::string>()});
  }
  return out;
}

std::string string_member(const json& object, std::string_view key) {
  const json* value = member(object, key);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

std::optional<Timestamp> time_of(const json* time, const std::string& version) {
  if (time == nullptr) return std::nullopt;
  const json* value = member(*time, version);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  // A bad time leaves the release undated rather than failing the package.
  auto parsed = parse_timestamp(value->get_ref<const std::string&>());
  if (!parsed) return std::nullopt;
  return *parsed;
}

// Keys of `time` that are not versions.
bool is_time_bookkeeping(std::string_view key) {
  return key == "created" || key == "modified" || key == "unpublished";
}

std::optional<std::string> deprecation_of(const json& manifest) {
  const json* value = member(manifest, "deprecated");
  if (value == nullptr) return std::nullopt;
  // `npm deprecate pkg ""` clears a deprecation by writing an empty message.
  if (value->is_string()) {
    const auto& text = value->get_ref<const std::string&>();
    if (text.empty()) return std::nullopt;
    return text;
  }
  if (value->is_boolean() && value->get<bool>()) return std::string("deprecated");
  return std::nullopt;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Which hash algorithms of an SRI string count, weakest first.
constexpr std::array<std::string_view, 4> kAlgorithms = {"sha1", "sha256", "sha384", "sha512"};

}  // namespace

std::string package_url(std::string_view base_url, std::string_view name) {
  std::string url = without_trailing_slashes(std::string(base_url));
  url += '/';
  for (char c : name) {
    if (is_unreserved(c) || c == '@') {
      url += c;
    } else if (c == '/') {
      url += "%2f";
    } else {
      url += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    }
  }
  return url;
}

std::optional<std::string> pick_digest(std::string_view integrity, std::string_view shasum) {
  std::optional<std::string> best;
  std::size_t best_rank = 0;
  std::size_t pos = 0;
  while (pos < integrity.size()) {
    const std::size_t start = integrity.find_first_not_of(" \t\r\n", pos);
    if (start == std::string_view::npos) break;
    std::size_t end = integrity.find_first_of(" \t\r\n", start);
    if (end == std::string_view::npos) end = integrity.size();
    std::string_view token = integrity.substr(start, end - start);
    pos = end;
    // SRI allows "?options" after the hash; they are not part of it.
    token = token.substr(0, token.find('?'));
    const std::size_t dash = token.find('-');
    if (dash == std::string_view::npos || dash + 1 == token.size()) continue;
    for (std::size_t rank = 0; rank < kAlgorithms.size(); ++rank) {
      if (token.substr(0, dash) == kAlgorithms[rank] && (!best || rank > best_rank)) {
        best = std::string(token);
        best_rank = rank;
      }
    }
  }
  if (best) return best;
  if (shasum.size() != 40) return std::nullopt;
  std::string bytes;
  for (std::size_t i = 0; i < shasum.size(); i += 2) {
    const int high = hex_value(shasum[i]);
    const int low = hex_value(shasum[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes += static_cast<char>(high * 16 + low);
  }
  return "sha1-" + base64_encode(bytes);
}

namespace {

Result<PackageReleases> releases_from(std::string_view name, const json& doc,
                                      std::string_view url) {
  if (!doc.is_object()) return bad_document(name, url, "not a JSON object");
  PackageReleases out;
  out.name = std::string(name);
  const json* time = member(doc, "time");
  if (time != nullptr && !time->is_object()) time = nullptr;
  // The abbreviated document has no `time`; neither do some mirrors.
  out.has_publish_times = time != nullptr;

  const json* versions = member(doc, "versions");
  const bool unpublished = time != nullptr && member(*time, "unpublished") != nullptr;
  if (versions == nullptr && !unpublished) {
    return bad_document(name, url, "no 'versions' object");
  }
  if (versions != nullptr && !versions->is_object()) {
    return bad_document(name, url, "'versions' is not an object");
  }
  std::set<std::string, std::less<>> seen;
  if (versions != nullptr) {
    for (const auto& [version, manifest] : versions->items()) {
      if (!manifest.is_object()) {
        return bad_document(name, url, fmt::format("version {} is not an object", quote(version)));
      }
      Release release;
      release.version = version;
      release.published = time_of(time, version);
      release.deprecated = deprecation_of(manifest);
      release.requirements = requirements_of(manifest);
      if (const json* dist = member(manifest, "dist"); dist != nullptr && dist->is_object()) {
        release.digest =
            pick_digest(string_member(*dist, "integrity"), string_member(*dist, "shasum"));
        std::string tarball = string_member(*dist, "tarball");
        if (!tarball.empty()) release.source_url = std::move(tarball);
      }
      seen.insert(version);
      out.releases.push_back(std::move(release));
    }
  }
  // A version with a publish time but no manifest was unpublished: kept
  // as yanked so a snapshot pinning it is told why it is gone.
  if (time != nullptr) {
    for (const auto& [version, when] : time->items()) {
      if (is_time_bookkeeping(version) || seen.contains(version) || !when.is_string()) continue;
      Release release;
      release.version = version;
      release.published = time_of(time, version);
      release.yanked = true;
      seen.insert(version);
      out.releases.push_back(std::move(release));
    }
    // A wholly unpublished package lists its last versions here.
    const json* gone = member(*time, "unpublished");
    const json* list = gone != nullptr && gone->is_object() ? member(*gone, "versions") : nullptr;
    if (list != nullptr && list->is_array()) {
      for (const json& version : *list) {
        if (!version.is_string() || seen.contains(version.get_ref<const std::string&>())) {
          continue;
        }
        Release release;
        release.version = version.get<std::string>();
        release.yanked = true;
        seen.insert(release.version);
        out.releases.push_back(std::move(release));
      }
    }
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

Result<PackageReleases> parse_package_document(std::string_view name, std::string_view body,
                                               std::string_view url) {
  return parse_response(name, body, url, std::nullopt);
}

NpmDatasource::NpmDatasource(net::HttpClient& http, std::string base_url)
    : m_http(http), m_base_url(without_trailing_slashes(std::move(base_url))) {}

std::vector<Result<PackageReleases>> NpmDatasource::fetch(std::span<const std::string> names,
                                                          PublishTimes times) {
  if (names.empty()) return {};
  const std::string_view accept = times == PublishTimes::needed ? kFullAccept : kAbbreviatedAccept;
  const std::string& base = m_base_url;
  return fetch_documents(
      m_http, names, [&base](std::string_view name) { return package_url(base, name); }, accept,
      m_base_url, subject, parse_response);
}

std::unique_ptr<Datasource> make_datasource(net::HttpClient& http, std::string base_url) {
  return std::make_unique<NpmDatasource>(http, std::move(base_url));
}

}  // namespace driftlock::ecosystems::npm
