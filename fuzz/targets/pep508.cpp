// PEP 508 requirement strings (requires_dist, pip inspect, requirements files).
#include "ecosystems/pypi/requirement.hpp"
#include "fuzz_input.hpp"

using namespace driftlock;
namespace pypi = driftlock::ecosystems::pypi;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  (void)pypi::parse_requirement(text);
  (void)pypi::unconditional_requirement(text);
  return 0;
}
