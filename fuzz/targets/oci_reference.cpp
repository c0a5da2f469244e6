// OCI tags (the tag grammar, the tag order, globs) and image references.
#include "ecosystems/oci/datasource.hpp"
#include "ecosystems/oci/name.hpp"
#include "ecosystems/oci/version.hpp"
#include "scheme_checks.hpp"

using namespace driftlock;
namespace oci = driftlock::ecosystems::oci;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  fuzz::check_scheme(oci::version_scheme(), text);
  const auto parts = fuzz::split_parts(text, 2);
  const std::string_view a = parts[0];
  const std::string_view b = parts.size() > 1 ? parts[1] : std::string_view{"latest"};
  if (oci::validate_tag(a) && oci::validate_tag(b)) {
    // A total order: 0 only for the same tag.
    fuzz::check((oci::compare_tags(a, b) == 0) == (a == b));
    (void)oci::is_prerelease_tag(a);
  }
  (void)oci::glob_match(a, b);
  if (oci::validate_name(text)) {
    (void)oci::split_name(text);
    if (const auto reference = oci::split_reference(text)) {
      (void)oci::repository_url(*reference, oci::Scheme::automatic);
    }
  }
  return 0;
}
