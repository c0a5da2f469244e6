// PEP 440 versions and specifier sets, through the parser and the VersionScheme.
#include "ecosystems/pypi/version.hpp"
#include "scheme_checks.hpp"

using namespace driftlock;
namespace pypi = driftlock::ecosystems::pypi;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  fuzz::check_scheme(pypi::version_scheme(), text);
  if (const auto version = pypi::parse_version(text)) {
    const auto again = pypi::parse_version(pypi::to_string(*version));
    fuzz::check(again && pypi::compare(*again, *version) == 0);
    (void)pypi::compare_public(*version, *again);
  }
  if (const auto set = pypi::parse_specifier_set(text)) {
    (void)set->contains_text("1.0", Prereleases::exclude);
    (void)set->contains_text(text, Prereleases::include);
  }
  return 0;
}
