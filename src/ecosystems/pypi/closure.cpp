#include "ecosystems/pypi/closure.hpp"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "core/closure_json.hpp"
#include "core/json_locator.hpp"
#include "core/json_types.hpp"
#include "core/text.hpp"
#include "ecosystems/pypi/name.hpp"
#include "ecosystems/pypi/requirement.hpp"
#include "ecosystems/pypi/version.hpp"

namespace driftlock::ecosystems::pypi {
namespace {

using Json = nlohmann::json;

// The name and version as checked: a valid name and a PEP 440 version.
Result<void> check_package(std::string_view name, std::string_view version) {
  if (auto ok = validate_name(name); !ok) return std::unexpected(ok.error());
  if (auto ok = version_scheme().normalize(version); !ok) {
    return fail_input(fmt::format("{}: {}", name, ok.error().message));
  }
  return {};
}

// The length of the run of name characters `text` starts with.
std::size_t name_length(std::string_view text) {
  std::size_t end = 0;
  while (end < text.size()) {
    const char c = text[end];
    const bool name_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!name_char) break;
    ++end;
  }
  return end;
}

// `pip list --format=json` and `pip inspect`.
class JsonListing {
 public:
  explicit JsonListing(std::string_view text) : m_text(text) {}

  Result<ClosureListing> run() {
    auto parsed = parse_listing_json(m_text);
    if (!parsed) return std::unexpected(std::move(parsed.error()));
    const Json& root = *parsed;
    auto ok = root.is_array() ? list(root) : inspect(root);
    if (!ok) return std::unexpected(ok.error());
    return std::move(m_builder).finish();
  }

 private:
  struct Installed {
    std::string name;
    std::string version;
    std::vector<std::string> requires_dist;
    std::size_t line = 0;
    bool skipped = false;
  };

  Result<void> list(const Json& root) {
    for (std::size_t i = 0; i < root.size(); ++i) {
      const Json& entry = root[i];
      const JsonPath path = {i};
      if (!entry.is_object()) {
        return error(
            path, fmt::format("expected an object for a package, found {}", json_type_name(entry)));
      }
      auto name = string_member(entry, path, "name");
      if (!name) return std::unexpected(name.error());
      auto version = string_member(entry, path, "version");
      if (!version) return std::unexpected(version.error());
      if (auto ok = check_package(*name, *version); !ok) return error(path, ok.error().message);
      if (auto editable = entry.find("editable_project_location"); editable != entry.end()) {
        m_builder.skip(fmt::format("-e {}", editable->is_string()
                                                ? editable->get_ref<const std::string&>()
                                                : *name + "==" + *version));
        continue;
      }
      const std::size_t line = line_of(m_text, json_offset(m_text, path));
      if (auto ok = m_builder.add({*name, *version, {}}, line, normalize_name(*name)); !ok) {
        return ok;
      }
    }
    return {};
  }

  Result<void> inspect(const Json& root) {
    if (!root.is_object()) {
      return error({}, fmt::format("expected the JSON of pip list or pip inspect, found {}",
                                   json_type_name(root)));
    }
    auto installed = root.find("installed");
    if (installed == root.end()) return error({}, "expected pip inspect's 'installed' array");
    if (!installed->is_array()) {
      return error({"installed"}, fmt::format("expected an array for 'installed', found {}",
                                              json_type_name(*installed)));
    }
    std::vector<Installed> packages;
    for (std::size_t i = 0; i < installed->size(); ++i) {
      auto package = read_installed((*installed)[i], {"installed", i});
      if (!package) return std::unexpected(package.error());
      packages.push_back(std::move(*package));
    }
    // Who requires whom, among what is installed.
    std::map<std::string, std::size_t> by_key;
    for (std::size_t i = 0; i < packages.size(); ++i) {
      by_key.try_emplace(normalize_name(packages[i].name), i);
    }
    std::vector<std::vector<std::string>> via(packages.size());
    for (const Installed& parent : packages) {
      const std::string parent_key = normalize_name(parent.name);
      for (const std::string& requirement : parent.requires_dist) {
        auto required = parse_requirement(requirement);
        if (!required) continue;
        const std::string key = normalize_name(required->name);
        auto child = by_key.find(key);
        if (child == by_key.end() || key == parent_key) continue;
        via[child->second].push_back(parent.name);
      }
    }
    for (std::size_t i = 0; i < packages.size(); ++i) {
      Installed& p = packages[i];
      if (p.skipped) continue;
      const std::string key = normalize_name(p.name);
      if (auto ok = m_builder.add({std::move(p.name), std::move(p.version), std::move(via[i])},
                                  p.line, key);
          !ok) {
        return ok;
      }
    }
    return {};
  }

  Result<Installed> read_installed(const Json& entry, const JsonPath& path) {
    if (!entry.is_object()) {
      return error(
          path, fmt::format("expected an object for a package, found {}", json_type_name(entry)));
    }
    JsonPath metadata_path = path;
    metadata_path.emplace_back("metadata");
    auto metadata = entry.find("metadata");
    if (metadata == entry.end()) return error(path, "missing 'metadata'");
    if (!metadata->is_object()) {
      return error(metadata_path, fmt::format("expected an object for 'metadata', found {}",
                                              json_type_name(*metadata)));
    }
    Installed package;
    auto name = string_member(*metadata, metadata_path, "name");
    if (!name) return std::unexpected(name.error());
    auto version = string_member(*metadata, metadata_path, "version");
    if (!version) return std::unexpected(version.error());
    if (auto ok = check_package(*name, *version); !ok) {
      return error(metadata_path, ok.error().message);
    }
    package.name = std::move(*name);
    package.version = std::move(*version);
    package.line = line_of(m_text, json_offset(m_text, path));
    if (auto requires_dist = metadata->find("requires_dist"); requires_dist != metadata->end()) {
      JsonPath at = metadata_path;
      at.emplace_back("requires_dist");
      if (!requires_dist->is_array()) {
        return error(at, fmt::format("expected an array for 'requires_dist', found {}",
                                     json_type_name(*requires_dist)));
      }
      for (std::size_t i = 0; i < requires_dist->size(); ++i) {
        const Json& requirement = (*requires_dist)[i];
        if (!requirement.is_string()) {
          JsonPath item = at;
          item.emplace_back(i);
          return error(item, fmt::format("expected a string in 'requires_dist', found {}",
                                         json_type_name(requirement)));
        }
        package.requires_dist.push_back(requirement.get<std::string>());
      }
    }
    if (auto direct = entry.find("direct_url"); direct != entry.end() && direct->is_object()) {
      package.skipped = true;
      auto url = direct->find("url");
      const std::string where =
          url != direct->end() && url->is_string() ? url->get<std::string>() : "a direct URL";
      auto dir_info = direct->find("dir_info");
      bool editable = false;
      if (dir_info != direct->end() && dir_info->is_object()) {
        auto flag = dir_info->find("editable");
        editable = flag != dir_info->end() && *flag == true;
      }
      m_builder.skip(editable ? fmt::format("-e {}", where)
                              : fmt::format("{} @ {}", package.name, where));
    }
    return package;
  }

  Result<std::string> string_member(const Json& object, const JsonPath& path,
                                    const std::string& key) const {
    auto value = object.find(key);
    if (value == object.end()) return error(path, fmt::format("missing '{}'", key));
    if (!value->is_string()) {
      JsonPath at = path;
      at.emplace_back(key);
      return error(
          at, fmt::format("expected a string for '{}', found {}", key, json_type_name(*value)));
    }
    return value->get<std::string>();
  }

  std::unexpected<Error> error(const JsonPath& path, std::string_view message) const {
    return fail_listing_line(line_of(m_text, json_offset(m_text, path)), message);
  }

  std::string_view m_text;
  ClosureBuilder m_builder;
};

// `pip freeze`.
Result<ClosureListing> parse_freeze(std::string_view text) {
  ClosureBuilder builder;
  std::size_t number = 0;
  while (!text.empty()) {
    ++number;
    const std::size_t newline = text.find('\n');
    const std::string_view raw = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    std::string_view line = trim_whitespace(raw);
    if (line.empty() || line.starts_with('#')) continue;
    if (line.starts_with("-e ") || line.starts_with("-e\t") || line.starts_with("--editable")) {
      builder.skip(line);
      continue;
    }
    if (line.starts_with('-')) continue;  // an option line such as "-i URL"
    // "name==version  # comment", as a requirements file may have it.
    if (auto comment = line.find(" #"); comment != std::string_view::npos) {
      line = trim_whitespace(line.substr(0, comment));
    }
    if (trim_whitespace(line.substr(name_length(line))).starts_with('@') ||
        line.find("===") != std::string_view::npos) {
      builder.skip(line);
      continue;
    }
    const std::size_t equals = line.find("==");
    if (equals == std::string_view::npos || equals == 0 || equals + 2 == line.size()) {
      return fail_listing_line(
          number, fmt::format("expected 'name==version', not '{}'", listing_excerpt(line)));
    }
    const std::string name(trim_whitespace(line.substr(0, equals)));
    const std::string version(trim_whitespace(line.substr(equals + 2)));
    if (auto ok = check_package(name, version); !ok) {
      return fail_listing_line(number, ok.error().message);
    }
    if (auto ok = builder.add({name, version, {}}, number, normalize_name(name)); !ok) {
      return std::unexpected(ok.error());
    }
  }
  return std::move(builder).finish();
}

}  // namespace

Result<ClosureListing> parse_closure(std::string_view listing) {
  const std::string_view start = trim_whitespace(listing);
  if (start.starts_with('[') || start.starts_with('{')) return JsonListing(listing).run();
  return parse_freeze(listing);
}

}  // namespace driftlock::ecosystems::pypi
