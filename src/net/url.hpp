// URLs read with libcurl's URL API (CURLU), the parser the transfers
// themselves use: where a request goes, and so where credentials may go, is
// decided by one parser.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace driftlock::net {

struct Url {
  std::string scheme;  // lower case: "https"
  std::string host;    // lower case; an IPv6 literal keeps its brackets: "[::1]"
  std::string port;    // as written, else the scheme's default ("443"); "" when it has none
  bool explicit_port = false;
  std::string path;   // "/" at least
  std::string query;  // without '?'
  // Percent-decoded user info, when the URL has some.
  std::optional<std::string> user;
  std::optional<std::string> password;
};

// An absolute URL of any scheme; nullopt for relative or malformed text.
std::optional<Url> parse_url(std::string_view text);

// The lower-cased scheme ("https"), empty when there is none.
std::string scheme_of(std::string_view url);

// "scheme://host:port" in lower case with the scheme's default port filled in;
// empty when the URL is not absolute. Redirects that leave the origin drop
// credentials.
std::string origin_of(std::string_view url);

// The URL without its user info (unchanged when it has none or is not an
// absolute URL).
std::string without_userinfo(std::string_view url);

// `reference` (absolute, or relative like "/v2/x?last=5") resolved against
// the absolute URL `base`; nullopt when either cannot be read.
std::optional<std::string> resolve_reference(std::string_view base, std::string_view reference);

// 127.0.0.1 (any 127.x.y.z), [::1] and localhost: tests and local registries.
bool is_loopback_host(std::string_view host);

// Whether credentials may travel to this URL: https, or http to a loopback host.
bool may_carry_credentials(std::string_view url);

}  // namespace driftlock::net
