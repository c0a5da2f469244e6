#include "ecosystems/npm/registry_config.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>

#include <fmt/format.h>

#include "core/base64.hpp"
#include "core/text.hpp"
#include "ecosystems/npm/text.hpp"
#include "net/http_text.hpp"
#include "net/redact.hpp"

extern char** environ;  // POSIX: declared by no standard header in C++

namespace driftlock::ecosystems::npm {

namespace {

// An ini value as npm's ini reader sees it: quotes removed, and in an
// unquoted value an unescaped ';' or '#' starts a comment.
std::string ini_value(std::string_view raw) {
  raw = trim_whitespace(raw);
  if (raw.size() >= 2 && (raw.front() == '"' || raw.front() == '\'') && raw.back() == raw.front()) {
    return std::string(raw.substr(1, raw.size() - 2));
  }
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 1 < raw.size() && (raw[i + 1] == ';' || raw[i + 1] == '#')) {
      out += raw[++i];
    } else if (raw[i] == ';' || raw[i] == '#') {
      break;
    } else {
      out += raw[i];
    }
  }
  return std::string(trim_whitespace(out));
}

// npm replaces ${VAR} in config values; ${VAR?} is empty when VAR is unset,
// a plain ${VAR} that is unset is an error (npm refuses to start). `key`
// names the setting in that error.
Result<std::string> expand(std::string_view value, const Env& env, std::string_view path,
                           std::string_view key = "registry") {
  std::string out;
  std::size_t pos = 0;
  while (pos < value.size()) {
    const std::size_t open = value.find("${", pos);
    const std::size_t close = open == std::string_view::npos ? open : value.find('}', open);
    if (open == std::string_view::npos || close == std::string_view::npos) {
      out += value.substr(pos);
      break;
    }
    out += value.substr(pos, open - pos);
    std::string_view var = value.substr(open + 2, close - open - 2);
    const bool optional = !var.empty() && var.back() == '?';
    if (optional) var.remove_suffix(1);
    if (auto it = env.find(var); it != env.end()) {
      out += it->second;
    } else if (!optional) {
      return fail_input(fmt::format("{}: {} uses environment variable {}, which is not set", path,
                                    key, quote(var)));
    }
    pos = close + 1;
  }
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

bool is_http_url(std::string_view url) {
  return starts_with_ignore_case(url, "http://") || starts_with_ignore_case(url, "https://");
}

// The .npmrc files driftlock reads, in npm's priority order: the project's,
// then the user's.
std::vector<std::filesystem::path> npmrc_files(const Env& env,
                                               const std::filesystem::path& project_dir) {
  std::vector<std::filesystem::path> files{project_dir / ".npmrc"};
  if (auto user = env_value(env, "npm_config_userconfig")) {
    files.emplace_back(*user);
  } else if (auto user_upper = env_value(env, "NPM_CONFIG_USERCONFIG")) {
    files.emplace_back(*user_upper);
  } else if (auto home = env_value(env, "HOME")) {
    files.push_back(std::filesystem::path(*home) / ".npmrc");
  }
  return files;
}

// One scope's settings: `//host/path/:_authToken` and its neighbours.
struct ScopeAuth {
  std::optional<std::string> token, auth, username, password;
};

Result<RegistryLocation> located(std::string url, std::string source) {
  if (!is_http_url(url)) {
    return fail_input(fmt::format("npm registry {} from {} is not an http(s) URL",
                                  quote(net::redact_url(url)), source));
  }
  while (!url.empty() && url.back() == '/') url.pop_back();
  return RegistryLocation{std::move(url), std::move(source)};
}

// Calls `take(key, raw value)` for each `key = value` line outside any
// [section] (npm reads only those), skipping comments and blank lines.
template <class Take>
void for_each_setting(std::string_view text, Take take) {
  bool in_section = false;
  std::istringstream lines{std::string(text)};
  for (std::string line; std::getline(lines, line);) {
    const std::string_view content = trim_whitespace(line);
    if (content.empty() || content.front() == ';' || content.front() == '#') continue;
    if (content.front() == '[') {
      in_section = true;
      continue;
    }
    const std::size_t eq = content.find('=');
    if (in_section || eq == std::string_view::npos) continue;
    take(trim_whitespace(content.substr(0, eq)), content.substr(eq + 1));
  }
}

}  // namespace

Result<std::optional<std::string>> npmrc_registry(std::string_view text, const Env& env,
                                                  std::string_view path) {
  std::optional<std::string> found;
  for_each_setting(text, [&](std::string_view key, std::string_view value) {
    if (key == "registry") found = ini_value(value);
  });
  if (!found || found->empty()) return std::optional<std::string>();
  auto expanded = expand(*found, env, path);
  if (!expanded) return std::unexpected(expanded.error());
  if (expanded->empty()) return std::optional<std::string>();
  return std::optional<std::string>(std::move(*expanded));
}

Result<RegistryLocation> resolve_registry(const RegistrySettings& registries, const Env& env,
                                          const std::filesystem::path& project_dir,
                                          const ReadFile& read_file,
                                          const AskNpmRegistry& ask_npm) {
  if (registries.npm) return located(*registries.npm, "[registries] npm in driftlock.toml");
  for (std::string_view key : {"npm_config_registry", "NPM_CONFIG_REGISTRY"}) {
    if (auto value = env_value(env, key)) return located(std::move(*value), std::string(key));
  }
  for (const std::filesystem::path& file : npmrc_files(env, project_dir)) {
    std::optional<std::string> text = read_file(file);
    if (!text) continue;
    auto registry = npmrc_registry(*text, env, file.string());
    if (!registry) return std::unexpected(registry.error());
    if (*registry) return located(std::move(**registry), file.string());
  }
  if (ask_npm) {
    if (auto answer = ask_npm(project_dir)) {
      if (auto url = registry_from_npm_output(*answer)) {
        return located(std::move(*url), "npm config get registry");
      }
    }
  }
  return fail_input(
      "no npm registry configured: set [registries] npm in driftlock.toml, "
      "NPM_CONFIG_REGISTRY, or registry= in .npmrc");
}

Result<std::vector<net::ScopedCredential>> npmrc_credentials(std::string_view text, const Env& env,
                                                             std::string_view path) {
  // Scopes in the order the file names them; the last value of a key wins.
  std::vector<std::pair<std::string, ScopeAuth>> scopes;
  std::optional<Error> failed;
  for_each_setting(text, [&](std::string_view key, std::string_view raw) {
    const std::size_t colon = key.rfind(':');
    if (failed || !key.starts_with("//") || colon == std::string_view::npos) return;
    const std::string scope(key.substr(0, colon));
    const std::string_view field = key.substr(colon + 1);
    std::optional<std::string> ScopeAuth::*slot = nullptr;
    if (field == "_authToken") slot = &ScopeAuth::token;
    if (field == "_auth") slot = &ScopeAuth::auth;
    if (field == "username") slot = &ScopeAuth::username;
    if (field == "_password") slot = &ScopeAuth::password;
    if (slot == nullptr) return;
    auto value = expand(ini_value(raw), env, path, key);
    if (!value) {
      failed = value.error();
      return;
    }
    auto found = std::find_if(scopes.begin(), scopes.end(),
                              [&](const auto& entry) { return entry.first == scope; });
    if (found == scopes.end()) found = scopes.emplace(scopes.end(), scope, ScopeAuth{});
    found->second.*slot = std::move(*value);
  });
  if (failed) return std::unexpected(std::move(*failed));
  std::vector<net::ScopedCredential> credentials;
  for (const auto& [scope, auth] : scopes) {
    std::string authorization;
    std::string field;
    if (auth.token && !auth.token->empty()) {
      authorization = "Bearer " + *auth.token;
      field = "_authToken";
    } else if (auth.auth && !auth.auth->empty()) {
      authorization = "Basic " + *auth.auth;
      field = "_auth";
    } else if (auth.username && auth.password) {
      // npm keeps _password base64-encoded.
      auto password = base64_decode(*auth.password);
      if (!password) {
        return fail_input(fmt::format("{}: {}:_password is not base64", path, scope));
      }
      authorization = net::basic_authorization(*auth.username, *password);
      field = "username and _password";
    } else {
      continue;
    }
    // The scheme only decides the default port, which a scope without one
    // leaves to the request.
    auto credential = net::credential_for_url("https:" + scope, std::move(authorization),
                                              fmt::format("{}:{} in {}", scope, field, path));
    if (credential) credentials.push_back(std::move(*credential));
  }
  return credentials;
}

Result<std::vector<net::ScopedCredential>> npm_credentials(const Env& env,
                                                           const std::filesystem::path& project_dir,
                                                           const ReadFile& read_file) {
  std::vector<net::ScopedCredential> all;
  for (const std::filesystem::path& file : npmrc_files(env, project_dir)) {
    std::optional<std::string> text = read_file(file);
    if (!text) continue;
    auto found = npmrc_credentials(*text, env, file.string());
    if (!found) return std::unexpected(found.error());
    all.insert(all.end(), found->begin(), found->end());
  }
  return all;
}

std::optional<std::string> registry_from_npm_output(std::string_view output) {
  std::string_view line = trim_whitespace(output);
  if (const std::size_t newline = line.find_last_of('\n'); newline != std::string_view::npos) {
    line = trim_whitespace(line.substr(newline + 1));
  }
  const bool one_word = line.find_first_of(" \t") == std::string_view::npos;
  const std::size_t scheme_end = line.find("://");
  const bool has_host = scheme_end != std::string_view::npos && scheme_end + 3 < line.size() &&
                        line[scheme_end + 3] != '/';
  if (!one_word || !is_http_url(line) || !has_host) return std::nullopt;
  return std::string(line);
}

Env current_environment() {
  Env env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::size_t eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
  }
  return env;
}

std::optional<std::string> read_file_if_present(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(text).str();
}

}  // namespace driftlock::ecosystems::npm
