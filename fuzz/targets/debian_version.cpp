// Debian versions and relation ranges, through the parser and the VersionScheme.
#include "ecosystems/debian/version.hpp"
#include "scheme_checks.hpp"

using namespace driftlock;
namespace debian = driftlock::ecosystems::debian;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  fuzz::check_scheme(debian::version_scheme(), text);
  if (const auto version = debian::parse_version(text)) {
    fuzz::check(debian::compare(*version, *version) == 0);
    (void)debian::is_prerelease(*version);
    if (const auto range = debian::parse_range(text)) {
      (void)debian::satisfies(*range, *version);
    }
  }
  return 0;
}
