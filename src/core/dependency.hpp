// A resolved dependency and a held-back version: the rows of a snapshot.
#pragma once

#include <optional>
#include <string>
#include <tuple>

namespace driftlock {

struct Dependency {
  std::string ecosystem;  // "npm", "pypi", "debian", "oci"
  std::string name;
  std::string version;
  std::optional<std::string> digest;     // "sha512-…", "sha256:…"
  std::optional<std::string> published;  // RFC 3339, kept as written

  bool operator==(const Dependency&) const = default;
};

// A version driftlock keeps out of the image until someone unholds it.
struct HeldBack {
  std::string ecosystem;
  std::string name;
  std::string version;
  std::optional<std::string> reason;
  std::optional<std::string> since;  // RFC 3339

  bool operator==(const HeldBack&) const = default;
};

// Snapshots order their rows by (ecosystem, name).
template <class T>
bool by_identity(const T& a, const T& b) {
  return std::tie(a.ecosystem, a.name) < std::tie(b.ecosystem, b.name);
}

}  // namespace driftlock
