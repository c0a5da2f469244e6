// The installers' listings of what a candidate installed: `npm ls --all
// --json`, `pip freeze` / `pip list` / `pip inspect`, `dpkg-query -W`. The
// first byte picks the parser.
#include <array>

#include "ecosystems/debian/closure.hpp"
#include "ecosystems/npm/closure.hpp"
#include "ecosystems/pypi/closure.hpp"
#include "fuzz_input.hpp"

using namespace driftlock;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  constexpr std::array<ClosureParser, 3> parsers{ecosystems::npm::parse_closure,
                                                 ecosystems::pypi::parse_closure,
                                                 ecosystems::debian::parse_closure};
  const auto listing = parsers[data[0] % parsers.size()](fuzz::as_text(data + 1, size - 1));
  if (listing) {
    for (std::size_t i = 1; i < listing->packages.size(); ++i) {
      fuzz::check(!(listing->packages[i].name < listing->packages[i - 1].name));  // sorted
    }
  }
  return 0;
}
