#include "core/snapshot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>

#include "core/json_locator.hpp"
#include "core/json_types.hpp"
#include "core/suggest.hpp"
#include "core/time.hpp"

namespace driftlock {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

constexpr std::size_t kMaxDepth = 64;

constexpr std::array<std::string_view, 6> kTopKeys = {"format",  "version",      "image",
                                                      "created", "dependencies", "held"};
constexpr std::array<std::string_view, 6> kDependencyKeys = {
    "ecosystem", "name", "version", "digest", "published", "transitive"};
constexpr std::array<std::string_view, 5> kHeldKeys = {"ecosystem", "name", "version", "reason",
                                                       "since"};

class Loader {
 public:
  Loader(std::string_view text, const std::string& path, EcosystemTable ecosystems)
      : m_text(text), m_path(path), m_ecosystems(ecosystems) {}

  Result<Snapshot> load() {
    // Nesting deeper than any snapshot needs is refused before parsing, which
    // also keeps every recursive walk over the text bounded.
    if (auto at = json_too_deep_at(m_text, kMaxDepth)) {
      return fail_at(locate(m_path, m_text, *at),
                     fmt::format("JSON nested deeper than {} levels", kMaxDepth));
    }
    Json root;
    try {
      root = Json::parse(m_text);
    } catch (const Json::parse_error& e) {
      return fail_at(locate(m_path, m_text, e.byte > 0 ? e.byte - 1 : 0),
                     "invalid JSON: " + describe(e));
    } catch (const Json::exception& e) {
      // Number overflow and the like: nlohmann gives no position for these.
      return fail_at(locate(m_path, m_text, 0), "invalid JSON: " + describe(e));
    }
    if (!root.is_object()) return error({}, "a snapshot must be a JSON object");

    Snapshot snapshot;
    if (auto r = check_keys(root, {}, kTopKeys, "snapshot"); !r) return std::unexpected(r.error());
    auto format = required_string(root, {}, "format");
    if (!format) return std::unexpected(format.error());
    if (*format != kSnapshotFormat) {
      return error({"format"}, fmt::format("unknown snapshot format '{}' (expected '{}')", *format,
                                           kSnapshotFormat));
    }
    if (!root.contains("version")) return error({}, "missing required key 'version'");
    const Json& version = root["version"];
    if (!version.is_number_integer()) {
      return error({"version"}, fmt::format("expected an integer for 'version', found {}",
                                            json_type_name(version)));
    }
    if (version.get<long long>() != kSnapshotVersion) {
      return error({"version"},
                   fmt::format("unsupported snapshot version {} (this driftlock reads version {})",
                               version.dump(), kSnapshotVersion));
    }
    auto image = required_string(root, {}, "image");
    if (!image) return std::unexpected(image.error());
    snapshot.image = *image;
    if (auto created = optional_timestamp(root, {}, "created"); !created) {
      return std::unexpected(created.error());
    } else {
      snapshot.created = *created;
    }

    if (!root.contains("dependencies")) return error({}, "missing required key 'dependencies'");
    const Json& deps = root["dependencies"];
    if (!deps.is_array()) {
      return error({"dependencies"}, fmt::format("expected an array for 'dependencies', found {}",
                                                 json_type_name(deps)));
    }
    std::map<std::pair<std::string, std::string>, std::size_t> seen;
    for (std::size_t i = 0; i < deps.size(); ++i) {
      auto dep = load_dependency(deps[i], i);
      if (!dep) return std::unexpected(dep.error());
      auto [it, inserted] = seen.emplace(std::pair(dep->ecosystem, dep->name), i);
      if (!inserted) {
        int first_line = locate(m_path, m_text, offset({"dependencies", it->second})).line;
        return error({"dependencies", i},
                     fmt::format("duplicate dependency {}:{} (first at line {})", dep->ecosystem,
                                 dep->name, first_line));
      }
      snapshot.dependencies.push_back(std::move(*dep));
    }

    snapshot.write_held_key = root.contains("held");
    if (snapshot.write_held_key) {
      const Json& held = root["held"];
      if (!held.is_array()) {
        return error({"held"},
                     fmt::format("expected an array for 'held', found {}", json_type_name(held)));
      }
      std::map<std::tuple<std::string, std::string, std::string>, std::size_t> seen_held;
      for (std::size_t i = 0; i < held.size(); ++i) {
        auto h = load_held(held[i], i);
        if (!h) return std::unexpected(h.error());
        if (!seen_held.emplace(std::tuple(h->ecosystem, h->name, h->version), i).second) {
          return error({"held", i}, fmt::format("duplicate held entry {}:{} {}", h->ecosystem,
                                                h->name, h->version));
        }
        snapshot.held.push_back(std::move(*h));
      }
    }
    std::stable_sort(snapshot.dependencies.begin(), snapshot.dependencies.end(),
                     by_identity<Dependency>);
    std::stable_sort(snapshot.held.begin(), snapshot.held.end(), by_identity<HeldBack>);
    return snapshot;
  }

 private:
  static std::string describe(const Json::exception& e) {
    // nlohmann's text repeats the position we already show; keep the reason.
    std::string what = e.what();
    if (auto bracket = what.find("] ");
        what.starts_with("[json.exception") && bracket != std::string::npos) {
      what = what.substr(bracket + 2);
    }
    if (what.starts_with("parse error")) {
      auto colon = what.find(": ");
      if (colon != std::string::npos) what = what.substr(colon + 2);
    }
    if (what.rfind("syntax error while parsing value - ", 0) == 0) {
      what = what.substr(std::string_view("syntax error while parsing value - ").size());
    }
    return what;
  }

  std::size_t offset(const JsonPath& path, JsonAnchor anchor = JsonAnchor::value) const {
    return json_offset(m_text, path, anchor);
  }

  std::unexpected<Error> error(const JsonPath& path, std::string message,
                               JsonAnchor anchor = JsonAnchor::value) const {
    return fail_at(locate(m_path, m_text, offset(path, anchor)), std::move(message));
  }

  template <std::size_t N>
  Result<void> check_keys(const Json& object, const JsonPath& path,
                          const std::array<std::string_view, N>& known,
                          std::string_view what) const {
    for (const auto& [key, value] : object.items()) {
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      JsonPath at = path;
      at.emplace_back(key);
      return error(at, fmt::format("unknown key '{}' in {}{}", key, what, did_you_mean(key, known)),
                   JsonAnchor::key);
    }
    return {};
  }

  Result<std::string> required_string(const Json& object, JsonPath path,
                                      const std::string& key) const {
    if (!object.contains(key)) return error(path, fmt::format("missing required key '{}'", key));
    path.emplace_back(key);
    const Json& value = object[key];
    if (!value.is_string()) {
      return error(path,
                   fmt::format("expected a string for '{}', found {}", key, json_type_name(value)));
    }
    std::string s = value.get<std::string>();
    if (s.empty()) return error(path, fmt::format("'{}' must not be empty", key));
    for (unsigned char c : s) {
      if (c < 0x20 || c == 0x7f) {
        return error(path, fmt::format("'{}' contains a control character", key));
      }
    }
    return s;
  }

  Result<std::optional<std::string>> optional_string(const Json& object, const JsonPath& path,
                                                     const std::string& key) const {
    if (!object.contains(key)) return std::optional<std::string>();
    auto s = required_string(object, path, key);
    if (!s) return std::unexpected(s.error());
    return std::optional<std::string>(std::move(*s));
  }

  Result<std::optional<std::string>> optional_timestamp(const Json& object, const JsonPath& path,
                                                        const std::string& key) const {
    auto s = optional_string(object, path, key);
    if (!s || !*s) return s;
    if (auto t = parse_timestamp(**s); !t) {
      JsonPath at = path;
      at.emplace_back(key);
      return error(at, fmt::format("'{}': {}", key, t.error().message));
    }
    return s;
  }

  Result<std::optional<bool>> optional_bool(const Json& object, JsonPath path,
                                            const std::string& key) const {
    if (!object.contains(key)) return std::optional<bool>();
    path.emplace_back(key);
    const Json& value = object[key];
    if (!value.is_boolean()) {
      return error(
          path, fmt::format("expected a boolean for '{}', found {}", key, json_type_name(value)));
    }
    return std::optional<bool>(value.get<bool>());
  }

  // Shared by dependencies and held entries: ecosystem, name and version.
  // A held entry's version may be a content digest instead.
  enum class VersionOrDigest { version, either };
  Result<const Ecosystem*> identity(const Json& entry, const JsonPath& path, std::string& eco,
                                    std::string& name, std::string& version,
                                    VersionOrDigest accept = VersionOrDigest::version) const {
    auto e = required_string(entry, path, "ecosystem");
    if (!e) return std::unexpected(e.error());
    const Ecosystem* ecosystem = find_ecosystem(m_ecosystems, *e);
    if (!ecosystem) {
      std::vector<std::string_view> names;
      for (const Ecosystem& x : m_ecosystems) names.push_back(x.name);
      JsonPath at = path;
      at.emplace_back("ecosystem");
      return error(at, fmt::format("unknown ecosystem '{}'{}", *e, did_you_mean(*e, names)));
    }
    auto n = required_string(entry, path, "name");
    if (!n) return std::unexpected(n.error());
    if (ecosystem->validate_name) {
      if (auto ok = ecosystem->validate_name(*n); !ok) {
        JsonPath at = path;
        at.emplace_back("name");
        return error(at, ok.error().message);
      }
    }
    auto v = required_string(entry, path, "version");
    if (!v) return std::unexpected(v.error());
    const bool digest = accept == VersionOrDigest::either && is_content_digest(*v);
    if (auto ok = ecosystem->scheme->normalize(*v); !ok && !digest) {
      JsonPath at = path;
      at.emplace_back("version");
      return error(at, fmt::format("{}:{}: {}", *e, *n, ok.error().message));
    }
    eco = *e;
    name = *n;
    version = *v;
    return ecosystem;
  }

  Result<Dependency> load_dependency(const Json& entry, std::size_t index) const {
    JsonPath path = {"dependencies", index};
    if (!entry.is_object()) {
      return error(path, fmt::format("expected an object for a dependency, found {}",
                                     json_type_name(entry)));
    }
    if (auto r = check_keys(entry, path, kDependencyKeys, "dependency"); !r) {
      return std::unexpected(r.error());
    }
    Dependency dep;
    if (auto r = identity(entry, path, dep.ecosystem, dep.name, dep.version); !r) {
      return std::unexpected(r.error());
    }
    auto digest = optional_string(entry, path, "digest");
    if (!digest) return std::unexpected(digest.error());
    dep.digest = *digest;
    auto published = optional_timestamp(entry, path, "published");
    if (!published) return std::unexpected(published.error());
    dep.published = *published;
    auto transitive = optional_bool(entry, path, "transitive");
    if (!transitive) return std::unexpected(transitive.error());
    dep.transitive = transitive->value_or(false);
    return dep;
  }

  Result<HeldBack> load_held(const Json& entry, std::size_t index) const {
    JsonPath path = {"held", index};
    if (!entry.is_object()) {
      return error(path, fmt::format("expected an object for a held entry, found {}",
                                     json_type_name(entry)));
    }
    if (auto r = check_keys(entry, path, kHeldKeys, "held entry"); !r) {
      return std::unexpected(r.error());
    }
    HeldBack held;
    if (auto r =
            identity(entry, path, held.ecosystem, held.name, held.version, VersionOrDigest::either);
        !r) {
      return std::unexpected(r.error());
    }
    auto reason = optional_string(entry, path, "reason");
    if (!reason) return std::unexpected(reason.error());
    held.reason = *reason;
    auto since = optional_timestamp(entry, path, "since");
    if (!since) return std::unexpected(since.error());
    held.since = *since;
    return held;
  }

  std::string_view m_text;
  const std::string& m_path;
  EcosystemTable m_ecosystems;
};

}  // namespace

const Dependency* Snapshot::find(std::string_view ecosystem, std::string_view name) const {
  for (const Dependency& d : dependencies) {
    if (d.ecosystem == ecosystem && d.name == name) return &d;
  }
  return nullptr;
}

Result<Snapshot> parse_snapshot(std::string_view text, const std::string& path,
                                EcosystemTable ecosystems) {
  return Loader(text, path, ecosystems).load();
}

Result<Snapshot> load_snapshot(const std::filesystem::path& path, EcosystemTable ecosystems) {
  auto text = read_file(path, "snapshot");
  if (!text) return std::unexpected(text.error());
  return parse_snapshot(*text, path.string(), ecosystems);
}

std::string serialize_snapshot(const Snapshot& snapshot) {
  OrderedJson root;
  root["format"] = kSnapshotFormat;
  root["version"] = kSnapshotVersion;
  root["image"] = snapshot.image;
  if (snapshot.created) root["created"] = *snapshot.created;
  std::vector<Dependency> deps = snapshot.dependencies;
  std::stable_sort(deps.begin(), deps.end(), by_identity<Dependency>);
  root["dependencies"] = OrderedJson::array();
  for (const Dependency& d : deps) {
    OrderedJson entry;
    entry["ecosystem"] = d.ecosystem;
    entry["name"] = d.name;
    entry["version"] = d.version;
    if (d.digest) entry["digest"] = *d.digest;
    if (d.published) entry["published"] = *d.published;
    // Absent means direct, so snapshots without a closure keep their bytes.
    if (d.transitive) entry["transitive"] = true;
    root["dependencies"].push_back(std::move(entry));
  }
  if (snapshot.write_held_key || !snapshot.held.empty()) {
    std::vector<HeldBack> held = snapshot.held;
    std::stable_sort(held.begin(), held.end(), by_identity<HeldBack>);
    root["held"] = OrderedJson::array();
    for (const HeldBack& h : held) {
      OrderedJson entry;
      entry["ecosystem"] = h.ecosystem;
      entry["name"] = h.name;
      entry["version"] = h.version;
      if (h.reason) entry["reason"] = *h.reason;
      if (h.since) entry["since"] = *h.since;
      root["held"].push_back(std::move(entry));
    }
  }
  // Invalid UTF-8 (impossible after loading, possible in a reason built from a
  // log tail) is replaced rather than thrown on.
  return root.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n";
}

Result<void> save_snapshot(const std::filesystem::path& path, const Snapshot& snapshot) {
  // The first green run of a new project creates snapshots/.
  return write_file_atomically(path, serialize_snapshot(snapshot), Folders::create);
}

}  // namespace driftlock
