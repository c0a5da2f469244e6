// Image-reference rules of the oci ecosystem.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace driftlock::ecosystems::oci {

// Docker Hub: the registry of a reference that names none (Docker's
// convention, which every container tool follows), and its API endpoint.
inline constexpr std::string_view kDockerHub = "docker.io";
inline constexpr std::string_view kDockerHubApi = "registry-1.docker.io";
// Docker Hub's older name, still `docker login`'s key for its credentials.
inline constexpr std::string_view kDockerHubIndex = "index.docker.io";

struct ImageName {
  std::string registry;  // "127.0.0.1:5000", "docker.io"
  std::string path;      // "base", "library/debian"
};

// Docker's reading of a reference without tag or digest: the first component
// names the registry only when it has a '.' or ':' or is `localhost`, else
// the registry is Docker Hub; on Docker Hub (also written index.docker.io) a
// one-component path is an official image under `library/`.
// "debian" -> {docker.io, library/debian}, "user/repo" -> {docker.io, user/repo},
// "127.0.0.1:5000/base" -> {127.0.0.1:5000, base}. The path may be empty
// ("registry.example/"); validate_name rejects that.
ImageName split_name(std::string_view name);

// An input error naming the reference when `name` is not an image reference
// without tag or digest: [host[:port]/]path, where the path is lowercase
// components joined by '/' (e.g. 127.0.0.1:5000/base, registry.example/library/debian,
// debian). A tag or digest in the name is an error that says to put the tag in
// the manifest value instead.
Result<void> validate_name(std::string_view name);

}  // namespace driftlock::ecosystems::oci
