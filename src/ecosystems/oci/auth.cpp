#include "ecosystems/oci/auth.hpp"

#include <array>
#include <fstream>
#include <sstream>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "net/http_text.hpp"

namespace driftlock::ecosystems::oci {

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// "host" from "host", "https://host", "https://host/v1/".
std::string_view host_of_key(std::string_view key) {
  if (const std::size_t scheme = key.find("://"); scheme != std::string_view::npos) {
    key.remove_prefix(scheme + 3);
  }
  return key.substr(0, key.find('/'));
}

}  // namespace

std::optional<Challenge> parse_challenge(std::string_view header) {
  header = net::trim_space(header);
  const std::size_t space = header.find(' ');
  const std::string_view scheme = header.substr(0, space);
  Challenge challenge;
  if (net::equals_ignore_case(scheme, "bearer")) {
    challenge.scheme = Challenge::Scheme::bearer;
  } else if (net::equals_ignore_case(scheme, "basic")) {
    challenge.scheme = Challenge::Scheme::basic;
  } else {
    return std::nullopt;
  }
  std::string_view rest = space == std::string_view::npos ? "" : header.substr(space + 1);
  while (true) {
    rest = net::trim_space(rest);
    while (!rest.empty() && rest.front() == ',') rest = net::trim_space(rest.substr(1));
    if (rest.empty()) break;
    const std::size_t equals = rest.find('=');
    if (equals == std::string_view::npos) break;
    const std::string key = net::lower_ascii(net::trim_space(rest.substr(0, equals)));
    rest = net::trim_space(rest.substr(equals + 1));
    std::string value;
    if (!rest.empty() && rest.front() == '"') {
      std::size_t i = 1;
      for (; i < rest.size() && rest[i] != '"'; ++i) {
        if (rest[i] == '\\' && i + 1 < rest.size()) ++i;
        value += rest[i];
      }
      rest = i < rest.size() ? rest.substr(i + 1) : std::string_view{};
    } else {
      const std::size_t comma = rest.find(',');
      value = std::string(net::trim_space(rest.substr(0, comma)));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma);
    }
    if (key == "realm") challenge.realm = std::move(value);
    if (key == "service") challenge.service = std::move(value);
    if (key == "scope") challenge.scope = std::move(value);
  }
  if (challenge.scheme == Challenge::Scheme::bearer && challenge.realm.empty()) {
    return std::nullopt;
  }
  return challenge;
}

std::string token_url(const Challenge& challenge, std::string_view default_scope) {
  std::string url = challenge.realm;
  char separator = url.find('?') == std::string::npos ? '?' : '&';
  if (challenge.service) {
    url += fmt::format("{}service={}", separator, net::percent_encode(*challenge.service));
    separator = '&';
  }
  url += fmt::format("{}scope={}", separator,
                     net::percent_encode(challenge.scope ? *challenge.scope : default_scope));
  return url;
}

Result<std::string> parse_token_response(std::string_view body) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error&) {
    return fail(ErrorKind::infrastructure, "the token endpoint did not answer JSON");
  }
  for (const char* key : {"token", "access_token"}) {
    if (document.is_object() && document.contains(key) && document[key].is_string() &&
        !document[key].get_ref<const std::string&>().empty()) {
      return document[key].get<std::string>();
    }
  }
  return fail(ErrorKind::infrastructure, "the token endpoint's answer has no token");
}

std::string base64_encode(std::string_view data) {
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(data[i]) << 16) |
                       (static_cast<unsigned char>(data[i + 1]) << 8) |
                       static_cast<unsigned char>(data[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(n >> shift) & 63];
  }
  if (i < data.size()) {
    unsigned n = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) n |= static_cast<unsigned char>(data[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    const std::size_t value = kAlphabet.find(c);
    if (value == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

std::string basic_authorization(const Credentials& credentials) {
  return "Basic " + base64_encode(credentials.username + ":" + credentials.password);
}

Result<std::optional<Credentials>> credentials_from_docker_config(std::string_view json_text,
                                                                  std::string_view host,
                                                                  std::string_view path) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error&) {
    // The message leaves out the parser's excerpt: the file holds secrets.
    return fail_input(fmt::format("{}: not a JSON document", path));
  }
  if (!document.is_object() || !document.contains("auths") || !document["auths"].is_object()) {
    return std::optional<Credentials>{};
  }
  for (const auto& [key, entry] : document["auths"].items()) {
    if (!net::equals_ignore_case(host_of_key(key), host) || !entry.is_object()) continue;
    if (entry.contains("auth") && entry["auth"].is_string()) {
      auto decoded = base64_decode(entry["auth"].get<std::string>());
      if (!decoded) continue;
      const std::size_t colon = decoded->find(':');
      if (colon == std::string::npos) continue;
      return std::optional<Credentials>(
          Credentials{decoded->substr(0, colon), decoded->substr(colon + 1)});
    }
    if (entry.contains("username") && entry["username"].is_string() && entry.contains("password") &&
        entry["password"].is_string()) {
      return std::optional<Credentials>(
          Credentials{entry["username"].get<std::string>(), entry["password"].get<std::string>()});
    }
  }
  return std::optional<Credentials>{};
}

CredentialLookup environment_credentials(
    std::function<std::optional<std::string>(std::string_view)> getenv) {
  return [getenv = std::move(getenv)](std::string_view host) -> std::optional<Credentials> {
    auto user = getenv("DRIFTLOCK_OCI_USERNAME");
    auto password = getenv("DRIFTLOCK_OCI_PASSWORD");
    if (user && password && !user->empty()) return Credentials{*user, *password};
    std::string path;
    if (auto dir = getenv("DOCKER_CONFIG"); dir && !dir->empty()) {
      path = *dir + "/config.json";
    } else if (auto home = getenv("HOME"); home && !home->empty()) {
      path = *home + "/.docker/config.json";
    } else {
      return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    auto found = credentials_from_docker_config(text.str(), host, path);
    if (!found) return std::nullopt;
    return *found;
  };
}

}  // namespace driftlock::ecosystems::oci
