#include "ecosystems/oci/credentials.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "core/base64.hpp"
#include "core/text.hpp"
#include "net/http_text.hpp"
#include "net/redact.hpp"
#include "net/url.hpp"

namespace driftlock::ecosystems::oci {
namespace {

using nlohmann::json;

// Credential helpers answer within seconds; a desktop keychain may ask its
// user to unlock it first.
constexpr std::chrono::seconds kHelperTimeout{60};
// What a helper prints when it has nothing for the server (docker-credential-helpers).
constexpr std::string_view kNotFound = "credentials not found in native keychain";
// Shell exit status for a command that does not exist.
constexpr int kCommandNotFound = 127;

// "host[:port]" from "host", "https://host", "https://host/v1/" (how docker,
// podman and `docker login` write the keys), read by libcurl's URL parser.
std::string host_of_key(std::string_view key) {
  const std::string url =
      key.find("://") == std::string_view::npos ? fmt::format("https://{}", key) : std::string(key);
  auto parsed = net::parse_url(url);
  if (!parsed) return std::string(key);
  return parsed->explicit_port ? fmt::format("{}:{}", parsed->host, parsed->port) : parsed->host;
}

const json* entry_for(const json& document, std::string_view section, std::string_view host) {
  auto found = document.find(section);
  if (found == document.end() || !found->is_object()) return nullptr;
  for (const auto& [key, entry] : found->items()) {
    if (net::equals_ignore_case(host_of_key(key), host)) return &entry;
  }
  return nullptr;
}

std::optional<std::string> string_member(const json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  auto found = object.find(key);
  if (found == object.end() || !found->is_string() ||
      found->get_ref<const std::string&>().empty()) {
    return std::nullopt;
  }
  return found->get<std::string>();
}

std::optional<Credentials> credentials_in(const json& entry) {
  if (auto auth = string_member(entry, "auth")) {
    auto decoded = base64_decode(*auth);
    if (decoded) {
      const std::size_t colon = decoded->find(':');
      if (colon != std::string::npos && colon > 0) {
        return Credentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
      }
    }
  }
  if (auto token = string_member(entry, "identitytoken")) {
    return Credentials{std::string(kIdentityTokenUser), *token};
  }
  auto user = string_member(entry, "username");
  auto password = string_member(entry, "password");
  if (user && password) return Credentials{*user, *password};
  return std::nullopt;
}

bool valid_helper_name(std::string_view name) {
  static const RE2 pattern("[A-Za-z0-9][A-Za-z0-9._-]*");
  return RE2::FullMatch(re2::StringPiece(name.data(), name.size()), pattern);
}

// The first line of a failed helper's answer, masked and shortened: helpers
// print their error there ("exit status 1: gpg: decryption failed").
std::string helper_reason(const exec::RunResult& result) {
  std::string reason = exec::describe(result, kHelperTimeout);
  for (const std::string& line : result.tail) {
    std::string_view text = trim_whitespace(line);
    if (text.empty()) continue;
    reason += fmt::format(": {}", escape_for_message(net::redact(text), 200));
    break;
  }
  return reason;
}

}  // namespace

Result<AuthFileEntry> read_auth_file(std::string_view json_text, std::string_view host,
                                     std::string_view path) {
  json document;
  try {
    document = json::parse(json_text);
  } catch (const json::exception&) {  // parse_error, or out_of_range for 1e999
    return fail_input(fmt::format("{}: not a JSON document", path));
  }
  AuthFileEntry found;
  if (!document.is_object()) return found;
  if (const json* helper = entry_for(document, "credHelpers", host);
      helper != nullptr && helper->is_string() && !helper->get_ref<const std::string&>().empty()) {
    found.helper = helper->get<std::string>();
    return found;
  }
  if (const json* entry = entry_for(document, "auths", host)) {
    found.credentials = credentials_in(*entry);
    if (found.credentials) return found;
  }
  found.helper = string_member(document, "credsStore");
  return found;
}

Result<std::optional<Credentials>> run_credential_helper(exec::CommandRunner& runner,
                                                         std::string_view helper,
                                                         std::string_view server,
                                                         std::string_view origin) {
  const std::string program = fmt::format("docker-credential-{}", escape_for_message(helper, 64));
  auto failure = [&](std::string_view why) {
    return fail(ErrorKind::infrastructure,
                fmt::format("credential helper {} (named by {}) failed for {}: {}", program, origin,
                            escape_for_message(server), why));
  };
  if (!valid_helper_name(helper)) return failure("not a helper name");
  exec::RunRequest request;
  // The names reach the shell as variables, never as command text.
  request.command =
      "printf '%s' \"$DRIFTLOCK_CREDENTIAL_SERVER\" | "
      "\"docker-credential-$DRIFTLOCK_CREDENTIAL_HELPER\" get 2>/dev/null";
  request.env = {{"DRIFTLOCK_CREDENTIAL_SERVER", std::string(server)},
                 {"DRIFTLOCK_CREDENTIAL_HELPER", std::string(helper)}};
  request.timeout = kHelperTimeout;
  request.kill_grace = std::chrono::seconds(1);
  request.log = "/dev/null";  // the answer holds the secret
  request.tail_lines = 200;
  auto result = runner.run(request);
  if (!result) return failure(result.error().message);
  if (result->exit_code == kCommandNotFound) {
    return failure(fmt::format("{} is not installed (not found on PATH)", program));
  }
  if (!result->succeeded()) {
    for (const std::string& line : result->tail) {
      if (trim_whitespace(line) == kNotFound) return std::optional<Credentials>{};
    }
    return failure(helper_reason(*result));
  }
  std::string output;
  for (const std::string& line : result->tail) output += line + '\n';
  json answer;
  try {
    answer = json::parse(output);
  } catch (const json::exception&) {  // parse_error, or out_of_range for 1e999
    // Never quoted: the output may be the secret itself.
    return failure("its answer is not JSON");
  }
  auto user = string_member(answer, "Username");
  auto secret = string_member(answer, "Secret");
  if (!secret) return std::optional<Credentials>{};
  return std::optional<Credentials>(Credentials{user.value_or(""), *secret});
}

CredentialLookup registry_credentials(CredentialSources sources) {
  struct State {
    CredentialSources sources;
    std::mutex mutex;
    std::map<std::string, Result<std::optional<Credentials>>, std::less<>> answers;
  };
  auto state = std::make_shared<State>();
  state->sources = std::move(sources);

  auto lookup = [](State& s, std::string_view host) -> Result<std::optional<Credentials>> {
    auto env = [&](std::string_view name) -> std::optional<std::string> {
      auto value = s.sources.getenv ? s.sources.getenv(name) : std::nullopt;
      if (!value || value->empty()) return std::nullopt;
      return value;
    };
    auto user = env("DRIFTLOCK_OCI_USERNAME");
    auto password = env("DRIFTLOCK_OCI_PASSWORD");
    auto named = env("DRIFTLOCK_OCI_REGISTRY");
    const bool pair_set = user && password;
    if (pair_set && named && net::equals_ignore_case(host_of_key(*named), host)) {
      return std::optional<Credentials>(Credentials{*user, *password});
    }

    std::vector<std::filesystem::path> files;
    if (auto file = env("REGISTRY_AUTH_FILE")) files.emplace_back(*file);
    if (auto runtime = env("XDG_RUNTIME_DIR")) {
      files.push_back(std::filesystem::path(*runtime) / "containers" / "auth.json");
    }
    if (auto dir = env("DOCKER_CONFIG")) {
      files.push_back(std::filesystem::path(*dir) / "config.json");
    } else if (auto home = env("HOME")) {
      files.push_back(std::filesystem::path(*home) / ".docker" / "config.json");
    }
    for (const auto& file : files) {
      std::optional<std::string> text =
          s.sources.read_file ? s.sources.read_file(file) : std::nullopt;
      if (!text) continue;
      auto entry = read_auth_file(*text, host, file.string());
      if (!entry) return std::unexpected(entry.error());
      if (entry->credentials) return entry->credentials;
      if (!entry->helper) continue;
      const std::string origin = file.string();
      if (s.sources.runner == nullptr) {
        return fail(ErrorKind::infrastructure,
                    fmt::format("credential helper docker-credential-{} (named by {}) cannot run "
                                "here",
                                escape_for_message(*entry->helper, 64), origin));
      }
      // Helpers file Docker Hub under the address `docker login` uses.
      const std::string server =
          host == "index.docker.io" ? "https://index.docker.io/v1/" : std::string(host);
      auto answer = run_credential_helper(*s.sources.runner, *entry->helper, server, origin);
      if (!answer) return std::unexpected(answer.error());
      if (*answer) return answer;
    }
    if (pair_set && !named) {
      return fail(ErrorKind::input,
                  fmt::format("{} asks for credentials: DRIFTLOCK_OCI_USERNAME and "
                              "DRIFTLOCK_OCI_PASSWORD are set, but DRIFTLOCK_OCI_REGISTRY is not; "
                              "set it to the registry host they belong to",
                              escape_for_message(host)));
    }
    return std::optional<Credentials>{};
  };

  return [state, lookup](std::string_view host) -> Result<std::optional<Credentials>> {
    std::lock_guard guard(state->mutex);
    if (auto known = state->answers.find(host); known != state->answers.end()) {
      return known->second;
    }
    auto answer = lookup(*state, host);
    state->answers.emplace(std::string(host), answer);
    return answer;
  };
}

}  // namespace driftlock::ecosystems::oci
