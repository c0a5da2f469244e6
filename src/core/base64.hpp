// Standard base64 (RFC 4648 section 4, with padding), on OpenSSL's EVP
// encoder: Basic authorization, Docker's config.json `auth`, npm's `_auth`
// and `_password`, and npm's `sha1-…` integrity strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace driftlock {

std::string base64_encode(std::string_view data);

// nullopt on characters outside the standard alphabet, bad padding or a
// length that is not a multiple of 4 once padding is restored. Whitespace is
// not accepted.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace driftlock
