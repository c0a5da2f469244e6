#include "net/credentials.hpp"

#include "core/base64.hpp"
#include "net/http_text.hpp"
#include "net/url.hpp"

namespace driftlock::net {
namespace {

bool has_authorization(const Request& request) {
  for (const auto& [name, value] : request.headers) {
    if (equals_ignore_case(name, "authorization")) return true;
  }
  return false;
}

bool in_scope(const ScopedCredential& credential, const Url& url) {
  if (credential.host != url.host) return false;
  if (!credential.any_port) {
    const std::string port = url.explicit_port && url.port != (url.scheme == "https" ? "443" : "80")
                                 ? url.port
                                 : std::string();
    if (credential.port != port) return false;
  }
  return url.path.starts_with(credential.path);
}

}  // namespace

std::string basic_authorization(std::string_view user, std::string_view password) {
  std::string pair(user);
  pair += ':';
  pair += password;
  return "Basic " + base64_encode(pair);
}

std::optional<ScopedCredential> credential_for_url(std::string_view url, std::string authorization,
                                                   std::string source) {
  auto parsed = parse_url(url);
  if (!parsed || (parsed->scheme != "http" && parsed->scheme != "https")) return std::nullopt;
  ScopedCredential credential;
  credential.host = parsed->host;
  const bool default_port = parsed->port == (parsed->scheme == "https" ? "443" : "80");
  credential.port = default_port ? std::string() : parsed->port;
  credential.path = parsed->path.substr(0, parsed->path.rfind('/') + 1);
  if (credential.path.empty()) credential.path = "/";
  credential.authorization = std::move(authorization);
  credential.source = std::move(source);
  return credential;
}

const ScopedCredential* find_credential(std::span<const ScopedCredential> credentials,
                                        std::string_view url) {
  auto parsed = parse_url(url);
  if (!parsed) return nullptr;
  const ScopedCredential* best = nullptr;
  for (const ScopedCredential& credential : credentials) {
    if (!in_scope(credential, *parsed)) continue;
    if (best == nullptr || credential.path.size() > best->path.size()) best = &credential;
  }
  return best;
}

AuthorizingHttpClient::AuthorizingHttpClient(HttpClient& inner,
                                             std::vector<ScopedCredential> credentials)
    : m_inner(inner), m_credentials(std::move(credentials)) {}

std::vector<Result<Response>> AuthorizingHttpClient::perform(std::span<const Request> requests) {
  if (m_credentials.empty()) return m_inner.perform(requests);
  std::vector<Request> sent(requests.begin(), requests.end());
  for (Request& request : sent) {
    if (has_authorization(request)) continue;
    if (const ScopedCredential* credential = find_credential(m_credentials, request.url)) {
      request.headers.emplace_back("Authorization", credential->authorization);
    }
  }
  return m_inner.perform(sent);
}

}  // namespace driftlock::net
