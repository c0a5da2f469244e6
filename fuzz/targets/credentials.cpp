// Where credentials come from and where they may go: URLs read by libcurl's
// parser, .npmrc credentials, netrc entries, the masking function. Checks
// that a URL's user info never survives without_userinfo() or redact(), and
// that a credential scoped to a URL is found again for that URL.
#include <span>
#include <string>

#include "ecosystems/npm/registry_config.hpp"
#include "fuzz_input.hpp"
#include "net/credentials.hpp"
#include "net/netrc.hpp"
#include "net/redact.hpp"
#include "net/url.hpp"

using namespace driftlock;
namespace npm = driftlock::ecosystems::npm;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  const auto parts = fuzz::split_parts(text, 2);
  const std::string_view url = parts[0];

  if (auto parsed = net::parse_url(url)) {
    const std::string bare = net::without_userinfo(url);
    if (auto again = net::parse_url(bare)) fuzz::check(!again->user.has_value());
    (void)net::origin_of(url);
    (void)net::may_carry_credentials(url);
    (void)net::resolve_reference(url, parts.back());
    if (auto scoped = net::credential_for_url(url, "Bearer fuzz", "fuzz")) {
      const net::ScopedCredential credentials[] = {*scoped};
      fuzz::check(net::find_credential(std::span(credentials), url) != nullptr);
    }
  }
  (void)net::redact(text);
  (void)net::netrc_entry(text, parts[0]);
  const npm::Env env{{"HOME", "/home/fuzz"}, {"TOKEN", "t"}};
  (void)npm::npmrc_credentials(text, env, ".npmrc");
  return 0;
}
