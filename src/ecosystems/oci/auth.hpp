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

// Credentials for a registry host ("127.0.0.1:5000"), nullopt when there are
// none, or an error saying why they could not be had (a credential helper
// that failed); see credentials.hpp.
using CredentialLookup = std::function<Result<std::optional<Credentials>>(std::string_view host)>;

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

}  // namespace driftlock::ecosystems::oci
