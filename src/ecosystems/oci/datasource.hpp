// The OCI Datasource: the registry v2 API. For each image reference
// ("127.0.0.1:5000/base", "registry.example/library/debian", or "debian" on
// Docker Hub, see split_name in name.hpp) it lists the
// tags (GET /v2/{path}/tags/list, following `Link: <…>; rel="next"`), one
// Release per tag, and resolves the tag(s) the manifest follows to manifest
// digests (HEAD /v2/{path}/manifests/{tag}; `Docker-Content-Digest`, else a
// GET and the SHA-256 of the body). Requests of all images go out together,
// phase by phase.
//
// The Datasource interface passes only names, so the tag to follow per name
// (the manifest's value: a tag, or a glob over tags such as "3.11.*-slim",
// whose every matching tag is resolved) is given to the constructor.
//
// Authentication: a 401 with `WWW-Authenticate: Bearer realm=…` starts the
// token flow (GET realm?service=…&scope=…, with Basic credentials when there
// are some and the realm is https or loopback; an identity token is posted
// as an OAuth2 refresh_token grant instead; `token` or `access_token`; retry
// with `Authorization: Bearer …`, sent to the registry's own origin only);
// a `Basic` challenge is answered with the credentials directly, over https
// (or loopback) only. Credentials and tokens never appear in errors.
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/datasource.hpp"
#include "ecosystems/oci/auth.hpp"
#include "net/http_client.hpp"

namespace driftlock::ecosystems::oci {

// The Accept header for manifests: OCI index, OCI manifest, Docker manifest
// list v2, Docker manifest v2.
inline constexpr std::string_view kManifestAccept =
    "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json";

// `automatic`: http for 127.0.0.1, localhost and [::1], https otherwise.
enum class Scheme { automatic, http, https };

// Where an image's API is.
struct ImageReference {
  std::string host;  // "127.0.0.1:5000", "registry-1.docker.io" for Docker Hub
  std::string path;  // "library/debian"
};

// The API location of an image reference as Docker reads it (split_name):
// "127.0.0.1:5000/base" -> {127.0.0.1:5000, base}, "debian" ->
// {registry-1.docker.io, library/debian}. An input error when there is no
// path after the registry.
Result<ImageReference> split_reference(std::string_view name);

// "{scheme}://{host}/v2/{path}".
std::string repository_url(const ImageReference& reference, Scheme scheme);

// The target of a `Link: <url>; rel="next"` header, resolved against
// `base_url`'s origin when relative; nullopt when there is no next page.
std::optional<std::string> next_link(std::string_view link_header, std::string_view base_url);

class OciDatasource final : public Datasource {
 public:
  // `follow`: image reference -> tag or tag glob (the manifest's range).
  OciDatasource(net::HttpClient& http, std::map<std::string, std::string, std::less<>> follow,
                CredentialLookup credentials = {}, Scheme scheme = Scheme::automatic);

  // Releases have no publish times (has_publish_times = false); the followed
  // tags' Releases carry digest "sha256:…" and source_url "{name}:{tag}".
  std::vector<Result<PackageReleases>> fetch(std::span<const std::string> names,
                                             PublishTimes times) override;

 private:
  net::HttpClient& m_http;
  std::map<std::string, std::string, std::less<>> m_follow;
  CredentialLookup m_credentials;
  Scheme m_scheme;
};

std::unique_ptr<Datasource> make_datasource(net::HttpClient& http,
                                            std::map<std::string, std::string, std::less<>> follow,
                                            CredentialLookup credentials = {},
                                            Scheme scheme = Scheme::automatic);

}  // namespace driftlock::ecosystems::oci
