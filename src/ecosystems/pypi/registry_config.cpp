#include "ecosystems/pypi/registry_config.hpp"

#include <sstream>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/text.hpp"
#include "ecosystems/pypi/text.hpp"
#include "net/http_text.hpp"
#include "net/redact.hpp"

namespace driftlock::ecosystems::pypi {

namespace {

// pip spells options either way: index_url and index-url are the same key.
std::string normalize_key(std::string_view key) {
  std::string out;
  for (char c : trim_whitespace(key)) out += c == '_' ? '-' : ascii_lower(c);
  return out;
}

std::optional<std::string> env_value(const Env& env, std::string_view key) {
  auto it = env.find(key);
  if (it == env.end() || trim_whitespace(it->second).empty()) return std::nullopt;
  return std::string(trim_whitespace(it->second));
}

bool starts_with_ignore_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         net::equals_ignore_case(text.substr(0, prefix.size()), prefix);
}

// pip's config files, highest priority first.
std::vector<std::filesystem::path> config_files(const Env& env) {
  std::vector<std::filesystem::path> files;
  const auto explicit_file = env_value(env, "PIP_CONFIG_FILE");
  if (explicit_file && *explicit_file == "/dev/null") return files;
  if (explicit_file) files.emplace_back(*explicit_file);
  const auto home = env_value(env, "HOME");
  if (auto xdg = env_value(env, "XDG_CONFIG_HOME")) {
    files.push_back(std::filesystem::path(*xdg) / "pip" / "pip.conf");
  } else if (home) {
    files.push_back(std::filesystem::path(*home) / ".config" / "pip" / "pip.conf");
  }
  if (home) files.push_back(std::filesystem::path(*home) / ".pip" / "pip.conf");
  files.emplace_back("/etc/pip.conf");
  files.emplace_back("/etc/xdg/pip/pip.conf");
  return files;
}

}  // namespace

std::optional<std::string> ini_value(std::string_view text, std::string_view section,
                                     std::string_view key) {
  const std::string wanted = normalize_key(key);
  std::optional<std::string> found;
  bool in_section = false;
  bool continuing = false;  // the last key read was ours, so continuation lines extend it
  std::istringstream lines{std::string(text)};
  for (std::string line; std::getline(lines, line);) {
    const std::string_view content = trim_whitespace(line);
    const bool indented = !line.empty() && (line.front() == ' ' || line.front() == '\t');
    if (content.empty() || content.front() == '#' || content.front() == ';') continue;
    if (indented && continuing) {
      *found += '\n';
      *found += content;
      continue;
    }
    if (indented) continue;  // the continuation of some other key
    continuing = false;
    if (content.front() == '[') {
      const std::size_t close = content.find(']');
      in_section = close != std::string_view::npos && content.substr(1, close - 1) == section;
      continue;
    }
    const std::size_t separator = content.find_first_of("=:");
    if (!in_section || separator == std::string_view::npos) continue;
    if (normalize_key(content.substr(0, separator)) != wanted) continue;
    found = std::string(trim_whitespace(content.substr(separator + 1)));
    continuing = true;
  }
  if (found) *found = std::string(trim_whitespace(*found));
  return found;
}

Result<std::string> json_api_base(std::string_view index_url, std::string_view source) {
  std::string url(trim_whitespace(index_url));
  // pip accepts several URLs separated by whitespace; the first is the index.
  url = url.substr(0, url.find_first_of(" \t\r\n"));
  if (!starts_with_ignore_case(url, "http://") && !starts_with_ignore_case(url, "https://")) {
    return fail_input(fmt::format("PyPI index URL {} from {} is not an http(s) URL",
                                  quote(net::redact_url(url)), source));
  }
  while (!url.empty() && url.back() == '/') url.pop_back();
  constexpr std::string_view kSimple = "/simple";
  if (url.size() <= kSimple.size() || !url.ends_with(kSimple)) {
    return fail_input(fmt::format(
        "cannot derive the PyPI JSON API from index URL {} (from {}): it does not end in "
        "/simple; set [registries] pypi in driftlock.toml",
        quote(net::redact_url(url)), source));
  }
  url.resize(url.size() - kSimple.size());
  return url;
}

Result<RegistryLocation> resolve_registry(const RegistrySettings& registries, const Env& env,
                                          const ReadFile& read_file) {
  if (registries.pypi) {
    std::string url = *registries.pypi;
    while (!url.empty() && url.back() == '/') url.pop_back();
    return RegistryLocation{std::move(url), "[registries] pypi in driftlock.toml"};
  }
  auto from_index = [](std::string_view index, std::string source) -> Result<RegistryLocation> {
    auto base = json_api_base(index, source);
    if (!base) return std::unexpected(base.error());
    return RegistryLocation{std::move(*base), std::move(source)};
  };
  if (auto index = env_value(env, "PIP_INDEX_URL")) return from_index(*index, "PIP_INDEX_URL");
  std::vector<std::pair<std::filesystem::path, std::string>> texts;
  for (const std::filesystem::path& file : config_files(env)) {
    if (auto text = read_file(file)) texts.emplace_back(file, std::move(*text));
  }
  for (std::string_view section : {"install", "global"}) {
    for (const auto& [file, text] : texts) {
      auto index = ini_value(text, section, "index-url");
      if (index && !index->empty()) {
        return from_index(*index, fmt::format("[{}] index-url in {}", section, file.string()));
      }
    }
  }
  return RegistryLocation{std::string(kPypiJsonApi), "pip's default index (PyPI)"};
}

}  // namespace driftlock::ecosystems::pypi
