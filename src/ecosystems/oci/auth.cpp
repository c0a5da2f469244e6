#include "ecosystems/oci/auth.hpp"

#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "net/credentials.hpp"
#include "net/http_text.hpp"

namespace driftlock::ecosystems::oci {

std::optional<Challenge> parse_challenge(std::string_view header) {
  header = trim_whitespace(header);
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
    rest = trim_whitespace(rest);
    while (!rest.empty() && rest.front() == ',') rest = trim_whitespace(rest.substr(1));
    if (rest.empty()) break;
    const std::size_t equals = rest.find('=');
    if (equals == std::string_view::npos) break;
    const std::string key = net::lower_ascii(trim_whitespace(rest.substr(0, equals)));
    rest = trim_whitespace(rest.substr(equals + 1));
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
      value = std::string(trim_whitespace(rest.substr(0, comma)));
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
  } catch (const nlohmann::json::exception&) {  // parse_error, or out_of_range for 1e999
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

std::string basic_authorization(const Credentials& credentials) {
  return net::basic_authorization(credentials.username, credentials.password);
}

}  // namespace driftlock::ecosystems::oci
