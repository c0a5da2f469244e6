#include "net/redact.hpp"

#include <re2/re2.h>

#include <array>
#include <memory>

namespace driftlock::net {
namespace {

struct Rule {
  const char* pattern;
  const char* rewrite;
};

// The scheme of a URL, as RFC 3986 spells it.
#define DRIFTLOCK_SCHEME "[A-Za-z][A-Za-z0-9+.-]*://"

constexpr std::array<Rule, 5> kRules{{
    // User info without a password: the user name is often the token itself.
    {"(" DRIFTLOCK_SCHEME ")[^:/?#@\\s]+@", "\\1***@"},
    // user:password@ (greedy to the last '@' of the authority, as URL parsers read it).
    {"(" DRIFTLOCK_SCHEME "[^:/?#@\\s]*):[^/?#\\s]*@", "\\1:***@"},
    {"(?i)((?:^|[^A-Za-z0-9_])_(?:authToken|auth|password)\\s*[=:]\\s*)(?:\"[^\"]*\"|'[^']*'|[^\\s;"
     "#\"',]+)",
     "\\1***"},
    {"(?i)((?:proxy-authorization|authorization|private-token)\"?\\s*[:=]\\s*\"?(?:(?:basic|bearer|"
     "token)\\s+)?)[^\\s,;\"']+",
     "\\1***"},
    {"(?i)([?&](?:access_token|token|password|passwd|secret|client_secret|api_key|apikey|"
     "private_token|refresh_token|sig|signature|x-amz-signature|x-amz-credential|"
     "x-amz-security-token)=)[^&#\\s\"']+",
     "\\1***"},
}};

#undef DRIFTLOCK_SCHEME

const std::array<std::unique_ptr<RE2>, kRules.size()>& compiled() {
  static const auto patterns = [] {
    std::array<std::unique_ptr<RE2>, kRules.size()> out;
    for (std::size_t i = 0; i < kRules.size(); ++i) {
      out[i] = std::make_unique<RE2>(kRules[i].pattern);
    }
    return out;
  }();
  return patterns;
}

}  // namespace

std::string redact(std::string_view text) {
  std::string out(text);
  const auto& patterns = compiled();
  for (std::size_t i = 0; i < kRules.size(); ++i) {
    RE2::GlobalReplace(&out, *patterns[i], kRules[i].rewrite);
  }
  return out;
}

}  // namespace driftlock::net
