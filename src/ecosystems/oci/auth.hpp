// Registry authentication for the OCI datasource: the Bearer token flow of
// the distribution spec (401 + WWW-Authenticate -> token endpoint -> retry)
// and where credentials come from. Credentials and tokens are secrets: no
// function here puts them into an Error message, and callers must not either.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace driftlock::ecosystems::oci {

struct Credentials {
  std::string username;
  std::string password;
};

// Credentials for a registry host ("127.0.0.1:5000"), or nullopt.
using CredentialLookup = std::function<std::optional<Credentials>(std::string_view host)>;

// A parsed `WWW-Authenticate` header.
struct Challenge {
  enum class Scheme { bearer, basic };
  Scheme scheme = Scheme::bearer;
  std::string realm;
  std::optional<std::string> service;
  std::optional<std::string> scope;
};

// `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`; nullopt for
// other schemes or a Bearer challenge without realm. Parameter names are
// case-insensitive; values may be quoted (with \-escapes) or tokens.
std::optional<Challenge> parse_challenge(std::string_view header);

// {realm}?service=…&scope=… with the values percent-encoded; `default_scope`
// is used when the challenge names none.
std::string token_url(const Challenge& challenge, std::string_view default_scope);

// The `token` (or else `access_token`) of a token endpoint's JSON answer.
// Errors never quote the body, which may hold a token.
Result<std::string> parse_token_response(std::string_view body);

// "Basic <base64(user:password)>".
std::string basic_authorization(const Credentials& credentials);

std::string base64_encode(std::string_view data);
// nullopt on characters outside the standard alphabet or bad padding.
std::optional<std::string> base64_decode(std::string_view text);

// Credentials for `host` in a Docker config.json (`auths.{host}.auth`, base64
// of "user:password"; keys may also be written as "https://{host}" or with a
// path). nullopt when the host has no usable entry; an input error naming
// `path` when the file is not JSON.
Result<std::optional<Credentials>> credentials_from_docker_config(std::string_view json_text,
                                                                  std::string_view host,
                                                                  std::string_view path);

// What the CLI uses: DRIFTLOCK_OCI_USERNAME / DRIFTLOCK_OCI_PASSWORD when both
// are set (for every host), else $DOCKER_CONFIG/config.json or
// $HOME/.docker/config.json. `getenv` is a parameter so tests need not touch
// the process environment; an unreadable or broken config file means no
// credentials (anonymous access may still work).
CredentialLookup environment_credentials(
    std::function<std::optional<std::string>(std::string_view)> getenv);

}  // namespace driftlock::ecosystems::oci
