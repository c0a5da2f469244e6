// What an OCI registry sends back about authentication and paging: the
// WWW-Authenticate challenge, the token endpoint's JSON, the Link header; and
// the auth file (Docker's config.json, containers' auth.json).
#include "core/base64.hpp"
#include "ecosystems/oci/auth.hpp"
#include "ecosystems/oci/credentials.hpp"
#include "ecosystems/oci/datasource.hpp"
#include "fuzz_input.hpp"

using namespace driftlock;
namespace oci = driftlock::ecosystems::oci;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  if (const auto challenge = oci::parse_challenge(text)) {
    (void)oci::token_url(*challenge, "repository:library/debian:pull");
  }
  (void)oci::parse_token_response(text);
  (void)oci::read_auth_file(text, "registry.example", "config.json");
  (void)oci::next_link(text, "https://registry.example/v2/base/tags/list");
  if (const auto decoded = base64_decode(text)) {
    fuzz::check(base64_decode(base64_encode(*decoded)) == decoded);
  }
  return 0;
}
