// An npm registry's package document (abbreviated or full), as the datasource
// reads it.
#include "ecosystems/npm/datasource.hpp"
#include "fuzz_input.hpp"

using namespace driftlock;
namespace npm = driftlock::ecosystems::npm;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto body = fuzz::as_text(data, size);
  (void)npm::parse_package_document("left-pad", body, "http://registry.example/left-pad");
  const auto parts = fuzz::split_parts(body, 2);
  (void)npm::pick_digest(parts[0], parts.size() > 1 ? parts[1] : std::string_view{});
  return 0;
}
