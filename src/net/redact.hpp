// Masking secrets in text meant for people or files: messages, logs,
// reports, the state folder. One function, one set of patterns (re2):
//   - user info in URLs: "https://me:secret@host/" -> "https://me:***@host/",
//     "https://token@host/" -> "https://***@host/";
//   - npmrc-style settings: "_authToken=…", "_auth=…", "_password=…";
//   - Authorization, Proxy-Authorization and PRIVATE-TOKEN header values
//     (the scheme word "Basic"/"Bearer"/"token" is kept);
//   - query parameters that carry secrets: access_token, token, password,
//     secret, client_secret, api_key, private_token, refresh_token, sig,
//     signature, X-Amz-Signature, X-Amz-Credential, X-Amz-Security-Token.
// Masking is idempotent and leaves text without secrets unchanged.
#pragma once

#include <string>
#include <string_view>

namespace driftlock::net {

std::string redact(std::string_view text);

// The same, named for the common case of one URL in a message.
inline std::string redact_url(std::string_view url) {
  return redact(url);
}

}  // namespace driftlock::net
