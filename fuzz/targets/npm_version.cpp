// npm semver versions and ranges (strict and loose), through the parser and the
// VersionScheme.
#include "ecosystems/npm/version.hpp"
#include "scheme_checks.hpp"

using namespace driftlock;
namespace npm = driftlock::ecosystems::npm;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  fuzz::check_scheme(npm::version_scheme(), text);
  for (const auto parsing : {npm::Parsing::strict, npm::Parsing::loose}) {
    if (const auto version = npm::parse_version(text, parsing)) {
      const auto again = npm::parse_version(npm::to_string(*version), npm::Parsing::strict);
      fuzz::check(again && npm::compare(*again, *version) == 0);
    }
    if (const auto range = npm::parse_range(text, parsing)) {
      (void)npm::to_string(*range, Prereleases::exclude);
      (void)npm::to_string(*range, Prereleases::include);
    }
  }
  return 0;
}
