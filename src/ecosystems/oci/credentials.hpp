// Where OCI registry credentials come from, per registry host, the way
// docker, podman and buildah find them:
//   1. DRIFTLOCK_OCI_USERNAME and DRIFTLOCK_OCI_PASSWORD, for the host named
//      by DRIFTLOCK_OCI_REGISTRY only (set without it, they are an error when
//      a registry asks for credentials: they would otherwise go to every
//      registry the manifest names);
//   2. the auth files, first one with an answer wins: $REGISTRY_AUTH_FILE,
//      ${XDG_RUNTIME_DIR}/containers/auth.json (podman, buildah),
//      $DOCKER_CONFIG/config.json, else ~/.docker/config.json. In each:
//      `credHelpers[host]` (a credential helper for that host), else
//      `auths[host]` (`auth`: base64 of "user:password"; `username` and
//      `password`; `identitytoken`), else `credsStore` (a helper for every
//      host).
// Credential helpers speak the docker-credential-helpers protocol:
// `docker-credential-NAME get` reads the server URL on stdin and prints
// {"ServerURL","Username","Secret"}; a Username of "<token>" makes Secret an
// identity (refresh) token. They run through the CommandRunner seam, output
// to no log. A helper that is missing or fails is an error naming the helper
// and the host, never the output's secret; "credentials not found" means
// anonymous access.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "ecosystems/oci/auth.hpp"
#include "exec/command_runner.hpp"

namespace driftlock::ecosystems::oci {

// The identity-token user name of Docker's config and helpers.
inline constexpr std::string_view kIdentityTokenUser = "<token>";

// What an auth file says about a host.
struct AuthFileEntry {
  std::optional<Credentials> credentials;  // from `auths`
  std::optional<std::string> helper;       // credHelpers[host], else credsStore: "pass", "desktop"
};

// Reads one auth file's text (`path` names it in errors; the parser's excerpt
// is left out, the file holds secrets). Keys of `auths`/`credHelpers` may be
// "host", "https://host" or "https://host/v1/" and compare without case.
Result<AuthFileEntry> read_auth_file(std::string_view json_text, std::string_view host,
                                     std::string_view path);

// Runs `docker-credential-{helper} get` for `server`; nullopt when the
// helper has no credentials for it. `origin` says where the helper was named,
// for errors ("credHelpers in /home/me/.docker/config.json").
Result<std::optional<Credentials>> run_credential_helper(exec::CommandRunner& runner,
                                                         std::string_view helper,
                                                         std::string_view server,
                                                         std::string_view origin);

struct CredentialSources {
  std::function<std::optional<std::string>(std::string_view)> getenv;
  // The file's text, or nullopt when it does not exist or cannot be read.
  std::function<std::optional<std::string>(const std::filesystem::path&)> read_file;
  // Runs credential helpers; without one, a configured helper is an error.
  exec::CommandRunner* runner = nullptr;
};

// The lookup the OCI datasource uses; answers (and helper runs) are
// remembered per host. Called only when a registry asks for credentials.
CredentialLookup registry_credentials(CredentialSources sources);

}  // namespace driftlock::ecosystems::oci
