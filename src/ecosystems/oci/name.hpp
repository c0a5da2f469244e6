// Image-reference rules of the oci ecosystem.
#pragma once

#include <string_view>

#include "core/error.hpp"

namespace driftlock::ecosystems::oci {

// An input error naming the reference when `name` is not an image reference
// without tag or digest: [host[:port]/]path, where the path is lowercase
// components joined by '/' (e.g. 127.0.0.1:5000/base, registry.example/library/debian,
// debian). A tag or digest in the name is an error that says to put the tag in
// the manifest value instead.
Result<void> validate_name(std::string_view name);

}  // namespace driftlock::ecosystems::oci
