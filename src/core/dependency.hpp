// A resolved dependency and a held-back version: the rows of a snapshot.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <tuple>

namespace driftlock {

struct Dependency {
  std::string ecosystem;  // "npm", "pypi", "debian", "oci"
  std::string name;
  std::string version;
  std::optional<std::string> digest;     // "sha512-…", "sha256:…"
  std::optional<std::string> published;  // RFC 3339, kept as written
  // Installed because another package needs it, not named in the manifest
  // (the captured closure); the snapshot writes "transitive": true for these.
  bool transitive = false;

  bool operator==(const Dependency&) const = default;
};

// A version driftlock keeps out of the image until someone unholds it. Its
// `version` may be a content digest instead ("sha256:…"): that artifact is
// held, not the version (an OCI tag that moved to a culprit digest).
struct HeldBack {
  std::string ecosystem;
  std::string name;
  std::string version;
  std::optional<std::string> reason;
  std::optional<std::string> since;  // RFC 3339

  bool operator==(const HeldBack&) const = default;
};

// A content digest as registries write them: "algorithm:encoded" (the OCI
// image spec's grammar, e.g. sha256:<64 hex>) or a Subresource Integrity
// value ("sha512-<base64>", npm).
bool is_content_digest(std::string_view text);

// Snapshots order their rows by (ecosystem, name).
template <class T>
bool by_identity(const T& a, const T& b) {
  return std::tie(a.ecosystem, a.name) < std::tie(b.ecosystem, b.name);
}

}  // namespace driftlock
