// Per-host credentials for registries that authenticate every request (npm's
// `//host/path/:_authToken`, pip's index URL user info and netrc): each one is
// scoped to a host, a port and a path prefix, and AuthorizingHttpClient adds
// it to the requests inside that scope only. The transport (CurlHttpClient)
// refuses to send any credential over plain http except to loopback hosts
// and drops it on redirects that leave the origin.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_client.hpp"

namespace driftlock::net {

struct ScopedCredential {
  std::string host;           // lower case; an IPv6 literal keeps its brackets
  std::string port;           // "" = the request scheme's default port
  bool any_port = false;      // netrc names machines, not ports
  std::string path = "/";     // prefix of the request path; ends in '/'
  std::string authorization;  // the Authorization header value: "Bearer …", "Basic …"
  std::string source;         // where it was configured, for messages; never the secret
};

// A Basic authorization header value for user and password.
std::string basic_authorization(std::string_view user, std::string_view password);

// The scope of `url` (its host, port and path up to the last '/'), with
// `authorization`; nullopt when `url` is not an absolute http(s) URL.
std::optional<ScopedCredential> credential_for_url(std::string_view url, std::string authorization,
                                                   std::string source);

// The credential whose scope holds `url`: the longest path prefix wins, then
// the first one given. nullptr when none does.
const ScopedCredential* find_credential(std::span<const ScopedCredential> credentials,
                                        std::string_view url);

// Adds the matching credential's Authorization header to every request that
// has none. Over plain http to a host that is not loopback the transport
// then refuses the request, naming the URL (never the secret).
class AuthorizingHttpClient final : public HttpClient {
 public:
  AuthorizingHttpClient(HttpClient& inner, std::vector<ScopedCredential> credentials);

  std::vector<Result<Response>> perform(std::span<const Request> requests) override;

 private:
  HttpClient& m_inner;
  std::vector<ScopedCredential> m_credentials;
};

}  // namespace driftlock::net
